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
            try volumes.requireFree(fullName, kind: "volume")
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
            let prefix = try schemaPrefix(listing: call)
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(volumes, prefix: prefix)
            return listResult("volumes", names.compactMap { volumes[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try volume(call.rest[0]))
        case ("PATCH", 1):
            var info = try volume(call.rest[0])
            let fullName = info["full_name"]?.stringValue ?? ""
            info.copy(["comment", "owner"], from: call.body)
            info.stamp(call)
            if let newName = call.string("new_name") {
                let name = try Names.validate(newName, kind: "volume")
                let parts = fullName.split(separator: ".").map(String.init)
                let target = "\(parts[0]).\(parts[1]).\(name)"
                if target != fullName {
                    return .object(try volumes.move(info, from: fullName, to: target, name: name, kind: "volume"))
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
        try schemaObject(fullName, kind: "volume", in: volumes) {
            .notFound("VOLUME_DOES_NOT_EXIST", "Volume '\($0)' does not exist.")
        }
    }
}
