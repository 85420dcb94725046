import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.0/genie/spaces[/{space_id}]`: create, get, list, update with etag, trash.
    mutating func genieAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            let warehouseID = try call.required("warehouse_id")
            let serialized = try call.required("serialized_space")
            try requireWarehouse(warehouseID)
            try Self.validateSerializedSpace(serialized)
            let id = Names.uuid().replacingOccurrences(of: "-", with: "")
            var space: JSONObject = [
                "space_id": .string(id), "warehouse_id": .string(warehouseID), "serialized_space": .string(serialized),
                "title": .string(call.string("title") ?? "New Space"), "create_time": .string(ISOTime.format(call.now)),
                "update_time": .string(ISOTime.format(call.now)), "etag": .string(Self.etag()),
            ]
            space.copy(["description", "parent_path"], from: call.body)
            genieSpaces[id] = space
            return .object(space)
        case ("GET", 0):
            let page = try PageRequest(query: call.query, sizeParameter: "page_size", unboundedWhenAbsent: false)
            let (ids, next) = page.page(genieSpaces, prefix: "")
            let items: [JSONValue] = ids.compactMap { id in
                guard var space = genieSpaces[id] else { return nil }
                space["serialized_space"] = nil
                return .object(space)
            }
            return listResult("spaces", items, next)
        case ("GET", 1):
            var space = try genieSpace(call.rest[0])
            if !call.flag("include_serialized_space") { space["serialized_space"] = nil }
            return .object(space)
        case ("PATCH", 1):
            var space = try genieSpace(call.rest[0])
            if let etag = call.string("etag"), etag != space["etag"]?.stringValue {
                throw APIError(
                    status: 409, code: "ABORTED",
                    message: "The space was changed since etag \(etag) was read; get it again and retry")
            }
            if let warehouseID = call.string("warehouse_id") { try requireWarehouse(warehouseID) }
            if let serialized = call.string("serialized_space") { try Self.validateSerializedSpace(serialized) }
            space.copy(["title", "description", "warehouse_id", "parent_path", "serialized_space"], from: call.body)
            space["update_time"] = .string(ISOTime.format(call.now))
            space["etag"] = .string(Self.etag())
            genieSpaces[call.rest[0]] = space
            return .object(space)
        case ("DELETE", 1):
            _ = try genieSpace(call.rest[0])
            genieSpaces[call.rest[0]] = nil
            accessControl["genie/\(call.rest[0])"] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func genieSpace(_ id: String) throws(APIError) -> JSONObject {
        guard let space = genieSpaces[id] else {
            throw .notFound("RESOURCE_DOES_NOT_EXIST", "Genie space \(id) does not exist.")
        }
        return space
    }

    func requireWarehouse(_ id: String) throws(APIError) {
        guard warehouses[id] != nil else {
            throw .notFound("RESOURCE_DOES_NOT_EXIST", "Warehouse \(id) does not exist.")
        }
    }

    /// `serialized_space` must be a JSON object string with a `version`.
    static func validateSerializedSpace(_ text: String) throws(APIError) {
        guard let value = try? JSONValue(parsing: text), let object = value.objectValue else {
            throw .invalid("serialized_space must be a JSON object")
        }
        guard object["version"]?.intValue != nil else { throw .invalid("serialized_space needs a numeric version") }
    }

    static func etag() -> String { String(UUID().uuidString.lowercased().prefix(16)) }

    /// `/api/2.0/sql/warehouses[/{id}]`: list and get.
    func warehousesAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("GET", 0):
            let page = try PageRequest(query: call.query, sizeParameter: "page_size")
            let (ids, next) = page.page(warehouses, prefix: "")
            return listResult("warehouses", ids.compactMap { warehouses[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            guard let warehouse = warehouses[call.rest[0]] else {
                throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "Warehouse \(call.rest[0]) does not exist.")
            }
            return .object(warehouse)
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }
}
