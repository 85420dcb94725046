import CurlHTTP
import Foundation
import LakegateCore
import Logging
import Synchronization

/// The way to one Databricks workspace: authorized JSON calls over an ``HTTPTransport`` (libcurl, or the
/// emulator in process for tests) with the SDKs' retry rules and typed errors. Typed calls per resource live in
/// `DatabricksClient+<Area>.swift`.
public final class DatabricksClient: Sendable {
    /// The resolved configuration (host, credentials, warehouse).
    public let config: DatabricksConfig
    /// The workspace URL, `https://…` without a trailing slash.
    public let host: String
    /// How requests are authorized.
    public let authMethod: AuthMethod
    /// Retry rules and budget.
    public let retryPolicy: RetryPolicy
    /// What every request goes through: libcurl, or the emulator in process.
    public let transport: any HTTPTransport
    let logger: Logger
    private let credentials: Credentials
    private let requests = Atomic<Int>(0)
    /// Told of every response (endpoint group, HTTP status; 0 when none came), for metrics.
    let observer: (@Sendable (_ group: String, _ status: Int) -> Void)?

    /// A client for the workspace `config` names over libcurl; credentials are registered with the transport's
    /// redactor and the `User-Agent` names the Lakegate version and the auth method.
    public convenience init(
        config: DatabricksConfig, transport configuration: CurlTransportConfiguration = .init(),
        retryPolicy: RetryPolicy = .init(), logger: Logger,
        observer: (@Sendable (_ group: String, _ status: Int) -> Void)? = nil
    ) throws {
        let authMethod = try config.authMethod()
        var configuration = configuration
        if configuration.userAgent == "lakegate" { configuration.userAgent = "lakegate/\(LakegateVersion.string)" }
        configuration.userAgent += " auth/\(authMethod.name)"
        let transport = CurlTransport(configuration: configuration, redactor: Redactor(), logger: logger)
        try self.init(
            config: config, transport: transport, retryPolicy: retryPolicy, logger: logger, observer: observer)
    }

    /// A client for the workspace `config` names that sends every request through `transport`; the
    /// configuration's secrets are registered with the transport's redactor.
    public init(
        config: DatabricksConfig, transport: any HTTPTransport, retryPolicy: RetryPolicy = .init(), logger: Logger,
        observer: (@Sendable (_ group: String, _ status: Int) -> Void)? = nil
    ) throws {
        self.observer = observer
        let authMethod = try config.authMethod()
        let host = config.host ?? ""
        self.config = config
        self.authMethod = authMethod
        self.host = host
        self.retryPolicy = retryPolicy
        self.logger = logger
        for secret in config.secrets { transport.redactor.register(secret) }
        self.transport = transport
        credentials = Credentials(
            authMethod, host: host, discoveryURL: config.discoveryURL, transport: transport, retry: retryPolicy,
            logger: logger)
    }

    /// HTTP requests sent so far, retries and OAuth token requests included.
    public func requestCount() async -> Int {
        requests.load(ordering: .relaxed) + (await credentials.requestCount)
    }

    /// Calls `method path` with `query` and a JSON `body`; returns the JSON answer (`{}` for an empty body).
    ///
    /// Retries 429/503 and connection errors within the budget; throws ``DatabricksError``.
    @discardableResult
    public func call(
        _ method: String, _ path: String, query: [(String, String?)] = [], body: JSONValue? = nil
    ) async throws -> JSONValue {
        let response = try await perform(method, path, query: query, body: body, existing: nil)
        return try Self.json(response, method: method, path: path)
    }

