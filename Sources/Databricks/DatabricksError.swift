import Foundation
import LakegateCore

/// A failed workspace call, classified like the Databricks SDK's `errors/mapper.py`, carrying what was
/// called and what the workspace answered.
public struct DatabricksError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure; callers branch on this, not on the exact `errorCode`.
    public enum Kind: String, Sendable, Equatable {
        case badRequest, invalidParameter, invalidState, unauthenticated, permissionDenied, notFound
        case alreadyExists, conflict, aborted, rateLimited, cancelled, internalError, notImplemented
        case unavailable, deadlineExceeded, connectionFailed, retryBudgetExhausted, sqlStatementFailed
        case invalidResponse, unknown
    }

    public var kind: Kind
    /// The workspace's `error_code` (`CATALOG_DOES_NOT_EXIST`), or empty.
    public var errorCode: String
    /// The workspace's message.
    public var message: String
    /// The HTTP method.
    public var method: String
    /// The request path, without host or query.
    public var path: String
    /// The HTTP status, or 0 when no response arrived.
    public var status: Int
    /// How many attempts were made.
    public var attempts: Int

    public init(
        kind: Kind, errorCode: String = "", message: String, method: String, path: String, status: Int = 0,
        attempts: Int = 1
    ) {
        self.kind = kind
        self.errorCode = errorCode
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.attempts = attempts
    }

    public var description: String {
        var text = "\(method) \(path): \(kind.rawValue)"
        if status != 0 { text += " (HTTP \(status)" + (errorCode.isEmpty ? ")" : " \(errorCode))") }
        if !message.isEmpty { text += ": \(message)" }
        if attempts > 1 { text += " [after \(attempts) attempts]" }
        return text
    }

    /// Maps an HTTP error response: path overrides, then `error_code`, then the status, as the SDK does.
    public static func from(status: Int, body: [UInt8], method: String, path: String) -> DatabricksError {
        let (code, message) = parseBody(body)
        return DatabricksError(
            kind: kind(status: status, errorCode: code, message: message, path: path), errorCode: code,
            message: message, method: method, path: path, status: status)
    }

    static func kind(status: Int, errorCode: String, message: String, path: String) -> Kind {
        // Jobs answer a missing job with 400 "Job 42 does not exist."; the SDK maps it to not-found.
        if status == 400, path.hasSuffix("/jobs/get") || path.hasSuffix("/jobs/runs/get"),
            message.contains("does not exist")
        {
            return .notFound
        }
        switch errorCode {
        case "INVALID_PARAMETER_VALUE": return .invalidParameter
        case "INVALID_STATE": return .invalidState
        case "RESOURCE_DOES_NOT_EXIST", "NOT_FOUND": return .notFound
        case "RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS": return .alreadyExists
        case "ABORTED": return .aborted
        case "RESOURCE_EXHAUSTED", "REQUEST_LIMIT_EXCEEDED": return .rateLimited
        case "UNAUTHENTICATED": return .unauthenticated
        case "PERMISSION_DENIED": return .permissionDenied
        case "UNKNOWN", "DATA_LOSS", "INTERNAL_ERROR": return .internalError
        case "TEMPORARILY_UNAVAILABLE": return .unavailable
        default: break
        }
        // Legacy Unity Catalog codes (CATALOG_ALREADY_EXISTS, TABLE_DOES_NOT_EXIST): the planner needs
        // "already exists" apart from other conflicts, so the suffix decides.
        if errorCode.hasSuffix("_ALREADY_EXISTS") { return .alreadyExists }
        if errorCode.hasSuffix("_DOES_NOT_EXIST") { return .notFound }
        switch status {
        case 400: return .badRequest
        case 401: return .unauthenticated
        case 403: return .permissionDenied
        case 404: return .notFound
        case 409: return .conflict
        case 429: return .rateLimited
        case 499: return .cancelled
        case 500: return .internalError
        case 501: return .notImplemented
        case 503: return .unavailable
        case 504: return .deadlineExceeded
        default: return .unknown
        }
    }

    /// `{"error_code", "message"}`, legacy `{"error"}`, SCIM `{"detail"}`, or `CODE: message` text.
    static func parseBody(_ body: [UInt8]) -> (code: String, message: String) {
        if let json = try? JSONValue(parsing: String(decoding: body, as: UTF8.self)), json.objectValue != nil {
            let code = json["error_code"]?.stringValue ?? json["scimType"]?.stringValue ?? ""
            let message =
                json["message"]?.stringValue ?? json["error"]?.stringValue ?? json["detail"]?.stringValue ?? ""
            return (code, message)
        }
        let text = String(decoding: body.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let colon = text.firstIndex(of: ":") {
            let code = String(text[..<colon])
            if !code.isEmpty, code.allSatisfy({ $0.isUppercase || $0 == "_" }) {
                return (code, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
        }
        if text.hasPrefix("<") { return ("", "unexpected HTML response") }
        return ("", text)
    }
}
