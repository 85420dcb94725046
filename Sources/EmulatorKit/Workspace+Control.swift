import Foundation
import LakegateCore

extension Workspace {
    /// `/_emulator/*`: the request log, reset, stats and run-time faults. Not logged themselves.
    func control(_ request: EmulatorRequest) -> EmulatorResponse {
        switch (request.method, request.path) {
        case ("GET", "/_emulator/requests"):
            return .json(["requests": .array(requestLog)])
        case ("POST", "/_emulator/reset"):
            state = WorkspaceState(workspaceID: configuration.workspaceID)
            requestLog = []
            statusCounts = [:]
            faults = configuration.faults
            faultRandom = FaultRandom(seed: faults.seed)
            persist()
            return .json([:])
        case ("GET", "/_emulator/stats"):
            return .json(stats)
        case ("GET", "/_emulator/faults"):
            return .json(faults.json)
        case ("POST", "/_emulator/faults"):
            do {
                try faults.apply(try request.jsonBody())
                faultRandom = FaultRandom(seed: faults.seed)
                return .json(faults.json)
            } catch {
                return .error(error)
            }
        default:
            return .error(.noEndpoint(request.method, request.path))
        }
    }

    var stats: JSONValue {
        let objects: JSONObject = [
            "catalogs": .int(Int64(state.catalogs.count)), "schemas": .int(Int64(state.schemas.count)),
            "tables": .int(Int64(state.tables.count)), "volumes": .int(Int64(state.volumes.count)),
            "functions": .int(Int64(state.functions.count)), "shares": .int(Int64(state.shares.count)),
            "recipients": .int(Int64(state.recipients.count)), "quality_monitors": .int(Int64(state.monitors.count)),
            "jobs": .int(Int64(state.jobs.count)), "workspace_objects": .int(Int64(state.workspaceObjects.count)),
            "genie_spaces": .int(Int64(state.genieSpaces.count)), "warehouses": .int(Int64(state.warehouses.count)),
            "statements": .int(Int64(state.statements.count)),
        ]
        let byStatus = JSONObject(uniqueKeysWithValues: statusCounts.map { (String($0.key), .int(Int64($0.value))) })
        return [
            "requests": .int(Int64(requestLog.count)), "requests_by_status": .object(byStatus),
            "objects": .object(objects), "faults": faults.json,
            "uptime_seconds": .double((Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000),
        ]
    }

    /// The host metadata and OAuth endpoints the SDK reads before any API call.
    func bootstrap(_ request: EmulatorRequest) -> EmulatorResponse {
        switch (request.method, request.path) {
        case ("GET", "/.well-known/databricks-config"):
            return .json([
                "workspace_id": .string(state.workspaceID), "oidc_endpoint": .string("\(baseURL)/oidc"), "cloud": "aws",
            ])
        case ("GET", "/oidc/.well-known/oauth-authorization-server"):
            return .json([
                "issuer": .string("\(baseURL)/oidc"),
                "authorization_endpoint": .string("\(baseURL)/oidc/v1/authorize"),
                "token_endpoint": .string("\(baseURL)/oidc/v1/token"),
                "grant_types_supported": ["client_credentials"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            ])
        case ("POST", "/oidc/v1/token"):
            return issueToken(request)
        default:
            return .error(.noEndpoint(request.method, request.path))
        }
    }

    /// Client credentials grant: HTTP Basic (or form fields) with the configured client id and secret.
    func issueToken(_ request: EmulatorRequest) -> EmulatorResponse {
        let form = EmulatorRequest.parseQuery(String(decoding: request.body, as: UTF8.self))
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        {
            clientID = String(pair[..<colon])
            secret = String(pair[pair.index(after: colon)...])
        }
        guard form["grant_type"] == "client_credentials" else {
            return .json(
                ["error": "unsupported_grant_type", "error_description": "Only client_credentials is supported"],
                status: 400)
        }
        guard clientID == configuration.clientID, secret == configuration.clientSecret else {
            return .json(["error": "invalid_client", "error_description": "Client authentication failed"], status: 401)
        }
        let token = "lgoauth-" + Names.uuid().replacingOccurrences(of: "-", with: "")
        let now = Int64(Date().timeIntervalSince1970)
        state.oauthTokens = state.oauthTokens.filter { $0.value > now }
        state.oauthTokens[token] = now + Int64(configuration.tokenLifetimeSeconds)
        return .json([
            "access_token": .string(token), "token_type": "Bearer",
            "expires_in": .int(Int64(configuration.tokenLifetimeSeconds)),
            "scope": .string(form["scope"] ?? "all-apis"),
        ])
    }
}
