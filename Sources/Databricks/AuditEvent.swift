import Foundation
import LakegateCore

/// One event of the workspace's audit log (`system.access.audit`): which service did what to which object.
public struct AuditEvent: Sendable, Hashable {
    /// `event_id`: unique per event, so an event seen by two overlapping queries counts once.
    public var id: String
    public var time: Date
    public var service: String
    public var action: String
    /// `request_params`: the identifiers the request named (`full_name_arg`, `job_id`, `path`, `commandText`, …).
    public var parameters: [String: String]
    /// `user_identity.email`, when given.
    public var user: String?
    /// `response.status_code`; nil when the row has none.
    public var statusCode: Int?

    /// Whether the event can have changed something: it succeeded and is not a read (`get…`, `list…`, a `SELECT`).
    /// A read of Lakegate's own would otherwise send the product it read to be read again, forever.
    public var mayChangeState: Bool {
        if let statusCode, !(200..<300).contains(statusCode) { return false }
        let readPrefixes = ["get", "list", "read", "search", "check", "describe", "preview", "generate", "export"]
        let lower = action.lowercased()
        if readPrefixes.contains(where: { lower.hasPrefix($0) }) { return false }
        if let command = parameters["commandText"] {
            let verb = command.trimmingCharacters(in: .whitespacesAndNewlines).prefix(8).uppercased()
            if ["SELECT", "SHOW", "DESCRIBE", "WITH", "USE", "EXPLAIN"].contains(where: { verb.hasPrefix($0) }) {
                return false
            }
        }
        return true
    }
}
