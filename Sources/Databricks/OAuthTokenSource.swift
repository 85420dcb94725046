import CurlHTTP
import Foundation
import LakegateCore
import Logging

/// OAuth machine-to-machine access tokens for one workspace: discovers the token endpoint the way the SDKs
/// do (`/.well-known/databricks-config` → `oidc_endpoint` → `/.well-known/oauth-authorization-server`),
/// exchanges the client credentials, caches the token and fetches a new one shortly before it expires.
actor OAuthTokenSource {
    private let host: String
    private let clientID: String
    private let clientSecret: String
    private let discoveryURL: String?
    private let transport: any HTTPTransport
    private let logger: Logger
    private let retry: RetryPolicy
    private var tokenEndpoint: String?
    private var cached: (token: String, expiresAt: ContinuousClock.Instant)?
    private var refreshing: Task<(String, ContinuousClock.Instant), any Error>?
    /// Network requests made (discovery and token), for request accounting.
    private(set) var requestCount = 0

    init(
        host: String, clientID: String, clientSecret: String, discoveryURL: String?, transport: any HTTPTransport,
        retry: RetryPolicy, logger: Logger
    ) {
        self.retry = retry
        self.host = host
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.discoveryURL = discoveryURL
        self.transport = transport
        self.logger = logger
    }

    /// How long before expiry a token is replaced: a minute, or half its lifetime when that is shorter.
    static func refreshMargin(lifetime: Double) -> Double { min(60, lifetime / 2) }

    /// A valid access token, from the cache when it has time left.
    func accessToken() async throws -> String {
        if let cached, ContinuousClock.now < cached.expiresAt { return cached.token }
        if let refreshing { return try await refreshing.value.0 }
        let task = Task { try await self.fetchToken() }
        refreshing = task
        defer { refreshing = nil }
        let (token, expiresAt) = try await task.value
        cached = (token, expiresAt)
        return token
    }

    /// Drops the cached token (after a 401) so the next call fetches a new one.
    func invalidate() { cached = nil }

    private func fetchToken() async throws -> (String, ContinuousClock.Instant) {
        let endpoint = try await discoverTokenEndpoint()
        let credentials = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        let request = HTTPRequest(
            method: "POST", url: endpoint,
            headers: [
                ("Authorization", "Basic \(credentials)"), ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            body: Array("grant_type=client_credentials&scope=all-apis".utf8))
        let response = try await send(request)
        let path = URLComponents(string: endpoint)?.path ?? endpoint
        guard response.status == 200 else {
            var error = DatabricksError.from(status: response.status, body: response.body, method: "POST", path: path)
            if response.status == 400 || response.status == 401 { error.kind = .unauthenticated }
            error.message = "OAuth M2M token request for client \(clientID) failed: \(error.message)"
            throw error
        }
        let json = try JSONValue(parsing: Data(response.body))
        guard let token = json["access_token"]?.stringValue, !token.isEmpty else {
            throw DatabricksError(
                kind: .invalidResponse, message: "token response has no access_token", method: "POST", path: path,
                status: response.status)
        }
        transport.redactor.register(token)
        let lifetime = Double(json["expires_in"]?.intValue ?? 3600)
        let usable = max(0, lifetime - Self.refreshMargin(lifetime: lifetime))
        logger.debug(
            "oauth token issued",
            metadata: ["client_id": .string(clientID), "expires_in": .stringConvertible(lifetime)])
        return (token, ContinuousClock.now + .milliseconds(Int64(usable * 1000)))
    }

    private func discoverTokenEndpoint() async throws -> String {
        if let tokenEndpoint { return tokenEndpoint }
        var oidc = host + "/oidc"
        if let discoveryURL {
            let metadata = try await getJSON(discoveryURL)
            if let endpoint = metadata["token_endpoint"]?.stringValue {
                tokenEndpoint = endpoint
                return endpoint
            }
        } else if let config = try? await getJSON(host + "/.well-known/databricks-config"),
            let endpoint = config["oidc_endpoint"]?.stringValue, !endpoint.isEmpty
        {
            oidc = endpoint
        }
        while oidc.hasSuffix("/") { oidc.removeLast() }
        let metadata = try await getJSON(oidc + "/.well-known/oauth-authorization-server")
        guard let endpoint = metadata["token_endpoint"]?.stringValue else {
            throw DatabricksError(
                kind: .invalidResponse, message: "OAuth metadata at \(oidc) has no token_endpoint", method: "GET",
                path: "/.well-known/oauth-authorization-server")
        }
        tokenEndpoint = endpoint
        return endpoint
    }

    private func getJSON(_ url: String) async throws -> JSONValue {
        let response = try await send(HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")]))
        let path = URLComponents(string: url)?.path ?? url
        guard response.status == 200 else {
            throw DatabricksError.from(status: response.status, body: response.body, method: "GET", path: path)
        }
        return try JSONValue(parsing: Data(response.body))
    }

    /// Sends with the same retry rules as API calls: the token endpoint is rate limited too.
    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let deadline = ContinuousClock.now + .milliseconds(Int64(retry.budget * 1000))
        var attempt = 0
        while true {
            attempt += 1
            requestCount += 1
            let wait: Double
            do {
                let response = try await transport.send(request)
                let message = String(decoding: response.body.prefix(1024), as: UTF8.self)
                guard
                    let delay = retry.delay(
                        status: response.status, retryAfter: response.headers["retry-after"], message: message,
                        jitter: Double.random(in: 0..<1))
                else { return response }
                wait = delay
                if ContinuousClock.now + .milliseconds(Int64(wait * 1000)) > deadline { return response }
            } catch let error as CurlTransportError {
                wait = retry.connectionBackoff(attempt: attempt, jitter: Double.random(in: 0..<1))
                if !error.isConnectionError || ContinuousClock.now + .milliseconds(Int64(wait * 1000)) > deadline {
                    throw DatabricksError(
                        kind: .connectionFailed, message: error.message, method: request.method,
                        path: URLComponents(string: request.url)?.path ?? request.url, attempts: attempt)
                }
            }
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }
}
