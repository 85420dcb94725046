import Foundation
import LakegateCore
import Logging

/// The emulated workspace: owns the state, checks credentials, injects faults, logs every request
/// and persists the state after every change. One instance serves one emulator process.
public actor Workspace {
    let configuration: EmulatorConfiguration
    var state: WorkspaceState
    var faults: FaultSettings
    var faultRandom: FaultRandom
    var requestLog: [JSONValue] = []
    var statusCounts: [Int: Int] = [:]
    var rateWindow: (second: Int64, count: Int) = (0, 0)
    var baseURL = "http://127.0.0.1"
    /// Who each issued access token belongs to (the OAuth client, Azure or federated service principal).
    var tokenPrincipals: [String: String] = [:]
    /// Azure service management tokens issued by the emulated Entra ID: accepted only in
    /// `X-Databricks-Azure-SP-Management-Token`, never as a bearer token.
    var managementTokens: [String: Int64] = [:]
    let startedAt = Date()
    let logger: Logger

    /// Loads the state file when there is one, else starts from a fresh workspace.
    public init(configuration: EmulatorConfiguration, logger: Logger = Logger(label: "lakegate-emulator")) throws {
        self.configuration = configuration
        self.faults = configuration.faults
        self.faultRandom = FaultRandom(seed: configuration.faults.seed)
        self.logger = logger
        self.state =
            try StateFile.load(path: configuration.statePath)
            ?? WorkspaceState(workspaceID: configuration.workspaceID)
    }

    /// Sets the address clients reach the server at, once it is bound.
    public func setBaseURL(_ url: String) { baseURL = url }

    /// Answers one request.
    public func handle(_ request: EmulatorRequest) async -> EmulatorResponse {
        let response: EmulatorResponse
        if request.path.hasPrefix("/_emulator/") {
            return control(request)
        }
        if request.path.hasPrefix("/api/") {
            response = await api(request)
        } else {
            response = bootstrap(request)
        }
        record(request, response)
        return response
    }

    private func api(_ request: EmulatorRequest) async -> EmulatorResponse {
        if faults.latencyMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(faults.latencyMilliseconds))
        }
        if let limit = faults.rateLimit {
            let second = Int64(Date().timeIntervalSince1970)
            if rateWindow.second != second { rateWindow = (second, 0) }
            rateWindow.count += 1
            if rateWindow.count > limit {
                return .error(
                    APIError(
                        status: 429, code: "REQUEST_LIMIT_EXCEEDED",
                        message: "Too many requests: the limit is \(limit) per second", retryAfter: 1))
            }
        }
        if let fault = faults.paths.first(where: { $0.matches(method: request.method, path: request.path) }) {
            return fault.response
        }
        if faults.errorRate > 0 && Double.random(in: 0..<1, using: &faultRandom) < faults.errorRate {
            return .error(
                APIError(
                    status: 503, code: "TEMPORARILY_UNAVAILABLE", message: "The service is temporarily unavailable",
                    retryAfter: 1))
        }
        if faults.auditLogDenied, request.method == "POST", request.path == "/api/2.0/sql/statements",
            let statement = (try? request.jsonBody())?["statement"]?.stringValue,
            statement.lowercased().contains("system.access.audit")
        {
            return .json([
                "statement_id": .string(WorkspaceState.statementID()),
                "status": [
                    "state": "FAILED", "sql_state": "42501",
                    "error": [
                        "error_code": "PERMISSION_DENIED",
                        "message":
                            "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have USE SCHEMA on Schema 'system.access'.",
                    ],
                ],
            ])
        }
        let principal: String
        switch authenticate(request) {
        case .success(let p): principal = p
        case .failure(let error): return .error(error)
        }
        do {
            let now = ISOTime.nowMillis()
            let response = try state.route(request, principal: principal, now: now)
            state.recordAudit(request, principal: principal, response: response, now: now)
            if request.method != "GET" && response.status < 400 { persist() }
            return response
        } catch let error as APIError {
            return .error(error)
        } catch {
            return .error(APIError(status: 500, code: "INTERNAL_ERROR", message: "\(error)"))
        }
    }

    /// Checks the bearer token: any (or none) without `--token`, else the token or an unexpired OAuth token.
    func authenticate(_ request: EmulatorRequest) -> Result<String, APIError> {
        let header = request.headers["authorization"] ?? ""
        let bearer = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : nil
        if let management = request.headers["x-databricks-azure-sp-management-token"] {
            guard let expiry = managementTokens[management], expiry > Int64(Date().timeIntervalSince1970) else {
                return .failure(
                    APIError(
                        status: 401, code: "UNAUTHENTICATED",
                        message: "The Azure service management token is invalid or expired"))
            }
        }
        if let bearer, let expiry = state.oauthTokens[bearer] {
            if expiry > Int64(Date().timeIntervalSince1970) {
                return .success(tokenPrincipals[bearer] ?? configuration.clientID)
            }
            return .failure(
                APIError(status: 401, code: "UNAUTHENTICATED", message: "The OAuth access token has expired"))
        }
        guard let required = configuration.token else { return .success(Principal.defaultUser) }
        guard let bearer else {
            return .failure(
                APIError(
                    status: 401, code: "UNAUTHENTICATED",
                    message: "Credential was not sent or was of an unsupported type"))
        }
        guard bearer == required else {
            return .failure(APIError(status: 401, code: "UNAUTHENTICATED", message: "Invalid access token."))
        }
        return .success(Principal.defaultUser)
    }

    func record(_ request: EmulatorRequest, _ response: EmulatorResponse) {
        var entry: JSONObject = [
            "method": .string(request.method), "path": .string(request.path), "query": .string(request.rawQuery),
            "status": .int(Int64(response.status)),
        ]
        if request.method == "POST" && request.path == "/api/2.0/sql/statements",
            let statement = (try? request.jsonBody())?["statement"]
        {
            entry["statement"] = statement
        }
        requestLog.append(.object(entry))
        statusCounts[response.status, default: 0] += 1
    }

    func persist() {
        guard let path = configuration.statePath else { return }
        do {
            try StateFile.save(state, path: path)
        } catch {
            logger.error("could not write the state file \(path): \(error)")
        }
    }
}
