import LakegateCore

/// Keys of Databricks Asset Bundles that Lakegate accepts with a warning naming them instead of refusing: they
/// mean something to `databricks bundle deploy` (who jobs run as, deployment presets, artifacts, file sync,
/// permissions of the deployment, destroy protection) and nothing to what Lakegate reconciles.
enum IgnoredBundleKeys {
    /// Top level of `databricks.yml` and of included files.
    static let topLevel = [
        "run_as", "presets", "permissions", "artifacts", "sync", "experimental", "python", "scripts",
    ]
    /// A `targets.<name>` entry.
    static let target = [
        "run_as", "presets", "permissions", "artifacts", "sync", "git", "cluster_id", "compute_id", "bundle",
    ]
    /// The `bundle` section.
    static let bundle = ["databricks_cli_version", "cluster_id", "compute_id", "git", "uuid", "deployment"]
    /// A `workspace` section (the deployment's own paths and authentication; Lakegate's comes from its own
    /// configuration).
    static let workspace = [
        "profile", "auth_type", "artifact_path", "file_path", "state_path", "resource_path", "client_id",
        "azure_client_id", "azure_tenant_id", "azure_environment", "azure_workspace_resource_id",
        "azure_use_msi", "azure_login_app_id", "google_service_account",
    ]
    /// Any resource (`lifecycle.prevent_destroy`: Lakegate's own retention rules protect stateful objects).
    static let resource = ["lifecycle"]
    /// Resources whose `permissions` Lakegate does not manage (Unity Catalog objects take `grants`).
    static let resourcePermissions: Set<ResourceKind> = [.catalog, .schema, .volume, .genieSpace, .qualityMonitor]

    /// `node` without the keys Lakegate ignores on a resource of `kind`, each reported as a warning.
    static func strip(
        _ node: YAMLNode, context: String, kind: ResourceKind, diagnostics: inout DiagnosticCollector
    ) -> YAMLNode {
        guard let pairs = node.mapping else { return node }
        let ignored = resource + (resourcePermissions.contains(kind) ? ["permissions"] : [])
        var kept: [YAMLPair] = []
        for pair in pairs {
            if ignored.contains(pair.key) {
                diagnostics.warn(
                    pair.keyLocation, "'\(pair.key)' in \(context) is accepted but not acted on by Lakegate: ignored")
            } else {
                kept.append(pair)
            }
        }
        return kept.count == pairs.count ? node : YAMLNode(.mapping(kept), location: node.location)
    }
}
