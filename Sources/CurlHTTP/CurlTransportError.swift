import Foundation

/// A request that got no HTTP response: libcurl failed to connect, send, receive or finish in time.
public struct CurlTransportError: Error, Sendable, CustomStringConvertible {
    /// The `CURLcode` value.
    public var code: Int
    /// libcurl's explanation, with the detail from its error buffer when there is one.
    public var message: String
    /// The request method.
    public var method: String
    /// The URL without its query.
    public var url: String

    public init(code: Int, message: String, method: String, url: String) {
        self.code = code
        self.message = message
        self.method = method
        self.url = url
    }

    /// Whether the failure is about reaching the server (connect, resolve, send, receive, timeout):
    /// the kind of failure a client retries with backoff.
    public var isConnectionError: Bool {
        // CURLE_COULDNT_RESOLVE_PROXY 5, _HOST 6, COULDNT_CONNECT 7, PARTIAL_FILE 18, OPERATION_TIMEDOUT 28,
        // SSL_CONNECT_ERROR 35, GOT_NOTHING 52, SEND_ERROR 55, RECV_ERROR 56, HTTP2 16, HTTP2_STREAM 92.
        [5, 6, 7, 16, 18, 28, 35, 52, 55, 56, 92].contains(code)
    }

    /// Whether the request may have reached the server although no answer came back (the connection broke or
    /// timed out after sending): a create that failed so has an unknown outcome.
    public var mayHaveReachedServer: Bool {
        // HTTP2 16, PARTIAL_FILE 18, OPERATION_TIMEDOUT 28, GOT_NOTHING 52, SEND_ERROR 55, RECV_ERROR 56,
        // HTTP2_STREAM 92; not resolve or connect failures, which never sent a byte.
        [16, 18, 28, 52, 55, 56, 92].contains(code)
    }

    public var description: String { "\(method) \(url): \(message) (curl error \(code))" }
}
