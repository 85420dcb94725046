import Databricks
import Foundation
import LakegateCore
import Planner

/// Maps plan operations to Databricks client calls, one call per operation (two for a notebook import,
/// which first makes its folder; a changed tag value is an update after the create says it exists).
public struct DatabricksPerformer: PlanOperationPerformer {
    let client: DatabricksClient
    let warehouseID: String?
    let source: any FileSource
    let product: String
    let target: String
    /// The live state the plan was made from, when there is one.
    let snapshot: LiveSnapshot?

    /// - Parameters:
    ///   - warehouseID: the SQL warehouse for table and function statements.
    ///   - source: the product files, for notebook contents.
    ///   - snapshot: the live state the plan was made from; an owned object it holds is adopted without a read.
    public init(
        client: DatabricksClient, warehouseID: String?, source: any FileSource, product: String, target: String,
        snapshot: LiveSnapshot? = nil
    ) {
        self.client = client
        self.warehouseID = warehouseID
        self.source = source
        self.product = product
        self.target = target
        self.snapshot = snapshot
    }

    public func ownedLiveID(of action: PlanAction) async -> String? {
        guard let resource = action.resource else { return nil }
        if let known = snapshot?.resources[action.key], known.ownedMarker { return known.id }
        // The plan saw no such object (it was created since): only then is it read.
        let reader = LiveStateReader(client: client, warehouseID: warehouseID)
        let snapshot = await reader.read(
            desired: DesiredState(product: product, target: target, resources: [resource]), inventory: [])
        guard let live = snapshot.resources[action.key], live.ownedMarker else { return nil }
        return live.id
    }

    public func perform(_ operation: PlanOperation, of action: PlanAction, liveID: String?) async throws
        -> OperationOutcome
    {
        switch operation {
        case .create(let resource): return try await create(resource)
        case .patch(let fields): try await patch(fields, of: action, liveID: liveID)
        case .grants(let securable, let changes):
            let body = changes.map(\.jsonValue)
            if securable == "share" {
                _ = try await client.updateSharePermissions(action.name, changes: body)
            } else {
                _ = try await client.updateGrants(securableType: securable, fullName: action.name, changes: body)
            }
        case .setTag(let type, let name, let key, let value):
            do {
                if case .alreadyExistsAfterRetry = try await client.createTagAssignment(
                    entityType: type, entityName: name, key: key, value: value)
                {
                    try await client.updateTagAssignment(entityType: type, entityName: name, key: key, value: value)
                }
            } catch let error as DatabricksError where error.kind == .alreadyExists || error.kind == .conflict {
                try await client.updateTagAssignment(entityType: type, entityName: name, key: key, value: value)
            }
        case .unsetTag(let type, let name, let key):
            do {
                try await client.deleteTagAssignment(entityType: type, entityName: name, key: key)
            } catch let error as DatabricksError where error.kind == .notFound {}
        case .sql(let statement):
            guard let warehouseID else {
                throw ApplyError("no SQL warehouse configured (DATABRICKS_WAREHOUSE_ID) for: \(statement.prefix(60))")
            }
            do {
                _ = try await client.executeSQL(
                    statement, warehouseID: warehouseID,
                    existing: client.lookupCreated(by: statement, action.kind, action.name))
            } catch let error as DatabricksError
                where statement.hasPrefix("CREATE ") && !statement.hasPrefix("CREATE OR REPLACE")
                && (error.kind == .alreadyExists || "\(error)".uppercased().contains("ALREADY_EXISTS"))
            {
                return .alreadyExists
            }
            if statement.hasPrefix("CREATE ") { return .done(liveID: action.name) }
        case .resetJob(let settings):
            try await client.resetJob(try jobID(liveID, action), settings: settings)
        case .setJobPermissions(let permissions):
            let acl: [JSONValue] = permissions.map { entry in
                let type = entry["principal_type"]?.stringValue ?? "group_name"
                return .object([
                    type: entry["principal"] ?? .null, "permission_level": entry["permission_level"] ?? .null,
                ])
            }
            _ = try await client.setJobPermissions(try jobID(liveID, action), acl: acl)
        case .updateShareObjects(let add, let remove):
            let updates =
                remove.map { JSONValue.object(["action": "REMOVE", "data_object": $0]) }
                + add.map { JSONValue.object(["action": "ADD", "data_object": $0]) }
            _ = try await client.updateShare(action.name, ["updates": .array(updates)])
        case .importNotebook(let path, let language, let sourcePath):
            let bytes = try source.read(sourcePath)
            if let slash = path.lastIndex(of: "/"), slash > path.startIndex {
                try await client.mkdirs(path: String(path[..<slash]))
            }
            try await client.importWorkspaceObject(
                path: path, content: [UInt8](bytes), format: "SOURCE", language: language, overwrite: true)
            return .done(liveID: path)
        case .delete:
            do {
                try await delete(action, liveID: liveID)
            } catch let error as DatabricksError where error.kind == .notFound {}
        }
        return .done(liveID: nil)
    }

