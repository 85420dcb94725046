import Foundation
import LakegateCore

/// A JSON object as the API sends and stores it.
typealias JSONObject = [String: JSONValue]

/// Everything the emulated workspace holds. Value type: the ``Workspace`` actor owns the one copy,
/// handlers mutate it, and it is written to the state file as JSON.
public struct WorkspaceState: Codable, Sendable {
    /// The id of the warehouse that exists from the start.
    public static let starterWarehouseID = "a1b2c3d4e5f60001"

    var workspaceID: String
    var metastoreID: String
    var catalogs = SortedMap<JSONObject>()
    var schemas = SortedMap<JSONObject>()
    var tables = SortedMap<TableRecord>()
    var volumes = SortedMap<JSONObject>()
    var functions = SortedMap<JSONObject>()
    /// Direct grants by `type/full_name`, then principal → privileges.
    var grants = SortedMap<[String: [String]]>()
    /// Tags by `entity_type/entity_name` (plural types: `tables/c.s.t`, `columns/c.s.t.col`).
    var tags = SortedMap<[String: TagRecord]>()
    var shares = SortedMap<JSONObject>()
    var sharePermissions = SortedMap<[String: [String]]>()
    var recipients = SortedMap<JSONObject>()
    /// Quality monitors by table full name.
    var monitors = SortedMap<JSONObject>()
    var jobs = SortedMap<JobRecord>()
    var nextJobID: Int64 = 1001
    /// Access control lists by `object_type/object_id` (`jobs/42`).
    var accessControl = SortedMap<[JSONValue]>()
    var workspaceObjects = SortedMap<WorkspaceObject>()
    var nextObjectID: Int64 = 1_000_000
    var genieSpaces = SortedMap<JSONObject>()
    var warehouses = SortedMap<JSONObject>()
    var statements = SortedMap<JSONObject>()
    /// Issued OAuth access tokens and their expiry in epoch seconds.
    var oauthTokens: [String: Int64] = [:]
    /// The audit log (`system.access.audit`), oldest first; nil in state files written before it existed.
    var auditLog: [AuditRecord]?

    /// A fresh workspace: the starter warehouse and the root directories; no catalogs.
    public init(workspaceID: String = "1234567890123456") {
        self.workspaceID = workspaceID
        self.metastoreID = "11111111-2222-3333-4444-555555555555"
        let now = ISOTime.nowMillis()
        warehouses[Self.starterWarehouseID] = Self.warehouse(
            id: Self.starterWarehouseID, name: "Starter Warehouse", creator: Principal.defaultUser)
        workspaceObjects["/"] = WorkspaceObject(
            path: "/", objectType: "DIRECTORY", objectID: 0, language: nil, content: Data(), createdAt: now,
            modifiedAt: now)
        for path in ["/Shared", "/Users", "/Users/\(Principal.defaultUser)"] {
            workspaceObjects[path] = WorkspaceObject(
                path: path, objectType: "DIRECTORY", objectID: nextObjectID, language: nil, content: Data(),
                createdAt: now, modifiedAt: now)
            nextObjectID += 1
        }
    }

    static func warehouse(id: String, name: String, creator: String) -> JSONObject {
        [
            "id": .string(id), "name": .string(name), "state": "RUNNING", "cluster_size": "2X-Small",
            "warehouse_type": "PRO", "enable_serverless_compute": true, "auto_stop_mins": 10, "num_clusters": 1,
            "min_num_clusters": 1, "max_num_clusters": 1, "creator_name": .string(creator),
            "jdbc_url": .string(
                "jdbc:spark://127.0.0.1:443/default;transportMode=http;httpPath=/sql/1.0/warehouses/\(id)"),
            "odbc_params": [
                "hostname": "127.0.0.1", "path": .string("/sql/1.0/warehouses/\(id)"), "port": 443, "protocol": "https",
            ],
            "tags": ["custom_tags": []], "spot_instance_policy": "COST_OPTIMIZED",
        ]
    }
}

/// Who is calling: the user behind a token or an OAuth client.
enum Principal {
    static let defaultUser = "emulator-user@lakegate.local"
}
