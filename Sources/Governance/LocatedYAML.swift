import Foundation
import LakegateCore
import Yams

/// A YAML document converted to ``JSONValue`` that remembers where each value came from.
///
/// Locations are keyed by the JSON path of the value (`["schema", 0, "name"]` as `schema.0.name`), so
/// a validator can point at the offending line after working on plain `JSONValue`s.
struct LocatedYAML: Sendable {
    /// The document as plain JSON.
    var value: JSONValue
    /// Where the value at a dotted path starts; keys of mappings point at the key itself under `path#key`.
    var locations: [String: SourceLocation]
    /// The file the document came from.
    var path: String

    /// Where `jsonPath` begins, falling back to its nearest located parent, then the file.
    func location(_ jsonPath: String, key: Bool = false) -> SourceLocation {
        if key, let loc = locations[jsonPath + "#key"] { return loc }
        var current = jsonPath
        while true {
            if let loc = locations[current] { return loc }
            guard let dot = current.lastIndex(of: ".") else { break }
            current = String(current[..<dot])
        }
        return locations[""] ?? SourceLocation(path: path, line: 1, column: 1)
    }

    /// Parses the first document of `data`; errors carry `path:line:column`.
    static func parse(_ data: Data, path: String) throws(DiagnosticList) -> LocatedYAML {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path, line: 1, column: 1), "not valid UTF-8")])
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DiagnosticList([Self.diagnostic(for: error, path: path)])
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path, line: 1, column: 1), "\(error)")])
        }
        var builder = Builder(path: path)
        let value = try builder.convert(node, at: "")
        return LocatedYAML(value: value, locations: builder.locations, path: path)
    }

    private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return Diagnostic(SourceLocation(path: path, line: mark.line, column: mark.column), prefix + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let mark = context.mark
            return Diagnostic(
                SourceLocation(path: path, line: mark.line, column: mark.column),
                "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return Diagnostic(SourceLocation(path: path, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }

    private struct Builder {
        var path: String
        var locations: [String: SourceLocation] = [:]

        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }

        static func join(_ base: String, _ component: String) -> String {
            base.isEmpty ? component : base + "." + component
        }

        mutating func convert(_ node: Node?, at jsonPath: String) throws(DiagnosticList) -> JSONValue {
            guard let node else { return .null }
            locations[jsonPath] = location(node.mark)
            switch node {
            case .scalar(let scalar):
                return Self.scalarValue(scalar)
            case .sequence(let sequence):
                var result: [JSONValue] = []
                for (index, element) in sequence.enumerated() {
                    result.append(try convert(element, at: Self.join(jsonPath, String(index))))
                }
                return .array(result)
            case .mapping(let mapping):
                var result: [String: JSONValue] = [:]
                for (keyNode, valueNode) in mapping {
                    guard case .scalar(let keyScalar) = keyNode else {
                        throw DiagnosticList([Diagnostic(location(keyNode.mark), "mapping keys must be scalars")])
                    }
                    let key = keyScalar.string
                    let childPath = Self.join(jsonPath, key)
                    if result[key] != nil {
                        throw DiagnosticList([Diagnostic(location(keyNode.mark), "duplicate key '\(key)'")])
                    }
                    locations[childPath + "#key"] = location(keyNode.mark)
                    result[key] = try convert(valueNode, at: childPath)
                }
                return .object(result)
            case .alias:
                throw DiagnosticList([Diagnostic(location(node.mark), "YAML aliases are not supported")])
            }
        }

        static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
            let node = Node.scalar(scalar)
            switch scalar.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case Tag.Name.float.rawValue: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        }
    }
}
