import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/shares[/{name}[/permissions]]`.
    mutating func sharesAPI(_ call: Call) throws -> JSONValue {
        if call.rest.count == 2 && call.rest[1] == "permissions" {
            return try sharePermissionsAPI(call)
        }
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            let name = try Names.validate(try call.required("name"), kind: "share")
            try shares.requireFree(name, kind: "share")
            var info: JSONObject = [
                "name": .string(name), "owner": .string(call.principal), "created_at": .int(call.now),
                "created_by": .string(call.principal), "updated_at": .int(call.now),
                "updated_by": .string(call.principal),
                "objects": [],
            ]
            info.copy(["comment", "storage_root"], from: call.body)
            shares[name] = info
            return .object(info)
        case ("GET", 0):
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(shares, prefix: "")
            return listResult("shares", names.compactMap { shares[$0].map { .object(Self.withoutObjects($0)) } }, next)
        case ("GET", 1):
            let info = try share(call.rest[0])
            return .object(call.flag("include_shared_data") ? info : Self.withoutObjects(info))
        case ("PATCH", 1):
            return .object(try updateShare(call))
        case ("DELETE", 1):
            let info = try share(call.rest[0])
            let name = info["name"]?.stringValue ?? ""
            shares[name] = nil
            sharePermissions[name] = nil
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    static func withoutObjects(_ info: JSONObject) -> JSONObject {
        var info = info
        info["objects"] = nil
        return info
    }

    func share(_ rawName: String) throws(APIError) -> JSONObject {
        guard let info = shares[rawName.lowercased()] else {
            throw .notFound("SHARE_DOES_NOT_EXIST", "Share '\(rawName.lowercased())' does not exist.")
        }
        return info
    }

    mutating func updateShare(_ call: Call) throws -> JSONObject {
        var info = try share(call.rest[0])
        let name = info["name"]?.stringValue ?? ""
        info.copy(["comment", "owner", "storage_root"], from: call.body)
        var objects = info["objects"]?.arrayValue ?? []
        for update in call.body["updates"]?.arrayValue ?? [] {
            guard let action = update["action"]?.stringValue else { throw APIError.missing("updates.action") }
            guard var object = update["data_object"]?.objectValue else { throw APIError.missing("updates.data_object") }
            guard let objectName = object["name"]?.stringValue?.lowercased() else {
                throw APIError.missing("updates.data_object.name")
            }
            object["name"] = .string(objectName)
            let type = object["data_object_type"]?.stringValue ?? "TABLE"
            let existing = objects.firstIndex { $0["name"]?.stringValue == objectName }
            switch action {
            case "ADD":
                guard existing == nil else {
                    throw APIError.alreadyExists("RESOURCE_ALREADY_EXISTS", "\(objectName) is already in share \(name)")
                }
                switch type {
                case "TABLE", "VIEW", "MATERIALIZED_VIEW", "STREAMING_TABLE": _ = try table(objectName)
                case "SCHEMA": _ = try schema(objectName)
                case "VOLUME": _ = try volume(objectName)
                case "FUNCTION", "MODEL": _ = try function(objectName)
                default: throw APIError.invalid("Unsupported data_object_type '\(type)'")
                }
                object["data_object_type"] = .string(type)
                object["added_at"] = .int(call.now)
                object["added_by"] = .string(call.principal)
                object["status"] = "ACTIVE"
                if type == "TABLE" && object["shared_as"] == nil {
                    object["shared_as"] = .string(objectName.split(separator: ".").dropFirst().joined(separator: "."))
                }
                if object["history_data_sharing_status"] == nil { object["history_data_sharing_status"] = "DISABLED" }
                objects.append(.object(object))
            case "REMOVE":
                guard let existing else {
                    throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "\(objectName) is not in share \(name)")
                }
                objects.remove(at: existing)
            case "UPDATE":
                guard let existing, var current = objects[existing].objectValue else {
                    throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "\(objectName) is not in share \(name)")
                }
                for (k, v) in object where !["shared_as", "string_shared_as", "name"].contains(k) { current[k] = v }
                objects[existing] = .object(current)
            default:
                throw APIError.invalid("updates.action must be ADD, REMOVE or UPDATE, got '\(action)'")
            }
        }
        info["objects"] = .array(objects)
        info.stamp(call)
        if let newName = call.string("new_name"), newName.lowercased() != name {
            let target = try Names.validate(newName, kind: "share")
            info = try shares.move(info, from: name, to: target, name: target, kind: "share")
            sharePermissions[target] = sharePermissions[name]
            sharePermissions[name] = nil
            return info
        }
        shares[name] = info
        return info
    }

    /// `GET|PATCH /api/2.1/unity-catalog/shares/{name}/permissions`: recipients and their SELECT.
    mutating func sharePermissionsAPI(_ call: Call) throws -> JSONValue {
        let name = try share(call.rest[0])["name"]?.stringValue ?? ""
        switch call.method {
        case "GET":
            let current = sharePermissions[name] ?? [:]
            let page = try PageRequest(query: call.query)
            let after = page.after
            let (principals, next) = page.page(current.keys.sorted().filter { after == nil || $0 > after! })
            var result: JSONObject = [
                "privilege_assignments": .array(
                    principals.map {
                        ["principal": .string($0), "privileges": .array((current[$0] ?? []).map { .string($0) })]
                    })
            ]
            if let next { result["next_page_token"] = .string(next) }
            return .object(result)
        case "PATCH":
            for change in call.body["changes"]?.arrayValue ?? [] where !(change["add"]?.arrayValue ?? []).isEmpty {
                guard let principal = change["principal"]?.stringValue else {
                    throw APIError.missing("changes.principal")
                }
                guard recipients[principal.lowercased()] != nil else {
                    throw APIError.notFound("RECIPIENT_DOES_NOT_EXIST", "Recipient '\(principal)' does not exist.")
                }
            }
            let updated = try Self.apply(
                changes: call.body["changes"], to: sharePermissions[name] ?? [:], allowed: ["SELECT"])
            sharePermissions[name] = updated.isEmpty ? nil : updated
            return ["privilege_assignments": Self.assignments(updated, principal: nil)]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }
}
