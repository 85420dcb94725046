import LakegateCore

/// Live changes a three-way plan keeps on one resource (self-heal off): fields whose live value differs from
/// the desired one although the revision did not change them since Lakegate last applied them.
public struct PlanDrift: Sendable, Hashable {
    /// The kind of object.
    public var kind: ResourceKind
    /// The product key.
    public var key: String
    /// The full Databricks name.
    public var name: String
    /// Each kept field: `before` is the live value (kept), `after` the desired one (not applied).
    public var changes: [FieldChange]

    public init(kind: ResourceKind, key: String, name: String, changes: [FieldChange]) {
        self.kind = kind
        self.key = key
        self.name = name
        self.changes = changes
    }

    /// `{"kind", "key", "name", "changes": [{"field", "before", "after"}]}`.
    public var jsonValue: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "key": .string(key), "name": .string(name),
            "changes": .array(changes.map(\.jsonValue)),
        ])
    }
}
