import Foundation

/// An error answered to the client as `{error_code, message}` with an HTTP status.
public struct APIError: Error, Sendable, Equatable {
    /// The HTTP status, such as 404.
    public var status: Int
    /// The Databricks error code, such as `RESOURCE_DOES_NOT_EXIST`.
    public var code: String
    /// A message for people.
    public var message: String
    /// Seconds for a `Retry-After` header (429 and 503 only).
    public var retryAfter: Int?

    static func notFound(_ code: String = "RESOURCE_DOES_NOT_EXIST", _ message: String) -> APIError {
        APIError(status: 404, code: code, message: message)
    }

    static func alreadyExists(_ code: String = "RESOURCE_ALREADY_EXISTS", _ message: String) -> APIError {
        APIError(status: 409, code: code, message: message)
    }

    static func invalid(_ message: String) -> APIError {
        APIError(status: 400, code: "INVALID_PARAMETER_VALUE", message: message)
    }

    static func malformedRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "MALFORMED_REQUEST", message: message)
    }

    static func missing(_ field: String) -> APIError {
        invalid("Missing required field: \(field)")
    }

    static func noEndpoint(_ method: String, _ path: String) -> APIError {
        APIError(status: 404, code: "ENDPOINT_NOT_FOUND", message: "No API found for '\(method) \(path)'")
    }

    static func methodNotAllowed(_ method: String, _ path: String) -> APIError {
        APIError(status: 405, code: "METHOD_NOT_ALLOWED", message: "Method \(method) is not allowed on \(path)")
    }
}
