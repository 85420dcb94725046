import Foundation
import LakegateCore

/// The workspace's change log: `system.access.audit`, read through the SQL Statement Execution API.
extension DatabricksClient {
    /// The statement that reads the audit events at or after `since` (`event_date` first: the table's partition).
    public static func auditQuery(since: Date) -> String {
        let time = since.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return """
            SELECT event_id, event_time, service_name, action_name, request_params, user_identity, response \
            FROM system.access.audit \
            WHERE event_date >= DATE '\(time.prefix(10))' AND event_time >= TIMESTAMP '\(time)' \
            ORDER BY event_time
            """
    }

    /// Every audit event at or after `since`, oldest first, on `warehouseID`.
    ///
    /// - Throws: the statement's error (a workspace without system tables, a principal without `SELECT` on
    ///   `system.access`), or ``DatabricksError`` of kind `invalidResponse` for a row that cannot be read: a
    ///   change log that cannot be read in full is not read at all.
    public func auditEvents(since: Date, warehouseID: String) async throws -> [AuditEvent] {
        let result = try await executeSQL(Self.auditQuery(since: since), warehouseID: warehouseID)
        return try result.records.map { record in
            func column(_ name: String) -> String? { (record[name] ?? nil) }
            guard let id = column("event_id"), let text = column("event_time"), let time = Self.auditTime(text) else {
                throw DatabricksError(
                    kind: .invalidResponse, message: "an audit row has no event_id or a malformed event_time",
                    method: "POST", path: Self.statements, status: 200)
            }
            var parameters: [String: String] = [:]
            if let params = column("request_params") {
                guard let object = (try? JSONValue(parsing: Data(params.utf8)))?.objectValue else {
                    throw DatabricksError(
                        kind: .invalidResponse, message: "audit event \(id): request_params is not a JSON object",
                        method: "POST", path: Self.statements, status: 200)
                }
                for (key, value) in object where !value.isNull {
                    parameters[key] = value.stringValue ?? value.canonicalJSON
                }
            }
            let identity = column("user_identity").flatMap { try? JSONValue(parsing: Data($0.utf8)) }
            let response = column("response").flatMap { try? JSONValue(parsing: Data($0.utf8)) }
            let status = response?["status_code"] ?? response?["statusCode"]
            return AuditEvent(
                id: id, time: time, service: column("service_name") ?? "", action: column("action_name") ?? "",
                parameters: parameters, user: identity?["email"]?.stringValue,
                statusCode: status.flatMap { $0.intValue.map(Int.init) ?? $0.stringValue.flatMap { Int($0) } })
        }
    }

    /// `event_time` as the API renders it: RFC 3339, with or without fractional seconds.
    static func auditTime(_ text: String) -> Date? {
        let normalized = text.replacingOccurrences(of: " ", with: "T")
        return (try? Date(normalized, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(normalized, strategy: Date.ISO8601FormatStyle()))
    }
}
