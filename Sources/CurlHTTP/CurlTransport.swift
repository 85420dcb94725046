import CCurl
import Dispatch
import Foundation
import Logging
import Synchronization

/// HTTP over libcurl: a pool of reusable easy handles (each keeps its connections alive), HTTP/2 over TLS
/// where the server offers it, timeouts, TLS verification, proxies from the environment, bounded concurrency,
/// and request/response tracing with every credential masked.
///
/// Blocking `curl_easy_perform` calls run on a dedicated dispatch queue, never on Swift's cooperative pool;
/// the semaphore bounds how many of them run at once.
public final class CurlTransport: HTTPTransport {
    /// The settings this transport was made with.
    public let configuration: CurlTransportConfiguration
    /// Masks credentials in everything this transport logs.
    public let redactor: Redactor
    private let logger: Logger
    private let semaphore: AsyncSemaphore
    private let pool: HandlePool
    private static let globalInit: Bool = ccurl_global_init_all() == CURLE_OK

    public init(configuration: CurlTransportConfiguration = .init(), redactor: Redactor = Redactor(), logger: Logger) {
        _ = Self.globalInit
        self.configuration = configuration
        self.redactor = redactor
        self.logger = logger
        self.semaphore = AsyncSemaphore(value: configuration.maxConcurrency)
        self.pool = HandlePool()
    }

    /// Sends `request` and returns the response, whatever its status; throws ``CurlTransportError`` only when
    /// no response arrived.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await semaphore.withPermit {
            self.trace(request)
            let started = ContinuousClock.now
            let configuration = self.configuration
            let pool = self.pool
            try Task.checkCancellation()
            // Cancelling the task abandons the request at once: the caller is resumed with CancellationError
            // and the blocked transfer finishes (or times out) on its own thread, its answer dropped.
            let answer = AnswerOnce()
            let result: Result<HTTPResponse, CurlTransportError>? = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    guard answer.wait(with: continuation) else { return }
                    // A serial queue per request: serial queues overcommit, so every blocked `curl_easy_perform`
                    // gets its own thread. A shared concurrent queue runs at most one item per core on Linux,
                    // which capped the whole process at two requests in flight.
                    DispatchQueue(label: "lakegate.curl.request").async {
                        let handle = pool.take()
                        let result = handle.perform(request, configuration: configuration)
                        pool.give(back: handle)
                        answer.resume(with: result)
                    }
                }
            } onCancel: {
                answer.resume(with: nil)
            }
            guard let result else { throw CancellationError() }
            let elapsed = ContinuousClock.now - started
            switch result {
            case .success(let response):
                self.trace(response, for: request, elapsed: elapsed)
                return response
            case .failure(let error):
                self.logger.debug(
                    "http error",
                    metadata: [
                        "method": .string(request.method), "url": .string(self.redactor.text(error.url)),
                        "error": .string(self.redactor.text(error.message)),
                        "curl_code": .stringConvertible(error.code),
                    ])
                throw error
            }
        }
    }

    private func trace(_ request: HTTPRequest) {
        guard logger.logLevel <= .trace else { return }
        let headers = request.headers.map { "\($0.name): \(redactor.header(name: $0.name, value: $0.value))" }
        var metadata: Logger.Metadata = [
            "method": .string(request.method), "url": .string(redactor.text(request.url)),
            "headers": .array(headers.map { .string($0) }),
        ]
        if let body = request.body { metadata["body"] = .string(redactor.text(Self.excerpt(body))) }
        logger.trace("http request", metadata: metadata)
    }

    private func trace(_ response: HTTPResponse, for request: HTTPRequest, elapsed: Duration) {
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": .string(request.method), "url": .string(redactor.text(Self.stripQuery(request.url))),
            "status": .stringConvertible(response.status), "http_version": .string(response.httpVersion),
            "ms": .string(String(format: "%.1f", millis)),
        ]
        if logger.logLevel <= .trace {
            let headers = response.headers.sorted { $0.key < $1.key }.map {
                "\($0.key): \(redactor.header(name: $0.key, value: $0.value))"
            }
            metadata["headers"] = .array(headers.map { .string($0) })
            metadata["body"] = .string(redactor.text(Self.excerpt(response.body)))
            logger.trace("http response", metadata: metadata)
        } else {
            logger.debug("http response", metadata: metadata)
        }
    }

    static func excerpt(_ body: [UInt8]) -> String {
        let limit = 4096
        if body.count <= limit { return String(decoding: body, as: UTF8.self) }
        return String(decoding: body.prefix(limit), as: UTF8.self) + "…(\(body.count) bytes)"
    }

    static func stripQuery(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}

/// The one answer to a request's continuation: the transfer's result, or nil when the task was cancelled first.
final class AnswerOnce: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Result<HTTPResponse, CurlTransportError>?, Never>)
        case done
    }
    private let state = Mutex<State>(.idle)

    /// Stores the continuation; false (and the continuation resumed with nil) when cancelled already.
    func wait(with continuation: CheckedContinuation<Result<HTTPResponse, CurlTransportError>?, Never>) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if case .done = state { return true }
            state = .waiting(continuation)
            return false
        }
        if cancelled { continuation.resume(returning: nil) }
        return !cancelled
    }

    /// Resumes the waiting continuation once; later calls do nothing.
    func resume(with result: Result<HTTPResponse, CurlTransportError>?) {
        let continuation = state.withLock {
            state -> CheckedContinuation<Result<HTTPResponse, CurlTransportError>?, Never>? in
            defer { state = .done }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        continuation?.resume(returning: result)
    }
}

/// Idle easy handles; a handle taken from here is used by one thread at a time.
final class HandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [EasyHandle] = []

    func take() -> EasyHandle {
        lock.withLock { idle.popLast() } ?? EasyHandle()
    }

    func give(back handle: EasyHandle) {
        lock.withLock { idle.append(handle) }
    }
}
