import LakegateCore
import Planner

/// Hand-written desired resources, one or more per kind, in the canonical shape of docs/resource-model.md.
enum Fixtures {
    static let product = "c360"
    static let target = "dev"
    static let markers: JSONValue = ["lakegate.product": "c360", "lakegate.target": "dev"]

    static let catalog = Resource(
        kind: .catalog, key: "catalogs.main", name: "c360_dev",
        fields: [
            "name": "c360_dev", "comment": "Customer 360", "properties": markers, "tags": markers,
            "grants": [["principal": "analysts", "privileges": ["USE_CATALOG"]]],
        ])
    static let schema = Resource(
        kind: .schema, key: "schemas.crm", name: "c360_dev.crm",
        fields: [
            "name": "crm", "catalog_name": "c360_dev", "comment": "CRM data", "properties": markers, "tags": markers,
            "grants": [["principal": "analysts", "privileges": ["SELECT", "USE_SCHEMA"]]],
        ], dependsOn: ["catalogs.main"])
    static let function = Resource(
        kind: .function, key: "functions.mask_email", name: "c360_dev.crm.mask_email",
        fields: [
            "name": "mask_email", "catalog_name": "c360_dev", "schema_name": "crm", "input_params": "email STRING",
            "data_type": "STRING", "routine_definition": "CASE WHEN is_member('pii') THEN email ELSE '***' END",
            "comment": "Masks e-mail addresses",
        ], dependsOn: ["schemas.crm"])
    static let table = Resource(
        kind: .table, key: "tables.customers", name: "c360_dev.crm.customers",
        fields: [
            "name": "customers", "catalog_name": "c360_dev", "schema_name": "crm", "table_type": "MANAGED",
            "comment": "One row per customer",
            "tags": ["lakegate.product": "c360", "lakegate.target": "dev", "domain": "crm"],
            "columns": [
                ["name": "customer_id", "type_text": "bigint", "nullable": false, "comment": "Surrogate key"],
                [
                    "name": "email", "type_text": "string", "nullable": true, "comment": "Primary e-mail",
                    "tags": ["pii": "email"],
                    "mask": ["function_name": "c360_dev.crm.mask_email", "using_column_names": []],
                ],
                ["name": "lifetime_value", "type_text": "decimal(10,2)", "nullable": true],
            ],
            "properties": ["quality": "gold"],
            "grants": [["principal": "analysts", "privileges": ["SELECT"]]],
        ], dependsOn: ["functions.mask_email", "schemas.crm"])
    static let volume = Resource(
        kind: .volume, key: "volumes.landing", name: "c360_dev.crm.landing",
        fields: [
            "name": "landing", "catalog_name": "c360_dev", "schema_name": "crm", "volume_type": "MANAGED",
            "comment": "Raw files", "tags": markers,
            "grants": [["principal": "engineers", "privileges": ["READ_VOLUME", "WRITE_VOLUME"]]],
        ], dependsOn: ["schemas.crm"])
    static let recipient = Resource(
        kind: .recipient, key: "recipients.partner", name: "partner",
        fields: ["name": "partner", "authentication_type": "TOKEN", "comment": "Partner org"])
    static let share = Resource(
        kind: .share, key: "shares.c360", name: "c360_dev_share",
        fields: [
            "name": "c360_dev_share", "comment": "Shared customer data",
            "objects": [["name": "c360_dev.crm.customers", "data_object_type": "TABLE"]],
            "grants": [["principal": "partner", "privileges": ["SELECT"]]],
        ], dependsOn: ["recipients.partner", "tables.customers"])
    static let notebook = Resource(
        kind: .notebook, key: "notebooks.src/ingest.py", name: "/Workspace/c360/dev/ingest",
        fields: [
            "path": "/Workspace/c360/dev/ingest", "language": "PYTHON", "source": "src/ingest.py",
            "sha256": "0f1e2d",
        ])
    static let genie = Resource(
        kind: .genieSpace, key: "genie_spaces.customers", name: "Customers (dev)",
        fields: [
            "title": "Customers (dev)", "description": "Ask about customers", "warehouse_id": "wh1",
            "serialized_space": ["version": 2, "data_sources": ["tables": [["identifier": "c360_dev.crm.customers"]]]],
        ], dependsOn: ["tables.customers"])
    static let job = Resource(
        kind: .job, key: "jobs.nightly", name: "c360 nightly (dev)",
        fields: [
            "settings": [
                "name": "c360 nightly (dev)",
                "tags": ["lakegate.product": "c360", "lakegate.target": "dev", "dev": ""],
                "tasks": [["task_key": "ingest", "notebook_task": ["notebook_path": "/Workspace/c360/dev/ingest"]]],
                "max_concurrent_runs": 2,
            ],
            "permissions": [
                ["principal": "ops", "principal_type": "group_name", "permission_level": "CAN_MANAGE_RUN"]
            ],
        ], dependsOn: ["notebooks.src/ingest.py"])
    static let monitor = Resource(
        kind: .qualityMonitor, key: "quality_monitors.customers", name: "c360_dev.crm.customers",
        fields: [
            "table_name": "c360_dev.crm.customers", "output_schema_name": "c360_dev.crm",
            "assets_dir": "/Workspace/c360/dev/monitors", "snapshot": [:], "warehouse_id": "wh1",
        ], dependsOn: ["tables.customers"])