    /// The JSON of a response body (`{}` for an empty one).
    static func json(_ response: HTTPResponse, method: String, path: String) throws -> JSONValue {
        if response.body.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) { return .object([:]) }
        do {
            return try JSONValue(parsing: Data(response.body))
        } catch {
            throw DatabricksError(
                kind: .invalidResponse, message: "response is not JSON: \(error)", method: method, path: path,
                status: response.status)
        }
    }

    /// Like ``call(_:_:query:body:)`` for a create: an "already exists" answer after a retry means an earlier
    /// attempt may have created the object, and is returned as ``CreateOutcome/alreadyExistsAfterRetry(_:)``.
    ///
    /// - Parameter existing: looks the object up by its natural key (and Lakegate's markers where it carries
    ///   them). Called when an attempt's outcome is unknown (the connection broke or timed out after sending, or a
    ///   5xx): the object found is the create's answer instead of a second create; nil lets the retry go ahead.
    public func create(
        _ path: String, body: JSONValue, method: String = "POST",
        existing: (@Sendable () async throws -> JSONValue?)? = nil
    ) async throws -> CreateOutcome {
        do {
            return .created(try await call(method, path, body: body, existing: existing))
        } catch let error as DatabricksError where error.kind == .alreadyExists && error.attempts > 1 {
            return .alreadyExistsAfterRetry(error)
        }
    }

    /// ``call(_:_:query:body:)`` for a call that is not safe to repeat blindly; see ``create(_:body:method:existing:)``.
    func call(
        _ method: String, _ path: String, body: JSONValue, existing: (@Sendable () async throws -> JSONValue?)?
    ) async throws -> JSONValue {
        let response = try await perform(method, path, query: [], body: body, existing: existing)
        return try Self.json(response, method: method, path: path)
    }

    /// The response of a successful (2xx) call, after retries; a cancelled task ends it at once with
    /// ``DatabricksError/Kind/cancelled`` (waits and the request in flight are abandoned).
    func perform(
        _ method: String, _ path: String, query: [(String, String?)], body: JSONValue?,
        existing: (@Sendable () async throws -> JSONValue?)?
    ) async throws -> HTTPResponse {
        do {
            return try await attempts(method, path, query: query, body: body, existing: existing)
        } catch is CancellationError {
            throw DatabricksError(
                kind: .cancelled, message: "abandoned: the task was cancelled (shutting down)", method: method,
                path: path)
        }
    }

    /// The answer `existing` finds after an attempt whose outcome is unknown, as a 200 response; nil when it
    /// finds nothing (the retry may go ahead). A failed look-up is rethrown with `error`: the outcome stays
    /// unknown, so nothing is retried.
    private func recovered(
        _ existing: (@Sendable () async throws -> JSONValue?)?, after error: String, method: String, path: String
    ) async throws -> HTTPResponse? {
        guard let existing else { return nil }
        let found: JSONValue?
        do {
            found = try await existing()
        } catch let lookup as DatabricksError {
            throw DatabricksError(
                kind: lookup.kind, errorCode: lookup.errorCode,
                message: "outcome unknown after \(error), and looking the object up failed: \(lookup)",
                method: method, path: path, status: lookup.status)
        }
        guard let found else { return nil }
        logger.info(
            "create outcome was unknown; the object exists, so it is adopted instead of created again",
            metadata: ["method": .string(method), "path": .string(path), "after": .string(error)])
        return HTTPResponse(status: 200, headers: [:], body: Array(found.canonicalJSON.utf8), httpVersion: "")
    }

    private func attempts(
        _ method: String, _ path: String, query: [(String, String?)], body: JSONValue?,
        existing: (@Sendable () async throws -> JSONValue?)?
    ) async throws -> HTTPResponse {
        let url = host + Self.encodePath(path) + Self.encodeQuery(query)
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8]? = nil
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(body.canonicalJSON.utf8)
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(retryPolicy.budget * 1000))
        var attempt = 0
        var refreshedToken = false
        while true {
            try Task.checkCancellation()
            attempt += 1
            let wait: Double
            var request = HTTPRequest(method: method, url: url, headers: headers, body: bytes)
            request.freshConnection = existing != nil
            let authorization = try await credentials.headers(
                method: method, path: path, authType: authMethod.name, redactor: transport.redactor)
            request.headers += authorization
            do {
                requests.add(1, ordering: .relaxed)
                let response: HTTPResponse
                do {
                    response = try await transport.send(request)
                } catch {
                    observer?(Self.endpointGroup(path), 0)
                    throw error
                }
                observer?(Self.endpointGroup(path), response.status)
                if (200..<300).contains(response.status) { return response }
                var error = DatabricksError.from(
                    status: response.status, body: response.body, method: method, path: path)
                error.attempts = attempt
                if response.status >= 500, response.status != 501,
                    let found = try await recovered(
                        existing, after: "HTTP \(response.status)", method: method, path: path)
                {
                    return found
                }
                if response.status == 401, !refreshedToken,
                    await credentials.invalidate(sent: authorization.first?.value ?? "")
                {
                    // A token revoked or expired early, or a token file rewritten: sign again once.
                    refreshedToken = true
                    continue
                }
                guard
                    let delay = retryPolicy.delay(
                        status: response.status, retryAfter: response.headers["retry-after"], message: error.message,
                        jitter: Double.random(in: 0..<1))
                else { throw error }
                if ContinuousClock.now + .milliseconds(Int64(delay * 1000)) > deadline
                    || retryPolicy.exhausted(after: attempt)
                {
                    error.message += " (retry budget of \(Int(retryPolicy.budget)) s exhausted)"
                    throw error
                }
                logger.debug(
                    "retrying",
                    metadata: [
                        "method": .string(method), "path": .string(path), "status": .stringConvertible(response.status),
                        "attempt": .stringConvertible(attempt), "wait_s": .string(String(format: "%.2f", delay)),
                    ])
                wait = delay
            } catch let error as CurlTransportError {
                if error.mayHaveReachedServer,
                    let found = try await recovered(
                        existing, after: transport.redactor.text(error.message), method: method, path: path)
                {
                    return found
                }
                let delay = retryPolicy.connectionBackoff(attempt: attempt, jitter: Double.random(in: 0..<1))
                if !error.isConnectionError || ContinuousClock.now + .milliseconds(Int64(delay * 1000)) > deadline
                    || retryPolicy.exhausted(after: attempt)
                {
                    throw DatabricksError(
                        kind: .connectionFailed, message: transport.redactor.text(error.message), method: method,
                        path: path, attempts: attempt)
                }
                logger.debug(
                    "retrying after connection error",
                    metadata: [
                        "method": .string(method), "path": .string(path), "error": .string(error.message),
                        "attempt": .stringConvertible(attempt),
                    ])
                wait = delay
            }
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// The path with characters outside RFC 3986 path characters percent-encoded; dots and slashes stay raw,
    /// as the SDKs send full names.
    static func encodePath(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    /// `?k=v&…` for the pairs whose value is not nil, values percent-encoded.
    static func encodeQuery(_ query: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let pairs = query.compactMap { key, value in
            value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}

/// What a create call achieved.
public enum CreateOutcome: Sendable, Equatable {
    /// The object was created; the workspace's answer.
    case created(JSONValue)
    /// A retried create was answered "already exists": an earlier attempt probably created it, so the
    /// planner may adopt the object (after checking it is the one it meant).
    case alreadyExistsAfterRetry(DatabricksError)
}

extension DatabricksClient {
    /// The API family of `path`: `/api/2.1/unity-catalog/schemas/x` → `unity-catalog`; a bounded label.
    public static func endpointGroup(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard parts.count >= 3, parts[0] == "api" else { return "other" }
        return String(parts[2])
    }
}
