import CurlHTTP
import Synchronization

/// An ``HTTPTransport`` in front of another that fails its first requests as libcurl does when no response
/// arrives, so tests reach a client's connection-error paths without a network (the emulator can only answer).
public final class FlakyTransport: HTTPTransport {
    /// The transport that answers once the failures are used up.
    public let base: any HTTPTransport
    /// The `CURLcode` of each failure: 7 (could not connect) is retried by clients, 60 (bad certificate) is not.
    public let code: Int
    private let remaining: Mutex<Int>
    private let attempts = Atomic<Int>(0)

    /// Fails the first `failures` requests with `code`, then hands every request to `base`.
    public init(_ base: any HTTPTransport, failures: Int, code: Int = 7) {
        self.base = base
        self.code = code
        self.remaining = Mutex(failures)
    }

    public var redactor: Redactor { base.redactor }

    /// Requests this transport was given, failed ones included.
    public var requestCount: Int { attempts.load(ordering: .relaxed) }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        attempts.add(1, ordering: .relaxed)
        let fail = remaining.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail {
            throw CurlTransportError(
                code: code, message: "injected failure (curl error \(code))", method: request.method,
                url: request.url.split(separator: "?").first.map(String.init) ?? request.url)
        }
        return try await base.send(request)
    }
}
