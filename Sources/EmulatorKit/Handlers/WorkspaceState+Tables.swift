import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.1/unity-catalog/tables[/{full_name}[/exists|/monitor…]]`.
    mutating func tablesAPI(_ call: Call) throws -> JSONValue {
        if call.rest.count >= 2 && call.rest[1] == "monitor" {
            return try monitorsAPI(call)
        }
        switch (call.method, call.rest.count) {
        case ("GET", 0):
            let prefix = try schemaPrefix(listing: call)
            let page = try PageRequest(query: call.query)
            let (names, next) = page.page(tables, prefix: prefix)
            let items = names.compactMap {
                tables[$0]?.info(
                    omitColumns: call.flag("omit_columns"), omitProperties: call.flag("omit_properties"),
                    omitUsername: call.flag("omit_username"))
            }
            return listResult("tables", items, next)
        case ("POST", 0):
            throw APIError.invalid(
                "The lakegate emulator creates tables through SQL only (POST /api/2.0/sql/statements with CREATE TABLE)"
            )
        case ("GET", 1):
            return try table(call.rest[0]).info()
        case ("GET", 2) where call.rest[1] == "exists":
            let parts = try Names.split(call.rest[0], parts: 3, kind: "table")
            return ["table_exists": .bool(tables[parts.joined(separator: ".")] != nil)]
        case ("PATCH", 1):
            var record = try table(call.rest[0])
            if let owner = call.string("owner") { record.owner = owner }
            record.updatedAt = call.now
            record.updatedBy = call.principal
            tables[record.fullName] = record
            return [:]
        case ("DELETE", 1):
            let record = try table(call.rest[0])
            dropTable(record.fullName)
            return [:]
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func table(_ fullName: String) throws(APIError) -> TableRecord {
        try schemaObject(fullName, kind: "table", in: tables) {
            .notFound("TABLE_DOES_NOT_EXIST", "Table '\($0)' does not exist.")
        }
    }

    /// `GET /api/2.1/unity-catalog/table-summaries`: `%` and `_` are SQL LIKE wildcards in the patterns.
    func tableSummaries(_ call: Call) throws -> JSONValue {
        guard call.method == "GET", call.rest.isEmpty else {
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
        let catalogName = try call.requiredQuery("catalog_name").lowercased()
        _ = try catalog(catalogName)
        let schemaPattern = call.query["schema_name_pattern"].map { LikePattern($0.lowercased()) }
        let tablePattern = call.query["table_name_pattern"].map { LikePattern($0.lowercased()) }
        let page = try PageRequest(query: call.query, defaultSize: 10000, maximum: 10000, unboundedWhenAbsent: false)
        var matched: [String] = []
        var next: String?
        for key in tables.keys(withPrefix: catalogName + ".", after: page.after) {
            guard let record = tables[key] else { continue }
            if let schemaPattern, !schemaPattern.matches(record.schemaName) { continue }
            if let tablePattern, !tablePattern.matches(record.name) { continue }
            if let limit = page.limit, matched.count == limit {
                next = PageRequest.encode(matched[matched.count - 1])
                break
            }
            matched.append(key)
        }
        let items: [JSONValue] = matched.compactMap { key in
            tables[key].map { ["full_name": .string($0.fullName), "table_type": .string($0.tableType)] }
        }
        return listResult("tables", items, next)
    }
}

/// A SQL LIKE pattern: `%` matches any run, `_` any one character.
struct LikePattern {
    let pattern: [Character]

    init(_ pattern: String) { self.pattern = Array(pattern) }

    func matches(_ text: String) -> Bool {
        let t = Array(text)
        var memo: [Int: Bool] = [:]
        func match(_ p: Int, _ s: Int) -> Bool {
            let key = p * (t.count + 1) + s
            if let known = memo[key] { return known }
            let result: Bool
            if p == pattern.count {
                result = s == t.count
            } else if pattern[p] == "%" {
                result = match(p + 1, s) || (s < t.count && match(p, s + 1))
            } else {
                result = s < t.count && (pattern[p] == "_" || pattern[p] == t[s]) && match(p + 1, s + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
