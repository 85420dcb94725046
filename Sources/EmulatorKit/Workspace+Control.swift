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
                "grant_types_supported": ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            ])
        case ("POST", "/oidc/v1/token"):
            return issueToken(request)
        case ("GET", "/aad/auth"):
            return entraLoginRedirect()
        default:
            if request.method == "POST", let tenant = Self.entraTenant(inTokenPath: request.path) {
                return issueEntraToken(request, tenant: tenant)
            }
            return .error(.noEndpoint(request.method, request.path))
        }
    }
}
