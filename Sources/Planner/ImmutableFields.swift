import LakegateCore

/// The fields the workspace cannot change in place, per kind: a difference in one of them means replace
/// (delete, then create). From `research/databricks-rest.md` and the Terraform provider's `ForceNew` fields.
public enum ImmutableFields {
    /// The immutable canonical fields of `kind`. `name` stands for the resource's full name.
    public static func of(_ kind: ResourceKind) -> [String] {
        switch kind {
        case .catalog: ["name"]
        case .schema: ["name", "catalog_name"]
        case .function: ["name", "catalog_name", "schema_name"]
        case .table: ["name", "catalog_name", "schema_name", "table_type", "partition_columns"]
        case .volume: ["name", "catalog_name", "schema_name", "volume_type", "storage_location"]
        case .recipient: ["name", "authentication_type", "data_recipient_global_metastore_id"]
        case .share: ["name"]
        case .notebook: ["path"]
        case .genieSpace: []
        case .job: []
        case .qualityMonitor: ["table_name", "assets_dir"]
        }
    }
}
