import Foundation

/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    public var method: String
    /// The absolute URL, query included.
    public var url: String
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// The body bytes, if any.
    public var body: [UInt8]?
    /// Send on a new connection: libcurl silently re-sends a request whose reused connection died before any
    /// answer, which would repeat a create. Set for calls that are not safe to repeat.
    public var freshConnection = false

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response: status, header fields (names lower-cased) and body bytes.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields, names lower-cased; a repeated field keeps its last value.
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]
    /// The HTTP version used: `1.1`, `2`.
    public var httpVersion: String

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
