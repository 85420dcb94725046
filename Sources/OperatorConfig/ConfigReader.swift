import Descriptors
import Foundation
import LakegateCore

/// Reads a composed YAML tree with locations and collects every problem as a `path:line:column` diagnostic.
///
/// Built on the located YAML layer of Descriptors (`YAMLNode`, `YAMLParser`); this adds the configuration's
/// own rules (dotted field paths, durations, choices).
struct ConfigReader {
    /// The file name used in diagnostics.
    let path: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Whether the file has a `governance` section (a `gates.policySet` needs one).
    var hasGovernance = false
    /// The state directory when the file sets none (`$LAKEGATE_STATE_DIR`), before the built-in default.
    var stateDirFallback: String?

    init(path: String) {
        self.path = path
    }

    /// A mapping's members, keyed by name, with the key locations kept.
    struct Fields {
        let node: YAMLNode
        /// The dotted field path, e.g. `environments.prod.gates`.
        let field: String
        var members: [String: YAMLPair]
        /// Member names in the order written.
        var order: [String]

        subscript(_ name: String) -> YAMLNode? { members[name]?.value }
    }

    mutating func report(_ node: YAMLNode, _ field: String, _ message: String) {
        report(at: node.location, field, message)
    }

    mutating func report(at location: SourceLocation, _ field: String, _ message: String) {
        let prefix = field.isEmpty ? "" : "\(field): "
        diagnostics.append(Diagnostic(location, prefix + message))
    }

    static func kind(of node: YAMLNode) -> String {
        node.kindDescription
    }

    /// The members of a mapping; unknown keys are reported with a did-you-mean, missing required ones at the
    /// mapping.
    mutating func fields(_ node: YAMLNode, _ field: String, allowed: [String], required: [String] = []) -> Fields? {
        guard let pairs = node.mapping else {
            report(node, field, "expected a mapping, got \(Self.kind(of: node))")
            return nil
        }
        var result = Fields(node: node, field: field, members: [:], order: [])
        for pair in pairs {
            guard allowed.contains(pair.key) else {
                var message = "unknown key '\(pair.key)'"
                if let suggestion = Self.suggestion(for: pair.key, among: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                }
                report(at: pair.keyLocation, field, message)
                continue
            }
            result.members[pair.key] = pair
            result.order.append(pair.key)
        }
        for key in required where result.members[key] == nil {
            report(node, field, "missing required key '\(key)'")
        }
        return result
    }

    /// The entries of a mapping whose keys are names chosen by the user (environment names).
    mutating func namedEntries(_ node: YAMLNode, _ field: String) -> [YAMLPair]? {
        guard let pairs = node.mapping else {
            report(node, field, "expected a mapping of names, got \(Self.kind(of: node))")
            return nil
        }
        return pairs
    }

    mutating func list(_ node: YAMLNode, _ field: String) -> [YAMLNode]? {
        guard let items = node.sequence else {
            report(node, field, "expected a list, got \(Self.kind(of: node))")
            return nil
        }
        return items
    }

    mutating func string(_ node: YAMLNode, _ field: String) -> String? {
        guard let scalar = node.scalar, case .string(let value) = scalar.resolved else {
            let hint = node.scalar.map { $0.isNull ? "" : " (quote it)" } ?? ""
            report(node, field, "expected a string, got \(Self.kind(of: node))\(hint)")
            return nil
        }
        guard !value.isEmpty else {
            report(node, field, "must not be empty")
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode, _ field: String) -> Bool? {
        guard case .bool(let value)? = node.scalar?.resolved else {
            report(node, field, "expected true or false, got \(Self.kind(of: node))")
            return nil
        }
        return value
    }

    mutating func int(_ node: YAMLNode, _ field: String) -> Int? {
        guard case .int(let value)? = node.scalar?.resolved, let result = Int(exactly: value) else {
            report(node, field, "expected an integer, got \(Self.kind(of: node))")
            return nil
        }
        return result
    }

    mutating func number(_ node: YAMLNode, _ field: String) -> Double? {
        switch node.scalar?.resolved {
        case .int(let value)?: return Double(value)
        case .double(let value)?: return value
        default:
            report(node, field, "expected a number, got \(Self.kind(of: node))")
            return nil
        }
    }

    /// A string that must be one of `choices`.
    mutating func choice(_ node: YAMLNode, _ field: String, _ choices: [String]) -> String? {
        guard let value = string(node, field) else { return nil }
        guard choices.contains(value) else {
            report(node, field, "must be one of \(choices.joined(separator: ", ")), got '\(value)'")
            return nil
        }
        return value
    }

    /// A duration such as `500ms`, `30s`, `5m`, `1h`.
    mutating func duration(_ node: YAMLNode, _ field: String) -> Duration? {
        guard let scalar = node.scalar, case .string(let text) = scalar.resolved else {
            report(node, field, "expected a duration like 30s, 5m or 1h, got \(Self.kind(of: node))")
            return nil
        }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (unit, milliseconds) in units where text.hasSuffix(unit) {
            let digits = text.dropLast(unit.count)
            // Digits only (no sign), and a product that fits: a typo must be reported, never crash the loader.
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                let amount = Int64(digits)
            {
                let (total, overflow) = amount.multipliedReportingOverflow(by: milliseconds)
                if !overflow { return .milliseconds(total) }
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
