import Foundation
import LakegateCore

/// One HTTP response produced by the emulator.
public struct EmulatorResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response with `Content-Type: application/json`.
    public static func json(_ value: JSONValue, status: Int = 200) -> EmulatorResponse {
        EmulatorResponse(
            status: status, headers: ["Content-Type": "application/json"], body: Data(value.canonicalJSON.utf8))
    }

    /// The Databricks error body `{error_code, message}` with the error's status.
    public static func error(_ error: APIError) -> EmulatorResponse {
        var response = json(
            ["error_code": .string(error.code), "message": .string(error.message)], status: error.status)
        if let retryAfter = error.retryAfter { response.headers["Retry-After"] = String(retryAfter) }
        return response
    }
}
