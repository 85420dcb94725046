import Foundation
import LakegateCore

extension WorkspaceState {
    static let jobPermissionLevels: Set<String> = ["CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"]
    static let geniePermissionLevels: Set<String> = ["CAN_VIEW", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"]
    static let workspacePermissionLevels: Set<String> = ["CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"]
    static let principalKeys = ["user_name", "group_name", "service_principal_name"]

    /// Checks each entry names one principal and a known level; merges entries for the same principal.
    static func normaliseACL(_ entries: [JSONValue], levels: Set<String>) throws(APIError) -> [JSONValue] {
        var order: [String] = []
        var byPrincipal: [String: JSONObject] = [:]
        for entry in entries {
            let present = principalKeys.filter { entry[$0]?.stringValue != nil }
            guard present.count == 1, let kind = present.first, let name = entry[kind]?.stringValue else {
                throw .invalid(
                    "Each access control entry needs exactly one of user_name, group_name, service_principal_name")
            }
            guard let level = entry["permission_level"]?.stringValue, levels.contains(level) else {
                throw .invalid(
                    "Permission level '\(entry["permission_level"]?.stringValue ?? "")' is not one of \(levels.sorted().joined(separator: ", "))"
                )
            }
            let id = "\(kind):\(name)"
            if byPrincipal[id] == nil { order.append(id) }
            byPrincipal[id] = [kind: .string(name), "permission_level": .string(level)]
        }
        if order.compactMap({ byPrincipal[$0] }).filter({ $0["permission_level"] == "IS_OWNER" }).count > 1 {
            throw .invalid("A job has exactly one owner (IS_OWNER)")
        }
        return order.compactMap { byPrincipal[$0].map(JSONValue.object) }
    }

    /// `/api/2.0/permissions/{jobs|genie|directories|notebooks|files}/{id}`: GET, PUT (replace), PATCH (merge).
    mutating func objectPermissionsAPI(_ call: Call) throws -> JSONValue {
        guard call.rest.count == 2 else { throw APIError.noEndpoint(call.method, call.request.path) }
        let type = call.rest[0]
        let id = call.rest[1]
        let levels: Set<String>
        let objectType: String
        switch type {
        case "jobs":
            guard let n = Int64(id), jobs[JobRecord.key(n)] != nil else {
                throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "Job \(id) does not exist.")
            }
            levels = Self.jobPermissionLevels
            objectType = "job"
        case "genie":
            guard genieSpaces[id] != nil else {
                throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "Genie space \(id) does not exist.")
            }
            levels = Self.geniePermissionLevels
            objectType = "genie"
        case "directories", "notebooks", "files":
            let wanted = ["directories": "DIRECTORY", "notebooks": "NOTEBOOK", "files": "FILE"][type]
            guard
                workspaceObjects.keys(withPrefix: "").contains(where: {
                    workspaceObjects[$0].map { String($0.objectID) == id && $0.objectType == wanted } ?? false
                })
            else {
                throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "\(type) \(id) does not exist.")
            }
            levels = Self.workspacePermissionLevels
            objectType = String(type.dropLast())
        default:
            throw APIError.invalid("The lakegate emulator does not support permissions on '\(type)'")
        }
        let key = "\(type)/\(id)"
        var current = accessControl[key] ?? []
        switch call.method {
        case "GET":
            break
        case "PUT":
            let incoming = call.body["access_control_list"]?.arrayValue ?? []
            let owner = current.filter { $0["permission_level"] == "IS_OWNER" }
            let replacement = try Self.normaliseACL(incoming, levels: levels)
            current = try Self.normaliseACL(
                (replacement.contains { $0["permission_level"] == "IS_OWNER" } ? [] : owner) + replacement,
                levels: levels)
        case "PATCH":
            let incoming = call.body["access_control_list"]?.arrayValue ?? []
            current = try Self.normaliseACL(current + incoming, levels: levels)
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
        accessControl[key] = current
        let acl: [JSONValue] = current.map { entry in
            var object: JSONObject = [:]
            for k in Self.principalKeys { if let v = entry[k] { object[k] = v } }
            object["all_permissions"] = [["permission_level": entry["permission_level"] ?? .null, "inherited": false]]
            return .object(object)
        }
        return [
            "object_id": .string("/\(type)/\(id)"), "object_type": .string(objectType),
            "access_control_list": .array(acl),
        ]
    }
}
