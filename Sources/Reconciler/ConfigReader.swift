import Foundation
import LakegateCore
import Yams

/// Reads a composed YAML tree with locations and collects every problem as a `path:line:column` diagnostic.
///
/// A small private layer over Yams nodes; the Descriptors module is growing a public one, and this can move
/// onto it once it lands.
struct ConfigReader {
    /// The file name used in diagnostics.
    let path: String
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String) {
        self.path = path
    }

    /// A mapping's members, keyed by name, with the key node kept for locations.
    struct Fields {
        let node: Node
        /// The dotted field path, e.g. `environments.prod.gates`.
        let field: String
        var members: [String: (key: Node, value: Node)]
        /// Member names in the order written.
        var order: [String]

        subscript(_ name: String) -> Node? { members[name]?.value }
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(path: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    mutating func report(_ node: Node, _ field: String, _ message: String) {
        let prefix = field.isEmpty ? "" : "\(field): "
        diagnostics.append(Diagnostic(location(node), prefix + message))
    }

    mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch node.tag.description {
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.bool.rawValue: return "a boolean"
            case Tag.Name.int.rawValue: return "an integer"
            case Tag.Name.float.rawValue: return "a number"
            default: return "a string"
            }
        }
    }

    private static func join(_ field: String, _ key: String) -> String {
        field.isEmpty ? key : "\(field).\(key)"
    }

    /// The members of a mapping; unknown keys are reported with a did-you-mean, missing required ones at the
    /// mapping.
    mutating func fields(_ node: Node, _ field: String, allowed: [String], required: [String] = []) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(node, field, "expected a mapping, got \(Self.kind(of: node))")
            return nil
        }
        var result = Fields(node: node, field: field, members: [:], order: [])
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(keyNode, field, "keys must be strings")
                continue
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                var message = "unknown key '\(key)'"
                if let suggestion = Self.suggestion(for: key, among: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                }
                report(keyNode, field, message)
                continue
            }
            result.members[key] = (keyNode, value)
            result.order.append(key)
        }
        for key in required where result.members[key] == nil {
            report(node, field, "missing required key '\(key)'")
        }
        return result
    }

    /// The entries of a mapping whose keys are names chosen by the user (environment names).
    mutating func namedEntries(_ node: Node, _ field: String) -> [(name: String, key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, field, "expected a mapping of names, got \(Self.kind(of: node))")
            return nil
        }
        var result: [(name: String, key: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(keyNode, field, "keys must be strings")
                continue
            }
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    mutating func list(_ node: Node, _ field: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, field, "expected a list, got \(Self.kind(of: node))")
            return nil
        }
        return Array(sequence)
    }

    mutating func string(_ node: Node, _ field: String) -> String? {
        guard case .scalar(let scalar) = node, node.tag.description != Tag.Name.null.rawValue else {
            report(node, field, "expected a string, got \(Self.kind(of: node))")
            return nil
        }
        guard node.tag.description == Tag.Name.str.rawValue else {
            report(node, field, "expected a string, got \(Self.kind(of: node)) (quote it)")
            return nil
        }
        guard !scalar.string.isEmpty else {
            report(node, field, "must not be empty")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, _ field: String) -> Bool? {
        guard node.tag.description == Tag.Name.bool.rawValue, let value = node.bool else {
            report(node, field, "expected true or false, got \(Self.kind(of: node))")
            return nil
        }
        return value
    }

    mutating func int(_ node: Node, _ field: String) -> Int? {
        guard node.tag.description == Tag.Name.int.rawValue, let value = node.int else {
            report(node, field, "expected an integer, got \(Self.kind(of: node))")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, _ field: String) -> Double? {
        let tag = node.tag.description
        if tag == Tag.Name.int.rawValue, let value = node.int { return Double(value) }
        if tag == Tag.Name.float.rawValue, let value = node.float { return value }
        report(node, field, "expected a number, got \(Self.kind(of: node))")
        return nil
    }

    /// A string that must be one of `choices`.
    mutating func choice(_ node: Node, _ field: String, _ choices: [String]) -> String? {
        guard let value = string(node, field) else { return nil }
        guard choices.contains(value) else {
            report(node, field, "must be one of \(choices.joined(separator: ", ")), got '\(value)'")
            return nil
        }
        return value
    }

    /// A duration such as `500ms`, `30s`, `5m`, `1h`.
    mutating func duration(_ node: Node, _ field: String) -> Duration? {
        guard case .scalar(let scalar) = node, node.tag.description == Tag.Name.str.rawValue else {
            report(node, field, "expected a duration like 30s, 5m or 1h, got \(Self.kind(of: node))")
            return nil
        }
        let text = scalar.string
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (unit, milliseconds) in units where text.hasSuffix(unit) {
            if let amount = Int64(text.dropLast(unit.count)), amount >= 0 {
                return .milliseconds(amount * milliseconds)
            }
        }
        report(node, field, "expected a duration like 30s, 5m or 1h, got '\(text)'")
        return nil
    }

    /// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
