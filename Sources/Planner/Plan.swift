import LakegateCore

/// Counts of actions by type.
public struct PlanSummary: Sendable, Hashable {
    public var create = 0
    public var update = 0
    public var replace = 0
    public var delete = 0
    public var retain = 0
    public var adopt = 0

    public init(actions: [PlanAction]) {
        for action in actions {
            switch action.type {
            case .create: create += 1
            case .update: update += 1
            case .replace: replace += 1
            case .delete: delete += 1
            case .retain: retain += 1
            case .adopt: adopt += 1
            }
        }
    }

    /// `{"create": n, "update": n, "replace": n, "delete": n, "retain": n, "adopt": n}`.
    public var jsonValue: JSONValue {
        .object([
            "create": .int(Int64(create)), "update": .int(Int64(update)), "replace": .int(Int64(replace)),
            "delete": .int(Int64(delete)), "retain": .int(Int64(retain)), "adopt": .int(Int64(adopt)),
        ])
    }

    /// `Plan: 3 to create, 1 to update, 0 to delete, 1 retained.` (replace and adopt only when present).
    public var line: String {
        var parts = ["\(create) to create", "\(update) to update"]
        if replace > 0 { parts.append("\(replace) to replace") }
        parts.append("\(delete) to delete")
        if adopt > 0 { parts.append("\(adopt) to adopt") }
        parts.append("\(retain) retained")
        return "Plan: " + parts.joined(separator: ", ") + "."
    }
}

/// The ordered actions that bring a product's target from its live state to its desired state.
public struct Plan: Sendable, Hashable {
    /// The product id.
    public var product: String
    /// The target (`dev`, `prod`).
    public var target: String
    /// Actions in execution order: by wave, then apply order of the kind, then key.
    public var actions: [PlanAction]
    /// Inventory keys whose objects are certainly gone: the executor forgets them.
    public var forget: [String]
    /// Things worth saying that are not actions (an incomplete snapshot, skipped deletes).
    public var warnings: [String]
    /// Live changes kept by a three-way plan (self-heal off), by resource key; not actions, not in the digest.
    public var drift: [PlanDrift] = []
    /// What to record as last applied once the plan is carried out: resource key → normalized desired fields,
    /// only where the record is missing or differs. Not in the digest.
    public var lastApplied: [String: JSONValue] = [:]

    public init(product: String, target: String, actions: [PlanAction], forget: [String] = [], warnings: [String] = [])
    {
        self.product = product
        self.target = target
        self.actions = actions
        self.forget = forget.sorted()
        self.warnings = warnings
    }

    /// Counts by action type.
    public var summary: PlanSummary { PlanSummary(actions: actions) }

    /// Whether applying would change anything (retained objects change nothing).
    public var hasChanges: Bool { actions.contains { $0.type != .retain } }

    /// The actions grouped by wave, in order; actions in one wave do not depend on each other.
    public var waves: [[PlanAction]] {
        var result: [[PlanAction]] = []
        for action in actions {
            while result.count <= action.wave { result.append([]) }
            result[action.wave].append(action)
        }
        return result.filter { !$0.isEmpty }
    }

    /// The plan without its digest.
    var body: JSONValue {
        .object([
            "product": .string(product),
            "target": .string(target),
            "actions": .array(actions.map(\.jsonValue)),
        ])
    }

    /// `sha256:<hex>` over the canonical JSON of the product, target and actions with their operations.
    public var digest: String {
        "sha256:" + SHA256Digest.hex(of: body.canonicalJSON)
    }

    /// `{"target", "digest", "actions", "summary", ...}`: what `lakegate plan --output json` prints.
    public var jsonValue: JSONValue {
        .object([
            "product": .string(product),
            "target": .string(target),
            "digest": .string(digest),
            "actions": .array(actions.map(\.jsonValue)),
            "summary": summary.jsonValue,
            "warnings": .array(warnings.map { .string($0) }),
            "drift": .array(drift.map(\.jsonValue)),
        ])
    }
}
