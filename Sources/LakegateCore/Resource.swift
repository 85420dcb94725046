/// One desired Databricks object after rendering: kind, stable key, full name, canonical fields, dependencies.
public struct Resource: Sendable, Hashable, Codable {
    /// What kind of object this is.
    public var kind: ResourceKind
    /// Stable key within the product: `<kind>.<name in the bundle or contract>`, e.g. `tables.customers`.
    public var key: String
    /// The full Databricks name: `cat.sch.tbl` for securables, the job name, the workspace path, the space title.
    public var name: String
    /// Canonical fields, as listed for the kind in `docs/resource-model.md`.
    public var fields: [String: JSONValue]
    /// Keys of the resources this one needs to exist first, sorted.
    public var dependsOn: [String]

    public init(kind: ResourceKind, key: String, name: String, fields: [String: JSONValue], dependsOn: [String] = []) {
        self.kind = kind
        self.key = key
        self.name = name
        self.fields = fields
        self.dependsOn = dependsOn.sorted()
    }

    /// The resource as a JSON object: `{"kind", "key", "name", "fields", "dependsOn"}`.
    public var jsonValue: JSONValue {
        .object([
            "kind": .string(kind.rawValue),
            "key": .string(key),
            "name": .string(name),
            "fields": .object(fields),
            "dependsOn": .array(dependsOn.map { .string($0) }),
        ])
    }
}
