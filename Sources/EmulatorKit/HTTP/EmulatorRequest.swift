import Foundation
import LakegateCore

/// One HTTP request as the emulator sees it, independent of the server library.
public struct EmulatorRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `PUT` or `DELETE`.
    public var method: String
    /// The path without the query string, percent-decoded.
    public var path: String
    /// The raw query string (without `?`), for the request log.
    public var rawQuery: String
    /// Query parameters; a repeated name keeps its last value.
    public var query: [String: String]
    /// Header values by lower-case name.
    public var headers: [String: String]
    /// The request body.
    public var body: Data

    public init(
        method: String, path: String, rawQuery: String = "", headers: [String: String] = [:], body: Data = Data()
    ) {
        self.method = method.uppercased()
        self.path = path.removingPercentEncoding ?? path
        self.rawQuery = rawQuery
        self.query = Self.parseQuery(rawQuery)
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
    }

    /// The path split at `/`, without empty segments.
    public var segments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The body parsed as a JSON object; an empty body is an empty object.
    public func jsonBody() throws(APIError) -> [String: JSONValue] {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        guard let value = try? JSONValue(parsing: body) else {
            throw .malformedRequest("Request body is not valid JSON")
        }
        guard let object = value.objectValue else {
            throw .malformedRequest("Request body must be a JSON object")
        }
        return object
    }

    /// Splits `a=1&b=x%20y` into a dictionary; `+` stands for a space as in form encoding.
    static func parseQuery(_ raw: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(String(parts[0]))
            let value = parts.count > 1 ? decodeComponent(String(parts[1])) : ""
            result[name] = value
        }
        return result
    }

    static func decodeComponent(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
