/// Something that sends one ``HTTPRequest`` and returns its ``HTTPResponse``: libcurl in production
/// (``CurlTransport``), the emulator's request handler in process for tests.
///
/// A transport answers every response it got, whatever its status; it throws only when no response arrived,
/// and then a ``CurlTransportError`` whose ``CurlTransportError/isConnectionError`` tells a client whether
/// retrying may help. Retries, authorization and error mapping belong to the client, not the transport.
public protocol HTTPTransport: Sendable {
    /// Masks credentials in everything this transport or its client logs; a client registers its secrets here.
    var redactor: Redactor { get }

    /// Sends `request` and returns the response, whatever its status.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
