import Foundation
import LakegateCore

/// Loads an ODCS contract file as JSON.
public enum ContractDocument {
    /// Parses YAML (or JSON, which is YAML) bytes; errors are `path:line:column` diagnostics.
    public static func parse(_ data: Data, path: String) throws(DiagnosticList) -> JSONValue {
        let document = try LocatedYAML.parse(data, path: path)
        guard case .object(let root) = document.value else {
            throw DiagnosticList([Diagnostic(document.location(""), "a data contract must be a mapping")])
        }
        if let schema = root["schema"], schema.arrayValue == nil {
            throw DiagnosticList([Diagnostic(document.location("schema"), "'schema' must be a list of objects")])
        }
        var problems: [Diagnostic] = []
        for (index, object) in (root["schema"]?.arrayValue ?? []).enumerated() {
            if object["name"]?.stringValue == nil {
                problems.append(Diagnostic(document.location("schema.\(index)"), "schema object without a 'name'"))
            }
            if let properties = object["properties"], properties.arrayValue == nil {
                problems.append(
                    Diagnostic(document.location("schema.\(index).properties"), "'properties' must be a list"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return document.value
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
