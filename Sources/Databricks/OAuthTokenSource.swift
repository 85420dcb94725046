import CurlHTTP
import Foundation
import LakegateCore
import Logging

/// Short-lived access tokens for one workspace, the way the SDKs obtain them: client credentials at the
/// workspace's OIDC token endpoint (`oauth-m2m`), Entra ID client credentials (`azure-client-secret`), or an
/// RFC 8693 exchange of an ID token (`file-oidc`, `env-oidc`). Discovers the workspace token endpoint like the
/// SDKs (`/.well-known/databricks-config` → `oidc_endpoint` → `/.well-known/oauth-authorization-server`), caches
/// the token and fetches a new one shortly before it expires, or at once when the secret it was obtained with
/// changed (a file rewritten).
actor OAuthTokenSource {
    /// What is exchanged for an access token.
    enum Grant: Sendable {
        /// Databricks OAuth M2M: HTTP Basic client credentials at the discovered token endpoint.
        case clientCredentials(clientID: String, secret: SecretReader)
        /// Entra ID client credentials for `resource` at `{login endpoint}{tenant}/oauth2/token`.
        case entra(clientID: String, secret: SecretReader, tenant: AzureTenant, resource: String)
        /// RFC 8693 token exchange of an ID token at the discovered token endpoint.
        case tokenExchange(clientID: String?, subjectToken: SecretReader)

        var reader: SecretReader {
            switch self {
            case .clientCredentials(_, let secret), .entra(_, let secret, _, _), .tokenExchange(_, let secret): secret
            }
        }

        var clientID: String? {
            switch self {
            case .clientCredentials(let id, _), .entra(let id, _, _, _): id
            case .tokenExchange(let id, _): id
            }
        }
    }

    private let host: String
    /// The SDK's name for the method, in messages: `oauth-m2m`.
    let methodName: String
    private let grant: Grant
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
        host: String, methodName: String, grant: Grant, discoveryURL: String?, transport: any HTTPTransport,
        retry: RetryPolicy, logger: Logger
    ) {
        self.retry = retry
        self.host = host
        self.methodName = methodName
        self.grant = grant
        self.discoveryURL = discoveryURL
        self.transport = transport
        self.logger = logger
    }

    /// How long before expiry a token is replaced: a minute, or half its lifetime when that is shorter.
    static func refreshMargin(lifetime: Double) -> Double { min(60, lifetime / 2) }

    /// A valid access token: from the cache when it has time left and the secret behind it is unchanged.
    ///
    /// Throws ``DatabricksConfigError`` when the secret's file cannot be read, ``DatabricksError`` when the
    /// token endpoint refuses.
    func accessToken() async throws -> String {
        let (input, changed) = try grant.reader.read()
        transport.redactor.register(input)
        if changed, cached != nil {
            logger.info(
                "credential file changed; fetching a new access token",
                metadata: ["method": .string(methodName), "file": .string("\(grant.reader.source)")])
            cached = nil
        }
        if let cached, ContinuousClock.now < cached.expiresAt { return cached.token }
        if let refreshing { return try await refreshing.value.0 }
        let task = Task { try await self.fetchToken(input) }
        refreshing = task
        defer { refreshing = nil }
        let (token, expiresAt) = try await task.value
        cached = (token, expiresAt)
        return token
    }

    /// Drops the cached token (after a 401) so the next call fetches a new one.
    func invalidate() { cached = nil }

    private func fetchToken(_ input: String) async throws -> (String, ContinuousClock.Instant) {
        let endpoint: String
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
        ]
        var form: [(String, String)] = [("grant_type", "client_credentials"), ("scope", "all-apis")]
        switch grant {
        case .clientCredentials(let clientID, _):
            endpoint = try await discoverTokenEndpoint()
            headers.insert(("Authorization", "Basic " + Data("\(clientID):\(input)".utf8).base64EncodedString()), at: 0)
        case .entra(let clientID, _, let tenant, let resource):
            let id = try await tenant.resolved { try await self.discoverTenant() }
            endpoint = "\(tenant.loginEndpoint)\(id)/oauth2/token"
            form += [("resource", resource), ("client_id", clientID), ("client_secret", input)]
        case .tokenExchange(let clientID, _):
            endpoint = try await discoverTokenEndpoint()
            form[0].1 = "urn:ietf:params:oauth:grant-type:token-exchange"
            form += [("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"), ("subject_token", input)]
            if let clientID { form.append(("client_id", clientID)) }
        }
        let body = form.map { "\($0)=\(Self.formEncode($1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: endpoint, headers: headers, body: Array(body.utf8))
        let response = try await send(request)
        let path = URLComponents(string: endpoint)?.path ?? endpoint
        guard response.status == 200 else { throw tokenError(response, endpoint: endpoint, path: path) }
        let json = try JSONValue(parsing: Data(response.body))
        guard let token = json["access_token"]?.stringValue, !token.isEmpty else {
            throw DatabricksError(
                kind: .invalidResponse, message: "\(methodName): token response has no access_token", method: "POST",
                path: path, status: response.status)
        }
        transport.redactor.register(token)
        // Entra ID's v1 endpoint sends expires_in as a string.
        let lifetime =
            json["expires_in"]?.intValue.map(Double.init) ?? json["expires_in"]?.stringValue.flatMap(Double.init)
            ?? 3600
        let usable = max(0, lifetime - Self.refreshMargin(lifetime: lifetime))
        logger.debug(
            "oauth token issued",
            metadata: [
                "method": .string(methodName), "client_id": .string(grant.clientID ?? "-"),
                "expires_in": .stringConvertible(lifetime),
            ])
        return (token, ContinuousClock.now + .milliseconds(Int64(usable * 1000)))
    }

    /// The token endpoint's refusal, in the SDK's words (`invalid_client: Client authentication failed`), naming
    /// the method, the endpoint and the client, never the secret.
    private func tokenError(_ response: HTTPResponse, endpoint: String, path: String) -> DatabricksError {
        var error = DatabricksError.from(status: response.status, body: response.body, method: "POST", path: path)
        if response.status == 400 || response.status == 401 { error.kind = .unauthenticated }
        if let json = try? JSONValue(parsing: Data(response.body)), let code = json["error"]?.stringValue {
            let summary = json["error_description"]?.stringValue ?? "unknown"
            error.message = "\(code): \(summary.replacingOccurrences(of: "\r\n", with: " "))"
        }
        let client = grant.clientID.map { " for client \($0)" } ?? ""
        error.message = transport.redactor.text(
            "\(methodName): token request to \(endpoint)\(client) failed: \(error.message)")
        return error
    }

    /// The tenant from the workspace's `/aad/auth` redirect (`Location: https://login…/{tenant}/oauth2/…`), as
    /// the SDKs' `load_azure_tenant_id` finds it.
    private func discoverTenant() async throws -> String {
        let url = host + "/aad/auth"
        let response = try await send(HTTPRequest(method: "GET", url: url, headers: []))
        if response.status / 100 == 3, let location = response.headers["location"],
            let segments = URLComponents(string: location)?.path.split(separator: "/"), let tenant = segments.first
        {
            return String(tenant)
        }
        throw DatabricksError(
            kind: .unauthenticated,
            message: "\(methodName): no azure_tenant_id (ARM_TENANT_ID) is set and the workspace did not name its "
                + "tenant (expected a redirect, got HTTP \(response.status))", method: "GET", path: "/aad/auth",
            status: response.status)
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

    /// `application/x-www-form-urlencoded` value encoding: everything but unreserved characters escaped.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
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
                        kind: .connectionFailed, message: "\(methodName): \(transport.redactor.text(error.message))",
                        method: request.method, path: URLComponents(string: request.url)?.path ?? request.url,
                        attempts: attempt)
                }
            }
            try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }
}

/// The Entra ID tenant of an Azure service principal, shared by its workspace and management token sources so
/// it is discovered once.
actor AzureTenant {
    /// The login endpoint, ending in `/`.
    nonisolated let loginEndpoint: String
    private var tenantID: String?

    init(tenantID: String?, loginEndpoint: String) {
        self.tenantID = tenantID
        self.loginEndpoint = loginEndpoint
    }

    /// The tenant, discovering it with `discover` the first time when none was configured.
    func resolved(discover: @Sendable () async throws -> String) async throws -> String {
        if let tenantID { return tenantID }
        let found = try await discover()
        tenantID = found
        return found
    }
}
