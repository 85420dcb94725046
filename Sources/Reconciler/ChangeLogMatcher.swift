import Databricks
import Foundation
import LakegateCore

/// Which products an audit log names: the objects its state-changing events touched, matched against the
/// inventory. Errs towards naming too many (a product read again finds nothing), never too few.
enum ChangeLogMatcher {
    /// The lower-case identifiers the state-changing `events` name: every request parameter's value, and the
    /// dotted names in a SQL command's text.
    static func identifiers(_ events: [AuditEvent]) -> Set<String> {
        var names: Set<String> = []
        for event in events where event.mayChangeState {
            for (key, value) in event.parameters {
                if key == "commandText" {
                    names.formUnion(dottedNames(in: value))
                } else {
                    let cleaned = value.replacingOccurrences(of: "`", with: "").lowercased()
                        .trimmingCharacters(in: .whitespaces)
                    if !cleaned.isEmpty { names.insert(cleaned) }
                }
            }
        }
        return names
    }

    /// `a.b` and `a.b.c` names in SQL text, backquotes removed, lower case; string literals are values, not names.
    static func dottedNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        var parts: [String] = []
        var quote: Character?
        func flush() {
            if !current.isEmpty { parts.append(current) }
            if parts.count >= 2 { names.insert(parts.joined(separator: ".").lowercased()) }
            current = ""
            parts = []
        }
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                flush()
                quote = character
            } else if character.isLetter || character.isNumber || character == "_" || character == "-" {
                current.append(character)
            } else if character == "`" {
                continue
            } else if character == "." {
                parts.append(current)
                current = ""
            } else {
                flush()
            }
        }
        flush()
        return names
    }

    /// The `product/target` keys of the `entries` whose object, a parent of it or a child of it is among
    /// `identifiers` (by name or live id). A change to a schema re-reads the products owning its tables; a tag
    /// on a column re-reads the table's product.
    static func pairs(named identifiers: Set<String>, entries: [InventoryEntry]) -> Set<String> {
        guard !identifiers.isEmpty else { return [] }
        // Every dotted ancestor of a named object: an owned object that is an ancestor had a child changed.
        var ancestors: Set<String> = []
        for identifier in identifiers where identifier.contains(".") {
            var parts = identifier.split(separator: ".", omittingEmptySubsequences: false)
            while parts.count > 1 {
                parts.removeLast()
                ancestors.insert(parts.joined(separator: "."))
            }
        }
        var pairs: Set<String> = []
        for entry in entries {
            let name = entry.name.lowercased()
            let id = entry.liveID.lowercased()
            var hit =
                identifiers.contains(name) || ancestors.contains(name) || (!id.isEmpty && identifiers.contains(id))
            if !hit, name.contains(".") {
                var parts = name.split(separator: ".", omittingEmptySubsequences: false)
                while !hit && parts.count > 1 {
                    parts.removeLast()
                    hit = identifiers.contains(parts.joined(separator: "."))
                }
            }
            if hit { pairs.insert("\(entry.product)/\(entry.target)") }
        }
        return pairs
    }
}
