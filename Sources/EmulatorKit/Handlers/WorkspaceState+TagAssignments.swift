import Foundation
import LakegateCore

extension WorkspaceState {
    static let taggableTypes = ["catalogs", "schemas", "tables", "columns", "volumes"]

    /// Checks that the tagged entity exists.
    func requireTaggable(_ type: String, _ name: String) throws(APIError) {
        switch type {
        case "catalogs": _ = try catalog(name)
        case "schemas": _ = try schema(name)
        case "tables": _ = try table(name)
        case "volumes": _ = try volume(name)
        case "columns":
            let parts = try Names.split(name, parts: 4, kind: "column")
            let record = try table(parts.prefix(3).joined(separator: "."))
            guard record.columns.contains(where: { $0.name == parts[3] }) else {
                throw .notFound("RESOURCE_DOES_NOT_EXIST", "Column '\(name)' does not exist.")
            }
        default:
            throw .invalid("entity_type must be one of \(Self.taggableTypes.joined(separator: ", ")), got '\(type)'")
        }
    }

    /// `/api/2.1/unity-catalog/entity-tag-assignments[/{type}/{name}/tags[/{key}]]`.
    mutating func tagAssignmentsAPI(_ call: Call) throws -> JSONValue {
        if call.method == "POST" && call.rest.isEmpty {
            let type = try call.required("entity_type")
            let name = try call.required("entity_name").lowercased()
            let key = try call.required("tag_key")
            try requireTaggable(type, name)
            let storeKey = "\(type)/\(name)"
            if tags[storeKey]?[key] != nil {
                throw APIError.alreadyExists(
                    "RESOURCE_ALREADY_EXISTS", "Tag '\(key)' is already assigned to \(type) '\(name)'")
            }
            let record = TagRecord(value: call.string("tag_value"), updatedAt: call.now, updatedBy: call.principal)
            tags[storeKey, default: [:]][key] = record
            return record.assignment(entityType: type, entityName: name, key: key)
        }
        guard call.rest.count >= 3, call.rest[2] == "tags" else {
            throw APIError.noEndpoint(call.method, call.request.path)
        }
        let type = call.rest[0]
        let name = call.rest[1].lowercased()
        try requireTaggable(type, name)
        let storeKey = "\(type)/\(name)"
        if call.rest.count == 3 {
            guard call.method == "GET" else { throw APIError.methodNotAllowed(call.method, call.request.path) }
            let assigned = tags[storeKey] ?? [:]
            let page = try PageRequest(query: call.query, unboundedWhenAbsent: false)
            let after = page.after
            let (keys, next) = page.page(assigned.keys.sorted().filter { after == nil || $0 > after! })
            let items = keys.compactMap { k in
                assigned[k].map { $0.assignment(entityType: type, entityName: name, key: k) }
            }
            return listResult("tag_assignments", items, next)
        }
        let key = call.rest[3...].joined(separator: "/")
        guard let existing = tags[storeKey]?[key] else {
            throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "Tag '\(key)' is not assigned to \(type) '\(name)'")
        }
        switch call.method {
        case "GET":
            return existing.assignment(entityType: type, entityName: name, key: key)
        case "PATCH":
            let mask = call.query["update_mask"] ?? ""
            guard !mask.isEmpty else { throw APIError.missing("update_mask") }
            var record = existing
            if mask == "*" || mask.split(separator: ",").contains("tag_value") {
                record.value = call.string("tag_value")
            }
            record.updatedAt = call.now
            record.updatedBy = call.principal
            tags[storeKey, default: [:]][key] = record
            return record.assignment(entityType: type, entityName: name, key: key)
        case "DELETE":
            unsetTags([key], on: storeKey)
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }
}
