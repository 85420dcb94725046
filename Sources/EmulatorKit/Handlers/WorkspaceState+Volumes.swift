import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/volumes[/{full_name}]`.
    mutating func volumesAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            let catalogName = try call.required("catalog_name").lowercased()
            let schemaName = try call.required("schema_name").lowercased()
            let name = try Names.validate(try call.required("name"), kind: "volume")
            let volumeType = try call.required("volume_type")
            guard ["MANAGED", "EXTERNAL"].contains(volumeType) else {
                throw APIError.invalid("volume_type must be MANAGED or EXTERNAL, got '\(volumeType)'")
            }
            if volumeType == "EXTERNAL" && call.string("storage_location") == nil {
                throw APIError.invalid("An EXTERNAL volume needs a storage_location")
            }
            if volumeType == "MANAGED" && call.string("storage_location") != nil {
                throw APIError.invalid("A MANAGED volume cannot have a storage_location")
            }
            _ = try schema("\(catalogName).\(schemaName)")
            let fullName = "\(catalogName).\(schemaName).\(name)"
            guard volumes[fullName] == nil else {
                throw APIError.alreadyExists("VOLUME_ALREADY_EXISTS", "Volume '\(fullName)' already exists")
            }
            let id = Names.uuid()
            var info: JSONObject = [
                "name": .string(name), "catalog_name": .string(catalogName), "schema_name": .string(schemaName),
                "full_name": .string(fullName), "volume_id": .string(id), "volume_type": .string(volumeType),
                "storage_location": .string("s3://lakegate-emulator/metastore/volumes/\(id)"),
                "owner": .string(call.principal), "metastore_id": .string(metastoreID), "created_at": .int(call.now),
                "created_by": .string(call.principal), "updated_at": .int(call.now),
                "updated_by": .string(call.principal),
            ]
            info.copy(["comment", "storage_location"], from: call.body)
            volumes[fullName] = info
            return .object(info)
        case ("GET", 0):
            let catalogName = try call.requiredQuery("catalog_name").lowercased()
            let schemaName = try call.requiredQuery("schema_name").lowercased()
            _ = try schema("\(catalogName).\(schemaName)")
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(volumes, prefix: "\(catalogName).\(schemaName).")
            return listResult("volumes", names.compactMap { volumes[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try volume(call.rest[0]))
        case ("PATCH", 1):
            var info = try volume(call.rest[0])
            let fullName = info["full_name"]?.stringValue ?? ""
            info.copy(["comment", "owner"], from: call.body)
            info["updated_at"] = .int(call.now)
            info["updated_by"] = .string(call.principal)
            if let newName = call.string("new_name") {
                let name = try Names.validate(newName, kind: "volume")
                let parts = fullName.split(separator: ".").map(String.init)
                let target = "\(parts[0]).\(parts[1]).\(name)"
                if target != fullName {
                    guard volumes[target] == nil else {
                        throw APIError.alreadyExists("VOLUME_ALREADY_EXISTS", "Volume '\(target)' already exists")
                    }
                    info["name"] = .string(name)
                    info["full_name"] = .string(target)
                    volumes[fullName] = nil
                    volumes[target] = info
                    return .object(info)
                }
            }
            volumes[fullName] = info
            return .object(info)
        case ("DELETE", 1):
            let info = try volume(call.rest[0])
            let fullName = info["full_name"]?.stringValue ?? ""
            volumes[fullName] = nil
            grants["volume/\(fullName)"] = nil
            tags["volumes/\(fullName)"] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func volume(_ fullName: String) throws(APIError) -> JSONObject {
        let parts = try Names.split(fullName, parts: 3, kind: "volume")
        _ = try schema("\(parts[0]).\(parts[1])")
        guard let info = volumes[parts.joined(separator: ".")] else {
            throw .notFound("VOLUME_DOES_NOT_EXIST", "Volume '\(parts.joined(separator: "."))' does not exist.")
        }
        return info
    }
}
