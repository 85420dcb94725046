import Foundation
import LakegateCore

/// The rows of a finished SQL statement.
public struct SQLResult: Sendable, Equatable {
    /// The statement id.
    public var statementID: String
    /// Column names in order.
    public var columns: [String]
    /// Rows; values are strings or nil for SQL NULL, as the Statement Execution API returns them.
    public var rows: [[String?]]

    /// The rows as dictionaries by column name.
    public var records: [[String: String?]] {
        rows.map { row in
            var record: [String: String?] = [:]
            for (index, column) in columns.enumerated() {
                record.updateValue(index < row.count ? row[index] : nil, forKey: column)
            }
            return record
        }
    }
}

/// SQL Statement Execution API.
extension DatabricksClient {
    static let statements = "/api/2.0/sql/statements"

    /// Runs `statement` on `warehouseID` and waits for it; `FAILED` or `CANCELED` becomes a
    /// ``DatabricksError`` of kind `sqlStatementFailed` carrying the SQL error message.
    ///
    /// - Parameter existing: for a `CREATE`, looks the object up by name when the statement's outcome is unknown
    ///   (see ``create(_:body:method:existing:)``); when it finds it, the statement counts as done (no rows).
    public func executeSQL(
        _ statement: String, warehouseID: String, catalog: String? = nil, schema: String? = nil,
        parameters: [(name: String, value: String)] = [], existing: (@Sendable () async throws -> JSONValue?)? = nil
    ) async throws -> SQLResult {
        var body: [String: JSONValue] = [
            "statement": .string(statement), "warehouse_id": .string(warehouseID), "wait_timeout": "50s",
            "on_wait_timeout": "CONTINUE", "disposition": "INLINE", "format": "JSON_ARRAY",
        ]
        if let catalog { body["catalog"] = .string(catalog) }
        if let schema { body["schema"] = .string(schema) }
        if !parameters.isEmpty {
            body["parameters"] = .array(
                parameters.map { ["name": .string($0.name), "value": .string($0.value), "type": "STRING"] })
        }
        var recovered: (@Sendable () async throws -> JSONValue?)?
        if let existing {
            // Found: the statement counts as done, answered by a marker that no real answer has.
            let done: JSONValue = ["statement_id": "", "status": ["state": "SUCCEEDED"]]
            recovered = { try await existing() == nil ? nil : done }
        }
        var answer = try await call("POST", Self.statements, body: .object(body), existing: recovered)
        if answer["statement_id"]?.stringValue == "", existing != nil {
            return SQLResult(statementID: "", columns: [], rows: [])
        }
        guard let id = answer["statement_id"]?.stringValue else {
            throw DatabricksError(
                kind: .invalidResponse, message: "statement answer has no statement_id", method: "POST",
                path: Self.statements, status: 200)
        }
        var delay = 0.05
        while let state = answer["status"]?["state"]?.stringValue, state == "PENDING" || state == "RUNNING" {
            try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            delay = min(delay * 2, 2)
            answer = try await call("GET", "\(Self.statements)/\(id)")
        }
        let state = answer["status"]?["state"]?.stringValue ?? "UNKNOWN"
        guard state == "SUCCEEDED" else {
            let error = answer["status"]?["error"]
            throw DatabricksError(
                kind: .sqlStatementFailed, errorCode: error?["error_code"]?.stringValue ?? state,
                message: error?["message"]?.stringValue ?? "statement \(id) ended \(state)", method: "POST",
                path: Self.statements, status: 200)
        }
        let columns = (answer["manifest"]?["schema"]?["columns"]?.arrayValue ?? []).compactMap {
            $0["name"]?.stringValue
        }
        var rows = Self.rows(of: answer["result"])
        var next = answer["result"]?["next_chunk_index"]?.intValue
        while let chunk = next {
            let page = try await call("GET", "\(Self.statements)/\(id)/result/chunks/\(chunk)")
            rows += Self.rows(of: page)
            next = page["next_chunk_index"]?.intValue
        }
        return SQLResult(statementID: id, columns: columns, rows: rows)
    }

    /// Cancels a running statement.
    public func cancelSQL(_ statementID: String) async throws {
        try await call("POST", "\(Self.statements)/\(statementID)/cancel")
    }

    static func rows(of result: JSONValue?) -> [[String?]] {
        (result?["data_array"]?.arrayValue ?? []).map { row in
            (row.arrayValue ?? []).map { value -> String? in
                switch value {
                case .null: nil
                case .string(let s): s
                default: value.canonicalJSON
                }
            }
        }
    }
}
