import Foundation
import LakegateCore

/// One event of the workspace's audit log, as `system.access.audit` serves it: who changed what, and when.
struct AuditRecord: Codable, Sendable {
    var eventID: String
    /// Epoch milliseconds.
    var eventTime: Int64
    var serviceName: String
    var actionName: String
    var requestID: String
    /// Identifiers of what the request named (`full_name_arg`, `job_id`, `path`, `space_id`, `commandText`, …).
    var requestParams: [String: String]
    var userEmail: String
    var statusCode: Int

    /// The columns of `system.access.audit` the emulator serves, in the real table's order.
    static let columns = [
        "account_id", "workspace_id", "version", "event_time", "event_date", "source_ip_address", "user_agent",
        "session_id", "user_identity", "service_name", "action_name", "request_id", "request_params", "response",
        "audit_level", "event_id",
    ]

    /// The row, column by column; maps and structs are JSON text, as the Statement Execution API returns them.
    func row(workspaceID: String) -> [String?] {
        let params = JSONValue.object(requestParams.mapValues { .string($0) }).canonicalJSON
        let identity = JSONValue.object(["email": .string(userEmail), "subject_name": .null]).canonicalJSON
        let response = JSONValue.object([
            "status_code": .int(Int64(statusCode)), "error_message": .null, "result": .null,
        ])
        return [
            "00000000-0000-0000-0000-000000000000", workspaceID, "2.0", Self.timestamp(eventTime),
            String(Self.timestamp(eventTime).prefix(10)), "127.0.0.1", "lakegate-emulator", nil, identity, serviceName,
            actionName, requestID, params, response.canonicalJSON, "WORKSPACE_LEVEL", eventID,
        ]
    }

    /// `2026-01-01T01:01:01.123Z`: fixed width, so text order is time order.
    static func timestamp(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