    static let all = [catalog, schema, function, table, volume, recipient, share, notebook, genie, job, monitor]

    static func desired(_ resources: [Resource]) -> DesiredState {
        DesiredState(product: product, target: target, resources: resources)
    }

    /// The live object a workspace would report for `resource`: same fields plus server-side noise.
    static func live(
        _ resource: Resource, owned: Bool = true, fields: [String: JSONValue]? = nil, noise: Bool = true
    ) -> LiveResource {
        var f = fields ?? resource.fields
        if noise {
            f["created_at"] = 1_732_000_000_000
            f["owner"] = "someone@example.com"
            f["full_name"] = .string(resource.name)
            switch resource.kind {
            case .table:
                var properties = f["properties"]?.objectValue ?? [:]
                properties["delta.minReaderVersion"] = "1"
                f["properties"] = .object(properties)
                f["storage_location"] = "s3://bucket/tables/abc"
                f["data_source_format"] = "DELTA"
                if let columns = f["columns"]?.arrayValue {
                    f["columns"] = .array(
                        columns.enumerated().map { position, column in
                            var c = column.objectValue ?? [:]
                            c["position"] = .int(Int64(position))
                            c["type_name"] = .string((c["type_text"]?.stringValue ?? "").uppercased())
                            c["type_text"] = .string((c["type_text"]?.stringValue ?? "").uppercased())
                            return .object(c)
                        })
                }
            case .qualityMonitor:
                f["warehouse_id"] = nil  // write-only
                f["status"] = "MONITOR_STATUS_ACTIVE"
            case .share:
                // The server names shared tables `schema.table` when no name was given.
                f["objects"] = .array(
                    (f["objects"]?.arrayValue ?? []).map { object in
                        var o = object.objectValue ?? [:]
                        let name = o["name"]?.stringValue ?? ""
                        o["shared_as"] = .string(name.split(separator: ".").dropFirst().joined(separator: "."))
                        o["added_at"] = 1_732_000_000_000
                        return .object(o)
                    })
            case .job:
                if var settings = f["settings"]?.objectValue {
                    settings["format"] = "MULTI_TASK"
                    settings["timeout_seconds"] = 0
                    // The jobs reader drops tags without a value.
                    if let tags = settings["tags"]?.objectValue {
                        settings["tags"] = .object(tags.filter { $0.value != "" })
                    }
                    f["settings"] = .object(settings)
                }
            default: break
            }
        }
        return LiveResource(
            kind: resource.kind, key: resource.key, name: resource.name, id: "id-\(resource.key)", fields: f,
            ownedMarker: owned, etag: resource.kind == .genieSpace ? "etag-1" : nil)
    }

    static func inventory(_ resource: Resource) -> InventoryEntry {
        InventoryEntry(
            product: product, target: target, key: resource.key, kind: resource.kind, name: resource.name,
            liveID: "id-\(resource.key)")
    }

    /// A snapshot in which every resource exists, owned and in sync.
    static func synced(_ resources: [Resource]) -> (LiveSnapshot, [InventoryEntry]) {
        var live: [String: LiveResource] = [:]
        for r in resources { live[r.key] = Fixtures.live(r) }
        return (LiveSnapshot(resources: live), resources.map(inventory))
    }

    static func with(_ resource: Resource, _ change: (inout [String: JSONValue]) -> Void) -> Resource {
        var copy = resource
        change(&copy.fields)
        return copy
    }
}
