import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/catalogs[/{name}]`.
    mutating func catalogs(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            return .object(
                try createCatalog(
                    name: call.required("name"), body: call.body, principal: call.principal, now: call.now))
        case ("GET", 0):
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(catalogs, prefix: "")
            return listResult("catalogs", names.compactMap { catalogs[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try catalog(call.rest[0]))
        case ("PATCH", 1):
            return .object(try updateCatalog(call.rest[0], call))
        case ("DELETE", 1):
            try deleteCatalog(call.rest[0], force: call.flag("force"))
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func catalog(_ name: String) throws(APIError) -> JSONObject {
        guard let info = catalogs[name.lowercased()] else {
            throw .notFound("CATALOG_DOES_NOT_EXIST", "Catalog '\(name.lowercased())' does not exist.")
        }
        return info
    }

    mutating func createCatalog(name rawName: String, body: JSONObject, principal: String, now: Int64) throws(APIError)
        -> JSONObject
    {
        let name = try Names.validate(rawName, kind: "catalog")
        try catalogs.requireFree(name, kind: "catalog")
        var info: JSONObject = [
            "name": .string(name), "full_name": .string(name), "owner": .string(principal),
            "catalog_type": "MANAGED_CATALOG", "isolation_mode": "OPEN", "metastore_id": .string(metastoreID),
            "id": .string(Names.uuid()), "created_at": .int(now), "created_by": .string(principal),
            "updated_at": .int(now), "updated_by": .string(principal), "properties": [:],
            "browse_only": false,
            "storage_root": .string("s3://lakegate-emulator/metastore/catalogs/\(name)"),
            "storage_location": .string("s3://lakegate-emulator/metastore/catalogs/\(name)"),
            "securable_type": "CATALOG", "enable_predictive_optimization": "INHERIT",
        ]
        info.copy(
            ["comment", "properties", "storage_root", "connection_name", "provider_name", "share_name", "options"],
            from: body)
        catalogs[name] = info
        for schema in ["information_schema", "default"] {
            var body: JSONObject = [:]
            body["comment"] =
                schema == "default" ? "Default schema (auto-created)" : "Information schema (auto-created)"
            _ = try? createSchema(catalogName: name, name: schema, body: body, principal: principal, now: now)
        }
        if var system = schemas["\(name).information_schema"] {
            system["owner"] = "System user"
            schemas["\(name).information_schema"] = system
        }
        return info
    }

    mutating func updateCatalog(_ rawName: String, _ call: Call) throws -> JSONObject {
        let name = rawName.lowercased()
        var info = try catalog(name)
        info.copy(
            ["comment", "owner", "properties", "options", "isolation_mode", "enable_predictive_optimization"],
            from: call.body)
        info.stamp(call)
        if let newName = call.string("new_name"), newName.lowercased() != name {
            let target = try Names.validate(newName, kind: "catalog")
            try catalogs.requireFree(target, kind: "catalog")
            try renamePrefix(from: name, to: target)
            return try catalogs.move(info, from: name, to: target, name: target, kind: "catalog")
        }
        catalogs[name] = info
        return info
    }

    mutating func deleteCatalog(_ rawName: String, force: Bool) throws {
        let name = rawName.lowercased()
        _ = try catalog(name)
        let userSchemas = schemas.keys(withPrefix: "\(name).").filter {
            !$0.hasSuffix(".information_schema") && !$0.hasSuffix(".default")
        }
        let hasObjects =
            !tables.keys(withPrefix: "\(name).").isEmpty || !volumes.keys(withPrefix: "\(name).").isEmpty
            || !functions.keys(withPrefix: "\(name).").isEmpty
        if !force && (!userSchemas.isEmpty || hasObjects) {
            throw APIError(
                status: 400, code: "CATALOG_NOT_EMPTY",
                message: "Catalog '\(name)' is not empty. Use force=true to delete it with its contents.")
        }
        catalogs[name] = nil
        removeChildren(of: name)
        grants["catalog/\(name)"] = nil
        tags["catalogs/\(name)"] = nil
    }

    /// Removes every schema, table, volume, function and their grants and tags under `prefix` (a catalog or schema).
    mutating func removeChildren(of prefix: String) {
        let p = prefix + "."
        schemas.removeAll(withPrefix: p)
        tables.removeAll(withPrefix: p)
        volumes.removeAll(withPrefix: p)
        functions.removeAll(withPrefix: p)
        monitors.removeAll(withPrefix: p)
        for type in ["schema", "table", "volume", "function"] { grants.removeAll(withPrefix: "\(type)/\(p)") }
        for type in ["schemas", "tables", "columns", "volumes"] { tags.removeAll(withPrefix: "\(type)/\(p)") }
    }

    func listResult(_ key: String, _ items: [JSONValue], _ next: String?) -> JSONValue {
        var object: JSONObject = [key: .array(items)]
        if let next { object["next_page_token"] = .string(next) }
        return .object(object)
    }
}
