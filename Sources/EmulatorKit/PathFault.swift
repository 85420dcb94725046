import Foundation
import LakegateCore

/// One injected failure for the API requests whose path starts with ``pathPrefix``: an error status, or a
/// 200 whose JSON body is cut short (a truncated page).
public struct PathFault: Sendable, Equatable {
    /// Requests whose path starts with this are answered by the fault.
    public var pathPrefix: String
    /// Only this method (`GET`, `POST`), or every method when nil.
    public var method: String?
    /// The HTTP status to answer (401, 403, 500, ...); 200 with ``truncated``.
    public var status: Int
    /// Answer 200 with a JSON body cut in the middle, as a connection dropped mid-page would leave it.
    public var truncated: Bool

    public init(pathPrefix: String, method: String? = nil, status: Int, truncated: Bool = false) {
        self.pathPrefix = pathPrefix
        self.method = method
        self.status = status
        self.truncated = truncated
    }

    /// Whether the fault answers `method path`.
    func matches(method: String, path: String) -> Bool {
        path.hasPrefix(pathPrefix) && (self.method.map { $0.uppercased() == method } ?? true)
    }

    /// The response the fault gives.
    var response: EmulatorResponse {
        if truncated {
            return EmulatorResponse(
                status: 200, headers: ["Content-Type": "application/json"],
                body: Data(#"{"items": [{"name": "cut"#.utf8))
        }
        let code: String
        switch status {
        case 401: code = "UNAUTHENTICATED"
        case 403: code = "PERMISSION_DENIED"
        case 404: code = "RESOURCE_DOES_NOT_EXIST"
        case 429: code = "REQUEST_LIMIT_EXCEEDED"
        case 503: code = "TEMPORARILY_UNAVAILABLE"
        default: code = "INTERNAL_ERROR"
        }
        return .error(APIError(status: status, code: code, message: "injected fault for \(pathPrefix)"))
    }

    /// Parses one member of the `paths` array of `POST /_emulator/faults`.
    init(json value: JSONValue) throws(APIError) {
        guard let prefix = value["path_prefix"]?.stringValue, prefix.hasPrefix("/") else {
            throw .invalid("paths[].path_prefix must be a path starting with /")
        }
        let truncated = value["truncated"]?.boolValue ?? false
        let status = value["status"]?.intValue.map(Int.init) ?? (truncated ? 200 : 0)
        guard truncated ? status == 200 : (400...599).contains(status) else {
            throw .invalid("paths[].status must be 400...599 (or 200 with truncated: true)")
        }
        self.init(
            pathPrefix: prefix, method: value["method"]?.stringValue, status: status, truncated: truncated)
    }

    var json: JSONValue {
        [
            "path_prefix": .string(pathPrefix), "method": method.map { .string($0) } ?? .null,
            "status": .int(Int64(status)), "truncated": .bool(truncated),
        ]
    }
}
