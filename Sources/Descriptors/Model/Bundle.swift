import LakegateCore

/// The bundle part of a product: `databricks.yml` with its `include:` files merged, before any target is applied.
struct Bundle: Sendable {
    /// `bundle.name`.
    var name: String
    /// The merged bundle as JSON.
    var json: JSONValue
    /// Declared variables by name.
    var variables: [String: BundleVariable]
    /// The top-level `workspace` mapping, if any.
    var workspace: YAMLNode?
    /// Resources by kind and key.
    var resources: [ResourceKind: [String: BundleResource]]
    /// Targets by name.
    var targets: [String: BundleTarget]
}

/// A `variables.<name>` entry.
struct BundleVariable: Sendable {
    var name: String
    var defaultValue: YAMLNode?
    var description: String?
    var location: SourceLocation
}

/// One resource entry (`resources.<kind>.<key>`), with the file it was declared in for relative paths.
struct BundleResource: Sendable {
    var kind: ResourceKind
    var key: String
    var node: YAMLNode
    var file: String
    var keyLocation: SourceLocation
}

/// A `targets.<name>` entry.
struct BundleTarget: Sendable {
    var name: String
    var isDefault: Bool
    var mode: String?
    var workspace: YAMLNode?
    var variables: [YAMLPair]
    var resources: [ResourceKind: [String: BundleResource]]
    var location: SourceLocation
}

/// The resource kinds a bundle may declare (tables, functions, shares, recipients and notebooks come from
/// contracts, `dataproduct.yaml` and `src/`).
enum BundleKinds {
    static let supported: [ResourceKind] = [.catalog, .schema, .volume, .job, .genieSpace, .qualityMonitor]
    static let known: [String] = [
        "jobs", "pipelines", "schemas", "volumes", "catalogs", "external_locations", "quality_monitors",
        "registered_models", "genie_spaces", "dashboards", "apps", "alerts", "sql_warehouses", "clusters",
        "secret_scopes", "experiments", "models", "model_serving_endpoints", "database_instances",
        "database_catalogs", "synced_database_tables",
    ]
}
