import LakegateCore

/// What a plan does to one resource.
public enum PlanActionType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The resource is missing: create it.
    case create
    /// Some mutable fields differ: change only those.
    case update
    /// An immutable field differs: delete, then create.
    case replace
    /// Owned and no longer desired: delete it.
    case delete
    /// A delete that is not allowed (stateful object, dropped column, missing marker): keep it and report it.
    case retain
    /// The object exists but is not in the inventory: take ownership (and fix what differs).
    case adopt

    /// The mark shown in text plans, like `terraform plan`.
    public var mark: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .retain: "!"
        case .adopt: "<="
        }
    }
}

/// One field that differs between the live and the desired object.
public struct FieldChange: Sendable, Hashable {
    /// Dotted path of the field (`comment`, `columns.email.comment`, `tags.owner`, `grants.analysts`).
    public var field: String
    /// The live value; nil when the field is absent live.
    public var before: JSONValue?
    /// The desired value; nil when the field is to be removed.
    public var after: JSONValue?

    public init(field: String, before: JSONValue?, after: JSONValue?) {
        self.field = field
        self.before = before
        self.after = after
    }

    /// `{"field", "before", "after"}` with `null` for an absent side.
    public var jsonValue: JSONValue {
        .object(["field": .string(field), "before": before ?? .null, "after": after ?? .null])
    }
}

/// One step of a plan: an action on one resource with the operations that carry it out.
public struct PlanAction: Sendable, Hashable {
    /// What is done.
    public var type: PlanActionType
    /// The kind of object.
    public var kind: ResourceKind
    /// The product key (`tables.customers`; `tables.customers.columns.email` for a retained column).
    public var key: String
    /// The full Databricks name.
    public var name: String
    /// Field differences, before → after; for creates every desired field.
    public var changes: [FieldChange]
    /// The narrowest calls that perform the action, in order. Empty for `retain`.
    public var operations: [PlanOperation]
    /// Keys of actions in the same plan that must succeed first.
    public var dependsOn: [String]
    /// The live id (job id, space id, full name) for existing objects.
    public var liveID: String?
    /// The concurrency token read with the live object (Genie etag).
    public var etag: String?
    /// Why the action is what it is, for `retain` and `adopt`.
    public var reason: String?
    /// The group of actions that may run in parallel; waves run in order.
    public var wave: Int
    /// The desired resource (normalized) for creates, updates, replaces and adopts; nil otherwise.
    public var resource: Resource?

    public init(
        type: PlanActionType, kind: ResourceKind, key: String, name: String, changes: [FieldChange] = [],
        operations: [PlanOperation] = [], dependsOn: [String] = [], liveID: String? = nil, etag: String? = nil,
        reason: String? = nil, wave: Int = 0, resource: Resource? = nil
    ) {
        self.type = type
        self.kind = kind
        self.key = key
        self.name = name
        self.changes = changes
        self.operations = operations
        self.dependsOn = dependsOn
        self.liveID = liveID
        self.etag = etag
        self.reason = reason
        self.wave = wave
        self.resource = resource
    }

    /// `{"action", "kind", "key", "name", "changes", ...}` as `lakegate plan --output json` prints it.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "action": .string(type.rawValue),
            "kind": .string(kind.rawValue),
            "key": .string(key),
            "name": .string(name),
            "changes": .array(changes.map(\.jsonValue)),
            "operations": .array(operations.map(\.jsonValue)),
            "dependsOn": .array(dependsOn.map { .string($0) }),
            "wave": .int(Int64(wave)),
        ]
        if let reason { object["reason"] = .string(reason) }
        return .object(object)
    }
}
