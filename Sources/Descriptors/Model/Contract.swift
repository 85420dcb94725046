import LakegateCore

/// An ODCS v3.1 data contract, kept whole as JSON (unknown fields included), with typed accessors.
public struct Contract: Sendable, Hashable {
    /// Path relative to the product root, e.g. `contracts/customers.odcs.yaml`.
    public var path: String
    /// The whole document as JSON.
    public var json: JSONValue
    /// The parsed YAML, for positions.
    public var node: YAMLNode

    public init(path: String, json: JSONValue, node: YAMLNode) {
        self.path = path
        self.json = json
        self.node = node
    }

    /// The ODCS `id`.
    public var id: String? { json["id"]?.stringValue }
    /// The ODCS `name`.
    public var name: String? { json["name"]?.stringValue }
    /// The contract `version`.
    public var version: String? { json["version"]?.stringValue }
    /// `proposed`, `draft`, `active`, `deprecated` or `retired`.
    public var status: String? { json["status"]?.stringValue }
    /// The `apiVersion`, e.g. `v3.1.0`.
    public var apiVersion: String? { json["apiVersion"]?.stringValue }
    /// The schema objects (tables, views, …) as JSON.
    public var schemaObjects: [JSONValue] { json["schema"]?.arrayValue ?? [] }
    /// The schema objects with `physicalType: table`.
    public var tables: [JSONValue] {
        schemaObjects.filter { ($0["physicalType"]?.stringValue ?? "table").lowercased() == "table" }
    }
    /// The `slaProperties` entries.
    public var slaProperties: [JSONValue] { json["slaProperties"]?.arrayValue ?? [] }
    /// Every `quality` rule of the contract, its schema objects and their properties.
    public var qualityRules: [JSONValue] {
        var rules = json["quality"]?.arrayValue ?? []
        for object in schemaObjects {
            rules += object["quality"]?.arrayValue ?? []
            for property in object["properties"]?.arrayValue ?? [] {
                rules += property["quality"]?.arrayValue ?? []
            }
        }
        return rules
    }
}
