import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/recipients[/{name}[/share-permissions]]`.
    mutating func recipientsAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            let name = try Names.validate(try call.required("name"), kind: "recipient")
            let authentication = try call.required("authentication_type")
            guard ["TOKEN", "DATABRICKS", "OAUTH_CLIENT_CREDENTIALS", "OIDC_FEDERATION"].contains(authentication) else {
                throw APIError.invalid("Unsupported authentication_type '\(authentication)'")
            }
            if authentication == "DATABRICKS" && call.string("data_recipient_global_metastore_id") == nil {
                throw APIError.invalid("A DATABRICKS recipient needs data_recipient_global_metastore_id")
            }
            try recipients.requireFree(name, kind: "recipient")
            var info: JSONObject = [
                "name": .string(name), "authentication_type": .string(authentication), "owner": .string(call.principal),
                "id": .string(Names.uuid()), "metastore_id": .string(metastoreID), "created_at": .int(call.now),
                "created_by": .string(call.principal), "updated_at": .int(call.now),
                "updated_by": .string(call.principal),
                "activated": .bool(authentication == "DATABRICKS"),
            ]
            if authentication == "TOKEN" {
                let token = Names.uuid()
                info["activation_url"] = .string(
                    "https://lakegate-emulator.local/delta_sharing/retrieve_config.html?\(token)")
                info["tokens"] = [
                    [
                        "id": .string(token), "activation_url": .string("https://lakegate-emulator.local/\(token)"),
                        "created_at": .int(call.now), "created_by": .string(call.principal),
                        "expiration_time": .int(
                            call.body["expiration_time"]?.intValue ?? (call.now + 365 * 86_400_000)),
                    ]
                ]
            }
            info.copy(
                [
                    "comment", "data_recipient_global_metastore_id", "ip_access_list", "properties_kvpairs",
                    "expiration_time", "owner",
                ],
                from: call.body)
            recipients[name] = info
            return .object(info)
        case ("GET", 0):
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(recipients, prefix: "")
            return listResult("recipients", names.compactMap { recipients[$0].map(JSONValue.object) }, next)
        case ("GET", 1):
            return .object(try recipient(call.rest[0]))
        case ("GET", 2) where call.rest[1] == "share-permissions":
            let name = try recipient(call.rest[0])["name"]?.stringValue ?? ""
            let items: [JSONValue] = sharePermissions.keys(withPrefix: "").compactMap { share in
                guard let privileges = sharePermissions[share]?[name] else { return nil }
                return [
                    "share_name": .string(share),
                    "privilege_assignments": [
                        ["principal": .string(name), "privileges": .array(privileges.map { .string($0) })]
                    ],
                ]
            }
            return ["permissions_out": .array(items)]
        case ("PATCH", 1):
            var info = try recipient(call.rest[0])
            let name = info["name"]?.stringValue ?? ""
            info.copy(["comment", "owner", "ip_access_list", "properties_kvpairs", "expiration_time"], from: call.body)
            info.stamp(call)
            if let newName = call.string("new_name"), newName.lowercased() != name {
                let target = try Names.validate(newName, kind: "recipient")
                _ = try recipients.move(info, from: name, to: target, name: target, kind: "recipient")
                return [:]
            }
            recipients[name] = info
            return [:]
        case ("DELETE", 1):
            let name = try recipient(call.rest[0])["name"]?.stringValue ?? ""
            recipients[name] = nil
            for share in Array(sharePermissions.keys(withPrefix: "")) {
                sharePermissions[share]?[name] = nil
            }
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func recipient(_ rawName: String) throws(APIError) -> JSONObject {
        guard let info = recipients[rawName.lowercased()] else {
            throw .notFound("RECIPIENT_DOES_NOT_EXIST", "Recipient '\(rawName.lowercased())' does not exist.")
        }
        return info
    }
}
