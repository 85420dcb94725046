/// The kinds of Databricks object Lakegate manages.
///
/// The raw value is the plural key used in bundles and in resource keys (`schemas.sales`).
/// `docs/resource-model.md` lists the canonical fields of each kind.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case catalog = "catalogs"
    case schema = "schemas"
    case function = "functions"
    case table = "tables"
    case volume = "volumes"
    case share = "shares"
    case recipient = "recipients"
    case notebook = "notebooks"
    case genieSpace = "genie_spaces"
    case job = "jobs"
    case qualityMonitor = "quality_monitors"

    /// Position in the apply order: parents and referenced objects first.
    public var applyOrder: Int {
        switch self {
        case .catalog: 0
        case .schema: 1
        case .function: 2
        case .table: 3
        case .volume: 4
        case .recipient: 5
        case .share: 6
        case .notebook: 7
        case .genieSpace: 8
        case .job: 9
        case .qualityMonitor: 10
        }
    }

    /// Kinds whose deletion loses data; they are retained unless destroy is allowed.
    public var isStateful: Bool {
        switch self {
        case .catalog, .schema, .table, .volume: true
        default: false
        }
    }

    /// The singular name used in messages (`schema`, `genie space`).
    public var singular: String {
        switch self {
        case .catalog: "catalog"
        case .schema: "schema"
        case .function: "function"
        case .table: "table"
        case .volume: "volume"
        case .share: "share"
        case .recipient: "recipient"
        case .notebook: "notebook"
        case .genieSpace: "genie space"
        case .job: "job"
        case .qualityMonitor: "quality monitor"
        }
    }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.applyOrder < rhs.applyOrder }
}
