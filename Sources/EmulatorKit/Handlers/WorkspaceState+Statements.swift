import Foundation
import LakegateCore

extension WorkspaceState {
    /// `/api/2.0/sql/statements[/{id}[/cancel|/result/chunks/{n}]]`.
    mutating func statementsAPI(_ call: Call) throws -> JSONValue {
        switch (call.method, call.rest.count) {
        case ("POST", 0):
            return .object(try executeStatement(call))
        case ("GET", 1):
            return .object(try statement(call.rest[0]))
        case ("POST", 2) where call.rest[1] == "cancel":
            _ = try statement(call.rest[0])
            return [:]
        case ("GET", 4) where call.rest[1] == "result" && call.rest[2] == "chunks":
            let info = try statement(call.rest[0])
            guard call.rest[3] == "0", let result = info["result"] else {
                throw APIError.invalid("Chunk index \(call.rest[3]) is out of range for statement \(call.rest[0])")
            }
            return result
        default:
            throw APIError.methodNotAllowed(call.method, call.request.path)
        }
    }

    func statement(_ id: String) throws(APIError) -> JSONObject {
        guard let info = statements[id] else {
            throw .notFound("RESOURCE_DOES_NOT_EXIST", "Statement '\(id)' does not exist or has expired.")
        }
        return info
    }

    mutating func executeStatement(_ call: Call) throws -> JSONObject {
        var sql = try call.required("statement")
        let warehouseID = try call.required("warehouse_id")
        guard warehouses[warehouseID] != nil else {
            throw APIError.notFound("RESOURCE_DOES_NOT_EXIST", "Warehouse \(warehouseID) does not exist.")
        }
        if let wait = call.string("wait_timeout") {
            let seconds = wait.hasSuffix("s") ? Int(wait.dropLast()) : nil
            guard let seconds, seconds == 0 || (5...50).contains(seconds) else {
                throw APIError.invalid("wait_timeout must be 0s or between 5s and 50s, got '\(wait)'")
            }
        }
        if let onWait = call.string("on_wait_timeout"), !["CONTINUE", "CANCEL"].contains(onWait) {
            throw APIError.invalid("on_wait_timeout must be CONTINUE or CANCEL, got '\(onWait)'")
        }
        let disposition = call.string("disposition") ?? "INLINE"
        let format = call.string("format") ?? "JSON_ARRAY"
        guard disposition == "INLINE" else {
            throw APIError.invalid("The lakegate emulator supports only the INLINE disposition, got \(disposition)")
        }
        guard format == "JSON_ARRAY" else {
            throw APIError.invalid("The INLINE disposition supports only the JSON_ARRAY format, got \(format)")
        }
        if let parameters = call.body["parameters"]?.arrayValue {
            sql = try Self.bind(parameters, into: sql)
        }
        let session = SQLSession(
            catalog: call.string("catalog"), schema: call.string("schema"), principal: call.principal, now: call.now)
        let id = Self.statementID()
        var response: JSONObject = ["statement_id": .string(id)]
        do {
            var result = try execute(sql: sql, session: session)
            if let statement = try? SQLParser.parse(sql) {
                recordStatementAudit(sql, statement: statement, session: session, call: call)
            }
            var truncated = false
            if let limit = call.body["row_limit"]?.intValue, result.rows.count > Int(limit) {
                result.rows = Array(result.rows.prefix(Int(limit)))
                truncated = true
            }
            response["status"] = ["state": "SUCCEEDED"]
            let rowCount = JSONValue.int(Int64(result.rows.count))
            response["manifest"] = [
                "format": "JSON_ARRAY",
                "schema": [
                    "column_count": .int(Int64(result.columns.count)),
                    "columns": .array(
                        result.columns.enumerated().map { i, c in
                            [
                                "name": .string(c.name), "position": .int(Int64(i)),
                                "type_name": .string(c.type.typeName),
                                "type_text": .string(c.type.text.uppercased()),
                            ]
                        }),
                ],
                "total_row_count": rowCount, "total_chunk_count": 1,
                "chunks": [["chunk_index": 0, "row_offset": 0, "row_count": rowCount]], "truncated": .bool(truncated),
            ]
            var chunk: JSONObject = ["chunk_index": 0, "row_offset": 0, "row_count": rowCount]
            if !result.rows.isEmpty {
                chunk["data_array"] = .array(result.rows.map { .array($0.map { $0.map(JSONValue.string) ?? .null }) })
            }
            response["result"] = .object(chunk)
        } catch {
            response["status"] = [
                "state": "FAILED", "sql_state": .string(error.sqlState),
                "error": ["error_code": .string(Self.serviceErrorCode(error)), "message": .string(error.description)],
            ]
        }
        statements[id] = response
        return response
    }

    /// The `ServiceErrorCode` a failed statement reports.
    static func serviceErrorCode(_ error: SQLError) -> String {
        if error.code.hasSuffix("NOT_FOUND") || error.code.hasPrefix("NO_SUCH") || error.code == "UNRESOLVED_COLUMN" {
            return "NOT_FOUND"
        }
        if error.code.hasSuffix("ALREADY_EXISTS") { return "ALREADY_EXISTS" }
        return "BAD_REQUEST"
    }

    /// Substitutes named parameter markers (`:name`) with literals, outside string literals.
    static func bind(_ parameters: [JSONValue], into sql: String) throws(APIError) -> String {
        var values: [String: String] = [:]
        for parameter in parameters {
            guard let name = parameter["name"]?.stringValue else { throw .missing("parameters.name") }
            let type = parameter["type"]?.stringValue?.uppercased() ?? "STRING"
            guard let value = parameter["value"]?.stringValue else {
                values[name.lowercased()] = "NULL"
                continue
            }
            let numeric = ["INT", "BIGINT", "SMALLINT", "TINYINT", "DOUBLE", "FLOAT", "DECIMAL", "BOOLEAN"]
            if numeric.contains(where: { type.hasPrefix($0) }) {
                values[name.lowercased()] = value
            } else {
                values[name.lowercased()] =
                    "'"
                    + value.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "'", with: "\\'") + "'"
            }
        }
        var out = ""
        var chars = Array(sql)[...]
        var quote: Character?
        while let c = chars.first {
            chars = chars.dropFirst()
            if let q = quote {
                out.append(c)
                if c == "\\", let next = chars.first {
                    out.append(next)
                    chars = chars.dropFirst()
                } else if c == q {
                    quote = nil
                }
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
                out.append(c)
            } else if c == ":", let first = chars.first, first.isLetter || first == "_" {
                let name = String(chars.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard let value = values[name.lowercased()] else {
                    throw .invalid("No value was given for the parameter marker :\(name)")
                }
                out += value
                chars = chars.dropFirst(name.count)
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func statementID() -> String {
        let hex = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return "01f0" + parts.map(String.init).joined(separator: "-").dropFirst(4)
    }
}
