import Foundation
import LakegateCore

/// A notebook, file or directory of the Workspace API.
struct WorkspaceObject: Codable, Sendable {
    var path: String
    var objectType: String
    var objectID: Int64
    var language: String?
    var content: Data
    var createdAt: Int64
    var modifiedAt: Int64

    var info: JSONValue {
        var object: [String: JSONValue] = [
            "path": .string(path), "object_type": .string(objectType), "object_id": .int(objectID),
            "resource_id": .string(String(objectID)), "created_at": .int(createdAt), "modified_at": .int(modifiedAt),
        ]
        if let language { object["language"] = .string(language) }
        if objectType == "FILE" { object["size"] = .int(Int64(content.count)) }
        return .object(object)
    }
}
