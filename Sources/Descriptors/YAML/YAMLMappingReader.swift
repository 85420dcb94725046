import LakegateCore

/// Reads typed fields from a YAML mapping, reporting unknown keys, wrong types and missing keys.
///
/// Messages name the key and what was expected; each is placed at the key or value it is about.
public struct YAMLMappingReader: Sendable {
    /// The mapping node.
    public let node: YAMLNode
    /// What the mapping is, for messages (`dataproduct`, `output port 'customers'`).
    public let context: String

    /// A reader over `node`; nil (with a diagnostic) when `node` is not a mapping.
    public init?(_ node: YAMLNode, context: String, diagnostics: inout DiagnosticCollector) {
        guard node.mapping != nil else {
            diagnostics.add(node.location, "\(context) must be a mapping, found \(node.kindDescription)")
            return nil
        }
        self.node = node
        self.context = context
    }

    /// The pairs in file order.
    public var pairs: [YAMLPair] { node.mapping ?? [] }

    /// The keys in file order.
    public var keys: [String] { pairs.map(\.key) }

    /// The value of `key`, or nil.
    public subscript(key: String) -> YAMLNode? { node[key] }

    /// Where `key` is written, or the mapping itself when it is absent.
    public func location(of key: String) -> SourceLocation {
        node.pair(key)?.keyLocation ?? node.location
    }

    /// Reports every key not in `allowed`, with the closest allowed key as a suggestion; a key in `ignored` (one
    /// Databricks bundles know and Lakegate does not act on) is a warning naming it instead.
    public func checkKeys(_ allowed: [String], ignored: [String] = [], diagnostics: inout DiagnosticCollector) {
        for pair in pairs where ignored.contains(pair.key) && !allowed.contains(pair.key) {
            diagnostics.warn(
                pair.keyLocation, "'\(pair.key)' in \(context) is accepted but not acted on by Lakegate: ignored")
        }
        for pair in pairs where !allowed.contains(pair.key) && !ignored.contains(pair.key) {
            diagnostics.add(
                pair.keyLocation,
                "unknown key '\(pair.key)' in \(context)" + EditDistance.hint(for: pair.key, among: allowed + ignored))
        }
    }

    /// The value of `key` when present and not null; reports it when required and missing.
    public func value(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> YAMLNode? {
        if let value = node[key], !(value.scalar?.isNull ?? false) { return value }
        if required {
            if let pair = node.pair(key) {
                diagnostics.add(pair.keyLocation, "'\(key)' in \(context) must have a value")
            } else {
                diagnostics.add(node.location, "\(context) is missing required key '\(key)'")
            }
        }
        return nil
    }

    private func wrongType(_ key: String, _ expected: String, _ value: YAMLNode, _ d: inout DiagnosticCollector) {
        d.add(value.location, "'\(key)' in \(context) must be \(expected), found \(value.kindDescription)")
    }

    /// A string field. Numbers are accepted as their text (`version: 1.0`); Booleans and collections are not.
    public func string(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> String? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard let scalar = value.scalar, !(scalar.resolved.boolValue != nil) else {
            wrongType(key, "a string", value, &diagnostics)
            return nil
        }
        return scalar.text
    }

    /// An integer field.
    public func int(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> Int64? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard let i = value.scalar?.resolved.intValue else {
            wrongType(key, "an integer", value, &diagnostics)
            return nil
        }
        return i
    }

    /// A number field (integer or float).
    public func double(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> Double? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        switch value.scalar?.resolved {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default:
            wrongType(key, "a number", value, &diagnostics)
            return nil
        }
    }

    /// A Boolean field.
    public func bool(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> Bool? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard let b = value.scalar?.resolved.boolValue else {
            wrongType(key, "true or false", value, &diagnostics)
            return nil
        }
        return b
    }

    /// A string field whose value must be one of `allowed`.
    public func oneOf(
        _ key: String, _ allowed: [String], required: Bool = false, diagnostics: inout DiagnosticCollector
    ) -> String? {
        guard let text = string(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard allowed.contains(text) else {
            let list = allowed.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.add(
                node[key]!.location,
                "'\(key)' in \(context) must be one of \(list), found '\(text)'"
                    + EditDistance.hint(for: text, among: allowed))
            return nil
        }
        return text
    }

    /// A list field; its items are returned as nodes.
    public func sequence(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> [YAMLNode]? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard let items = value.sequence else {
            wrongType(key, "a list", value, &diagnostics)
            return nil
        }
        return items
    }

    /// A list of strings.
    public func stringList(_ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector) -> [String]? {
        guard let items = sequence(key, required: required, diagnostics: &diagnostics) else { return nil }
        var result: [String] = []
        for item in items {
            guard let scalar = item.scalar, !scalar.isNull, scalar.resolved.boolValue == nil else {
                diagnostics.add(
                    item.location, "items of '\(key)' in \(context) must be strings, found \(item.kindDescription)")
                continue
            }
            result.append(scalar.text)
        }
        return result
    }

    /// A nested mapping, read with its own context.
    public func mapping(
        _ key: String, context nested: String? = nil, required: Bool = false, diagnostics: inout DiagnosticCollector
    ) -> YAMLMappingReader? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard value.mapping != nil else {
            wrongType(key, "a mapping", value, &diagnostics)
            return nil
        }
        return YAMLMappingReader(value, context: nested ?? "'\(key)'", diagnostics: &diagnostics)
    }

    /// A mapping of strings to strings (tags, properties); numbers and Booleans are kept as their text.
    public func stringMap(
        _ key: String, required: Bool = false, diagnostics: inout DiagnosticCollector
    ) -> [String: String]? {
        guard let value = value(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard let pairs = value.mapping else {
            wrongType(key, "a mapping", value, &diagnostics)
            return nil
        }
        var result: [String: String] = [:]
        for pair in pairs {
            guard let scalar = pair.value.scalar else {
                diagnostics.add(
                    pair.value.location,
                    "'\(key).\(pair.key)' in \(context) must be a string, found \(pair.value.kindDescription)")
                continue
            }
            result[pair.key] = scalar.isNull ? "" : scalar.text
        }
        return result
    }
}
