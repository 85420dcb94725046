import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/schemas[/{full_name}]`.
    mutating func schemasAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            let info = try createSchema(
                catalogName: call.required("catalog_name"), name: call.required("name"), body: call.body,
                principal: call.principal, now: call.now)
            return .object(info)
        case ("GET", 0):
            let catalogName = try call.requiredQuery("catalog_name").lowercased()
            _ = try catalog(catalogName)
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(schemas, prefix: catalogName + ".")
            return listResult("schemas", names.compactMap { schemas[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try schema(call.rest[0]))
        case ("PATCH", 1):
            try Self.requireUserOwned(try schema(call.rest[0]))
            return .object(try updateSchema(call.rest[0], call))
        case ("DELETE", 1):
            let info = try schema(call.rest[0])
            try Self.requireUserOwned(info)
            let fullName = info["full_name"]?.stringValue ?? ""
            let p = fullName + "."
            if !call.flag("force")
                && (!tables.keys(withPrefix: p).isEmpty || !volumes.keys(withPrefix: p).isEmpty
                    || !functions.keys(withPrefix: p).isEmpty)
            {
                throw APIError(
                    status: 400, code: "SCHEMA_NOT_EMPTY",
                    message: "Schema '\(fullName)' is not empty. Use force=true to delete it with its contents.")
            }
            schemas[fullName] = nil
            removeChildren(of: fullName)
            grants["schema/\(fullName)"] = nil
            tags["schemas/\(fullName)"] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    /// `information_schema` belongs to the system: changing it is forbidden, as in a workspace.
    static func requireUserOwned(_ info: JSONObject) throws(APIError) {
        if info["name"]?.stringValue == "information_schema" {
            throw APIError(
                status: 403, code: "PERMISSION_DENIED",
                message:
                    "\(info["full_name"]?.stringValue ?? "") is a system schema owned by System user and cannot be changed"
            )
        }
    }

    func schema(_ fullName: String) throws(APIError) -> JSONObject {
        let parts = try Names.split(fullName, parts: 2, kind: "schema")
        _ = try catalog(parts[0])
        guard let info = schemas[parts.joined(separator: ".")] else {
            throw .notFound("SCHEMA_DOES_NOT_EXIST", "Schema '\(parts.joined(separator: "."))' does not exist.")
        }
        return info
    }

    mutating func createSchema(
        catalogName: String, name rawName: String, body: JSONObject, principal: String, now: Int64
    )
        throws(APIError) -> JSONObject
    {
        let catalogInfo = try catalog(catalogName)
        let catalogName = catalogName.lowercased()
        let name = try Names.validate(rawName, kind: "schema")
        let fullName = "\(catalogName).\(name)"
        try schemas.requireFree(fullName, kind: "schema")
        var info: JSONObject = [
            "name": .string(name), "catalog_name": .string(catalogName), "full_name": .string(fullName),
            "schema_id": .string(Names.uuid()), "owner": .string(principal), "metastore_id": .string(metastoreID),
            "created_at": .int(now), "created_by": .string(principal), "updated_at": .int(now),
            "updated_by": .string(principal), "properties": [:], "browse_only": false,
            "catalog_type": catalogInfo["catalog_type"] ?? "MANAGED_CATALOG", "securable_type": "SCHEMA",
            "enable_predictive_optimization": "INHERIT",
        ]
        info.copy(["comment", "properties", "storage_root"], from: body)
        schemas[fullName] = info
        return info
    }

    mutating func updateSchema(_ rawName: String, _ call: Call) throws -> JSONObject {
        var info = try schema(rawName)
        let fullName = info["full_name"]?.stringValue ?? rawName.lowercased()
        info.copy(["comment", "owner", "properties", "enable_predictive_optimization"], from: call.body)
        info.stamp(call)
        if let newName = call.string("new_name"), newName.lowercased() != info["name"]?.stringValue {
            let name = try Names.validate(newName, kind: "schema")
            let catalogName = info["catalog_name"]?.stringValue ?? ""
            let target = "\(catalogName).\(name)"
            try schemas.requireFree(target, kind: "schema")
            try renamePrefix(from: fullName, to: target)
            return try schemas.move(info, from: fullName, to: target, name: name, kind: "schema")
        }
        schemas[fullName] = info
        return info
    }
}
