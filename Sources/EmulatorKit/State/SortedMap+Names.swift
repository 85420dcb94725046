import Foundation
import LakegateCore

/// Name conflicts and renames of the objects a map holds by name.
extension SortedMap {
    /// Throws `<KIND>_ALREADY_EXISTS` (`Kind 'name' already exists`) when `key` is taken.
    func requireFree(_ key: String, kind: String) throws(APIError) {
        guard self[key] == nil else {
            throw .alreadyExists("\(kind.uppercased())_ALREADY_EXISTS", "\(kind.capitalized) '\(key)' already exists")
        }
    }
}

extension SortedMap where Value == [String: JSONValue] {
    /// Renames the object `info` stored at `key`: it takes `name` (and `newKey` as its `full_name` when it has
    /// one) and moves to `newKey`; throws `<KIND>_ALREADY_EXISTS` when `newKey` is taken. Returns the moved object.
    mutating func move(
        _ info: [String: JSONValue], from key: String, to newKey: String, name: String, kind: String
    ) throws(APIError) -> [String: JSONValue] {
        try requireFree(newKey, kind: kind)
        var moved = info
        moved["name"] = .string(name)
        if moved["full_name"] != nil { moved["full_name"] = .string(newKey) }
        self[key] = nil
        self[newKey] = moved
        return moved
    }
}
