import Descriptors
import Foundation
import LakegateCore

/// Writes new YAML text for a JSON value in the block style product files use: two-space indentation, indented
/// sequences, short lists of scalars in flow style (`[SELECT, MODIFY]`), plain scalars where YAML reads them back
/// as the same string.
enum YAMLFragment {
    /// Keys written first in new mappings (identity first, then the order the example products use).
    static let keyOrder = [
        "name", "principal", "task_key", "term", "function", "identifier", "id", "level", "title", "businessName",
        "description", "logicalType", "logicalTypeOptions", "physicalType", "primaryKey", "required", "unique",
        "classification", "tags", "privileges", "tables", "columns",
    ]

    /// `members`' keys: known keys in ``keyOrder``, then the others sorted.
    static func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        let known = keyOrder.filter { members[$0] != nil }
        return known + members.keys.filter { !keyOrder.contains($0) }.sorted()
    }

    /// Lines for `key: value` at `indent` spaces.
    static func pair(_ key: String, _ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let keyText = scalarText(.string(key), flow: false)
        if let inline = inline(value) { return ["\(pad)\(keyText): \(inline)"] }
        return ["\(pad)\(keyText):"] + body(value, indent: indent + 2)
    }

    /// Lines for a sequence item at `indent` (the column of its `-`).
    static func item(_ value: JSONValue, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        if let inline = inline(value) { return ["\(pad)- \(inline)"] }
        var lines = body(value, indent: indent + 2)
        if !lines.isEmpty { lines[0] = pad + "- " + lines[0].dropFirst(indent + 2) }
        return lines
    }

    /// Lines for the members of a mapping or the items of a sequence at `indent`.
    static func body(_ value: JSONValue, indent: Int) -> [String] {
        switch value {
        case .object(let members): orderedKeys(members).flatMap { pair($0, members[$0]!, indent: indent) }
        case .array(let items): items.flatMap { item($0, indent: indent) }
        default: [String(repeating: " ", count: indent) + scalarText(value, flow: false)]
        }
    }

    /// The one-line form of scalars, empty containers and short lists of scalars; nil for block values.
    static func inline(_ value: JSONValue) -> String? {
        switch value {
        case .array(let items):
            if items.isEmpty { return "[]" }
            guard items.allSatisfy(isScalar) else { return nil }
            let text = "[" + items.map { scalarText($0, flow: true) }.joined(separator: ", ") + "]"
            return text.count <= 72 ? text : nil
        case .object(let members): return members.isEmpty ? "{}" : nil
        default: return scalarText(value, flow: false)
        }
    }

    static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: false
        default: true
        }
    }

    /// A scalar as YAML text: plain when that reads back as the same value, else double-quoted with JSON escapes.
    static func scalarText(_ value: JSONValue, flow: Bool) -> String {
        guard case .string(let text) = value else {
            return JSONValue.array([value]).canonicalJSON.dropFirst().dropLast().description
        }
        return isPlain(text, flow: flow)
            ? text : JSONValue.array([value]).canonicalJSON.dropFirst().dropLast().description
    }

    /// Whether `text` can be written unquoted and still read as this string.
    static func isPlain(_ text: String, flow: Bool) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " ", last != ":" else {
            return false
        }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        if flow, text.contains(where: { ",[]{}".contains($0) }) { return false }
        // What the YAML 1.2 core schema would read it as: only a string keeps it plain.
        guard let node = try? YAMLParser.parse(Data("k: \(text)\n".utf8), path: "-") else { return false }
        return node.jsonValue["k"] == .string(text)
    }
}
