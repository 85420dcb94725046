import Foundation
import LakegateCore

extension WorkspaceState {
    /// Moves every object under catalog or schema `old` to `new`, keeping their contents.
    mutating func renamePrefix(from old: String, to new: String) throws {
        let depth = old.split(separator: ".").count
        func rekey(_ key: String) -> String { new + key.dropFirst(old.count) }
        func fix(_ object: JSONObject, key: String) -> JSONObject {
            var object = object
            let target = rekey(key)
            let parts = target.split(separator: ".").map(String.init)
            object["full_name"] = .string(target)
            object["catalog_name"] = .string(parts[0])
            if depth == 2 || parts.count > 2 { object["schema_name"] = .string(parts[1]) }
            return object
        }
        for key in Array(schemas.keys(withPrefix: old + ".")) where depth == 1 {
            schemas[rekey(key)] = schemas[key].map { fix($0, key: key) }
            schemas[key] = nil
        }
        for key in Array(volumes.keys(withPrefix: old + ".")) {
            volumes[rekey(key)] = volumes[key].map { fix($0, key: key) }
            volumes[key] = nil
        }
        for key in Array(functions.keys(withPrefix: old + ".")) {
            functions[rekey(key)] = functions[key].map { fix($0, key: key) }
            functions[key] = nil
        }
        for key in Array(tables.keys(withPrefix: old + ".")) {
            guard var table = tables[key] else { continue }
            let parts = rekey(key).split(separator: ".").map(String.init)
            table.catalogName = parts[0]
            table.schemaName = parts[1]
            tables[key] = nil
            tables[rekey(key)] = table
        }
    }
}
