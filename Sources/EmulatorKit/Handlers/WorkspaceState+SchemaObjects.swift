import Foundation
import LakegateCore

/// What tables, volumes and functions have in common: they live in a schema and are named `catalog.schema.name`.
extension WorkspaceState {
    /// The `catalog.schema.` key prefix of a list call's `catalog_name` and `schema_name`, after checking that the
    /// schema exists.
    func schemaPrefix(listing call: Call) throws(APIError) -> String {
        let catalogName = try call.requiredQuery("catalog_name").lowercased()
        let schemaName = try call.requiredQuery("schema_name").lowercased()
        _ = try schema("\(catalogName).\(schemaName)")
        return "\(catalogName).\(schemaName)."
    }

    /// The object `fullName` of `objects` after checking that its schema exists; `missing` makes the error for
    /// the lower-cased full name when there is no such object.
    func schemaObject<Value>(
        _ fullName: String, kind: String, in objects: SortedMap<Value>, missing: (String) -> APIError
    ) throws(APIError) -> Value {
        let parts = try Names.split(fullName, parts: 3, kind: kind)
        _ = try schema("\(parts[0]).\(parts[1])")
        let key = parts.joined(separator: ".")
        guard let value = objects[key] else { throw missing(key) }
        return value
    }
}
