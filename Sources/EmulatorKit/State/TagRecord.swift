import Foundation
import LakegateCore

/// One tag on a securable, shared by the entity tag assignments API and SQL `SET TAGS`.
struct TagRecord: Codable, Sendable {
    var value: String?
    var updatedAt: Int64
    var updatedBy: String

    func assignment(entityType: String, entityName: String, key: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "entity_type": .string(entityType), "entity_name": .string(entityName), "tag_key": .string(key),
            "update_time": .string(ISOTime.format(updatedAt)), "updated_by": .string(updatedBy),
        ]
        if let value { object["tag_value"] = .string(value) }
        return .object(object)
    }
}
