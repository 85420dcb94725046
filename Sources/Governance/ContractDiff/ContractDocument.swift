import Descriptors
import Foundation
import LakegateCore

/// Loads an ODCS contract file as JSON.
public enum ContractDocument {
    /// Parses YAML (or JSON, which is YAML) bytes; errors are `path:line:column` diagnostics.
    public static func parse(_ data: Data, path: String) throws(DiagnosticList) -> JSONValue {
        let root = try YAMLParser.parse(data, path: path)
        guard root.mapping != nil else {
            throw DiagnosticList([
                Diagnostic(root.location, "a data contract must be a mapping, not \(root.kindDescription)")
            ])
        }
        var problems: [Diagnostic] = []
        if let schema = root["schema"] {
            if let objects = schema.sequence {
                for object in objects {
                    if object["name"]?.text == nil {
                        problems.append(Diagnostic(object.location, "schema object without a 'name'"))
                    }
                    if let properties = object["properties"], properties.sequence == nil {
                        problems.append(Diagnostic(properties.location, "'properties' must be a list"))
                    }
                }
            } else {
                problems.append(Diagnostic(schema.location, "'schema' must be a list of objects"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return root.jsonValue
    }

    /// Reads and parses `path` from `source`.
    public static func load(_ path: String, from source: any FileSource) throws(DiagnosticList) -> JSONValue {
        let data: Data
        do {
            data = try source.read(path)
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path), "\(error)")])
        }
        return try parse(data, path: path)
    }
}