    func jobID(_ liveID: String?, _ action: PlanAction) throws -> Int64 {
        guard let liveID, let id = Int64(liveID) else {
            throw ApplyError("job \(action.key) has no job id (got \(liveID ?? "none"))")
        }
        return id
    }

    /// The fields of `resource` named in `keys`.
    static func body(_ resource: Resource, _ keys: [String]) -> JSONValue {
        var body: [String: JSONValue] = [:]
        for key in keys { if let value = resource.fields[key] { body[key] = value } }
        return .object(body)
    }

    func create(_ resource: Resource) async throws -> OperationOutcome {
        let outcome: CreateOutcome
        do {
            switch resource.kind {
            case .catalog:
                outcome = try await client.createCatalog(Self.body(resource, ["name", "comment", "properties"]))
            case .schema:
                outcome = try await client.createSchema(
                    Self.body(resource, ["name", "catalog_name", "comment", "properties"]))
            case .volume:
                outcome = try await client.createVolume(
                    Self.body(
                        resource, ["name", "catalog_name", "schema_name", "volume_type", "storage_location", "comment"])
                )
            case .recipient:
                outcome = try await client.createRecipient(.object(resource.fields))
            case .share:
                outcome = try await client.createShare(Self.body(resource, ["name", "comment"]))
            case .qualityMonitor:
                let table = resource.fields["table_name"]?.stringValue ?? resource.name
                outcome = try await client.createQualityMonitor(table: table, .object(resource.fields))
            case .genieSpace:
                var body = resource.fields
                body["serialized_space"] = .string(resource.fields["serialized_space"]?.canonicalJSON ?? "{}")
                let answer = try await client.createGenieSpace(.object(body))
                return .done(liveID: answer["space_id"]?.stringValue)
            case .job:
                let id = try await client.createJob(resource.fields["settings"] ?? .object([:]))
                return .done(liveID: String(id))
            case .function, .table, .notebook:
                throw ApplyError("\(resource.kind.singular) \(resource.key) is created with SQL or an import, not REST")
            }
        } catch let error as DatabricksError where error.kind == .alreadyExists || error.kind == .conflict {
            return .alreadyExists
        }
        switch outcome {
        case .created: return .done(liveID: resource.name)
        case .alreadyExistsAfterRetry: return .alreadyExists
        }
    }

    func patch(_ fields: [String: JSONValue], of action: PlanAction, liveID: String?) async throws {
        let body = JSONValue.object(fields)
        switch action.kind {
        case .catalog: _ = try await client.updateCatalog(action.name, body)
        case .schema: _ = try await client.updateSchema(action.name, body)
        case .volume: _ = try await client.updateVolume(action.name, body)
        case .recipient: _ = try await client.updateRecipient(action.name, body)
        case .share: _ = try await client.updateShare(action.name, body)
        case .qualityMonitor:
            _ = try await client.updateQualityMonitor(
                table: fields["table_name"]?.stringValue ?? action.name, body)
        case .genieSpace:
            guard let liveID else { throw ApplyError("genie space \(action.key) has no space id") }
            var patch = fields
            if let space = fields["serialized_space"] { patch["serialized_space"] = .string(space.canonicalJSON) }
            if let etag = action.etag { patch["etag"] = .string(etag) }
            try await client.updateGenieSpace(liveID, .object(patch))
        case .function, .table, .notebook, .job:
            throw ApplyError("\(action.kind.singular) \(action.key) has no REST update")
        }
    }

    func delete(_ action: PlanAction, liveID: String?) async throws {
        switch action.kind {
        case .catalog: try await client.deleteCatalog(action.name, force: true)
        case .schema: try await client.deleteSchema(action.name, force: true)
        case .table: try await client.deleteTable(action.name)
        case .volume: try await client.deleteVolume(action.name)
        case .function: try await client.deleteFunction(action.name, force: true)
        case .share: try await client.deleteShare(action.name)
        case .recipient: try await client.deleteRecipient(action.name)
        case .notebook: try await client.deleteWorkspaceObject(path: action.name)
        case .genieSpace:
            guard let liveID else { throw ApplyError("genie space \(action.key) has no space id") }
            try await client.trashGenieSpace(liveID)
        case .job: try await client.deleteJob(try jobID(liveID, action))
        case .qualityMonitor: try await client.deleteQualityMonitor(table: action.name)
        }
    }
}
