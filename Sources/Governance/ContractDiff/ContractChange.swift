import LakegateCore

/// Whether a value appeared, disappeared or changed between two versions of a contract.
public enum ContractChangeKind: String, Sendable, Hashable, CaseIterable {
    case added
    case removed
    case updated
}

/// How a change moves the set of data a contract permits, as in datacontract-cli 1.2.
public enum ChangeDirection: String, Sendable, Hashable, CaseIterable {
    /// Fewer rows or values are permitted: existing data may now fail (producer-breaking).
    case tightens
    /// More are permitted: consumers lose a guarantee (consumer-breaking).
    case loosens
    /// Some are removed and some added: breaking for everyone.
    case both
    /// The effect cannot be decided statically (e.g. a changed pattern).
    case undetermined
    /// No rule models the change (metadata).
    case untested
}

/// How serious a change is for one perspective.
public enum ChangeLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case info
    case warning
    case error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: ChangeLevel, b: ChangeLevel) -> Bool { a.rank < b.rank }
}

/// Whose guarantees a diff protects: the consumers reading the data, or the producer writing it.
public enum ContractPerspective: String, Sendable, Hashable, CaseIterable {
    case consumer
    case producer
}

/// One typed change between two contracts.
public struct ContractChange: Sendable, Hashable {
    /// Dotted path with named lists keyed by their natural key, e.g. `schema.orders.properties.amount.required`.
    public var path: String
    public var kind: ContractChangeKind
    /// The rule that classified the change (`required-changed`, `pii-removed`, …).
    public var rule: String
    public var direction: ChangeDirection
    public var level: ChangeLevel
    /// The value before; nil when added.
    public var old: JSONValue?
    /// The value after; nil when removed.
    public var new: JSONValue?

    /// `{"path", "change", "rule", "direction", "level", "old", "new"}`; absent sides are `null`.
    public var jsonValue: JSONValue {
        .object([
            "path": .string(path),
            "change": .string(kind.rawValue),
            "rule": .string(rule),
            "direction": .string(direction.rawValue),
            "level": .string(level.rawValue),
            "old": old ?? .null,
            "new": new ?? .null,
        ])
    }
}
