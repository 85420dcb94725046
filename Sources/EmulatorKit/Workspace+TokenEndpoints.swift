import Foundation
import LakegateCore

/// The token endpoints the Databricks SDKs' unified auth reaches: the workspace's `/oidc/v1/token` (OAuth M2M
/// client credentials and workload identity federation) and an Entra ID tenant (`/{tenant}/oauth2/token`, the
/// v1 endpoint the SDKs use for Azure service principals, with `/aad/auth` redirecting to it).
extension Workspace {
    static let tokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let jwtTokenType = "urn:ietf:params:oauth:token-type:jwt"

    /// `POST /oidc/v1/token`: client credentials (HTTP Basic or form fields) or an RFC 8693 token exchange.
    func issueToken(_ request: EmulatorRequest) -> EmulatorResponse {
        let form = EmulatorRequest.parseQuery(String(decoding: request.body, as: UTF8.self))
        var (clientID, secret) = (form["client_id"], form["client_secret"])
        if let basic = Self.basicCredentials(request) { (clientID, secret) = basic }
        switch form["grant_type"] {
        case "client_credentials"?:
            guard clientID == configuration.clientID, secret == configuration.clientSecret else {
                return .json(
                    ["error": "invalid_client", "error_description": "Client authentication failed"], status: 401)
            }
            return issue(principal: configuration.clientID, scope: form["scope"])
        case Self.tokenExchangeGrant?:
            return exchange(form, clientID: clientID)
        default:
            return .json(
                [
                    "error": "unsupported_grant_type",
                    "error_description": "Only client_credentials and token-exchange are supported",
                ], status: 400)
        }
    }

    /// Workload identity federation: the subject token must be one the federation policy accepts (a configured
    /// value, or the configured file's content as it is now) and not expired, for the configured client.
    func exchange(_ form: [String: String], clientID: String?) -> EmulatorResponse {
        func refuse(_ error: String, _ description: String, status: Int = 400) -> EmulatorResponse {
            .json(["error": .string(error), "error_description": .string(description)], status: status)
        }
        guard form["subject_token_type"] == Self.jwtTokenType else {
            return refuse("invalid_request", "subject_token_type must be \(Self.jwtTokenType)")
        }
        guard let subject = form["subject_token"], !subject.isEmpty else {
            return refuse("invalid_request", "subject_token is required")
        }
        guard let clientID else {
            return refuse("invalid_request", "client_id is required: account-wide federation is not emulated")
        }
        var accepted = configuration.federationSubjectTokens
        if let path = configuration.federationSubjectTokenFile,
            let data = FileManager.default.contents(atPath: path)
        {
            accepted.append(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard clientID == configuration.clientID, !accepted.isEmpty else {
            return refuse("invalid_client", "No federation policy for client \(clientID)", status: 401)
        }
        if let expiry = Self.jwtExpiry(subject), expiry <= Int64(Date().timeIntervalSince1970) {
            return refuse("invalid_grant", "The subject token has expired")
        }
        guard accepted.contains(subject) else {
            return refuse("invalid_grant", "The subject token does not match the federation policy of \(clientID)")
        }
        return issue(principal: clientID, scope: form["scope"])
    }

    /// An access token for `principal`, valid for the configured lifetime.
    func issue(principal: String, scope: String?) -> EmulatorResponse {
        let token = "lgoauth-" + Names.uuid().replacingOccurrences(of: "-", with: "")
        let now = Int64(Date().timeIntervalSince1970)
        state.oauthTokens = state.oauthTokens.filter { $0.value > now }
        tokenPrincipals = tokenPrincipals.filter { state.oauthTokens[$0.key] != nil }
        state.oauthTokens[token] = now + Int64(configuration.tokenLifetimeSeconds)
        tokenPrincipals[token] = principal
        return .json([
            "access_token": .string(token), "token_type": "Bearer",
            "expires_in": .int(Int64(configuration.tokenLifetimeSeconds)), "scope": .string(scope ?? "all-apis"),
        ])
    }

    /// `GET /aad/auth`: what an Azure Databricks workspace answers, a redirect to its tenant's login page; the
    /// SDKs read the tenant from it when none is configured.
    func entraLoginRedirect() -> EmulatorResponse {
        var response = EmulatorResponse.json([:], status: 302)
        response.headers["Location"] = "\(baseURL)/\(configuration.azureTenantID)/oauth2/authorize?response_type=code"
        return response
    }

    /// The tenant of `/{tenant}/oauth2/token`, or nil for any other path.
    static func entraTenant(inTokenPath path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count == 3, parts[1] == "oauth2", parts[2] == "token" else { return nil }
        return String(parts[0])
    }

    /// `POST /{tenant}/oauth2/token`: Entra ID client credentials for the Azure Databricks application (a token
    /// for API calls) or the service management endpoint (a token only for the management header). Errors
    /// carry Entra's `AADSTS` codes; `expires_in` is a string, as the v1 endpoint sends it.
    func issueEntraToken(_ request: EmulatorRequest, tenant: String) -> EmulatorResponse {
        let form = EmulatorRequest.parseQuery(String(decoding: request.body, as: UTF8.self))
        var (clientID, secret) = (form["client_id"], form["client_secret"])
        if let basic = Self.basicCredentials(request) { (clientID, secret) = basic }
        func refuse(_ error: String, _ description: String, status: Int = 400) -> EmulatorResponse {
            .json(["error": .string(error), "error_description": .string(description)], status: status)
        }
        guard tenant == configuration.azureTenantID else {
            return refuse("invalid_request", "AADSTS90002: Tenant '\(tenant)' not found.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return refuse("unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        }
        guard let clientID, clientID == configuration.azureClientID else {
            return refuse(
                "unauthorized_client",
                "AADSTS700016: Application with identifier '\(clientID ?? "")' was not found in the directory "
                    + "'\(tenant)'.")
        }
        guard secret == configuration.azureClientSecret else {
            return refuse(
                "invalid_client", "AADSTS7000215: Invalid client secret provided for app '\(clientID)'.", status: 401)
        }
        let resource = form["resource"] ?? ""
        let management = resource.hasPrefix("https://management.") || resource.hasPrefix("http")
        guard resource == Self.azureDatabricksApplicationID || management else {
            return refuse(
                "invalid_resource", "AADSTS500011: The resource principal named '\(resource)' was not found.")
        }
        let token = (management ? "lgmgmt-" : "lgentra-") + Names.uuid().replacingOccurrences(of: "-", with: "")
        let now = Int64(Date().timeIntervalSince1970)
        let expiry = now + Int64(configuration.tokenLifetimeSeconds)
        if management {
            managementTokens = managementTokens.filter { $0.value > now }
            managementTokens[token] = expiry
        } else {
            state.oauthTokens = state.oauthTokens.filter { $0.value > now }
            state.oauthTokens[token] = expiry
            tokenPrincipals[token] = clientID
        }
        return .json([
            "token_type": "Bearer", "expires_in": .string(String(configuration.tokenLifetimeSeconds)),
            "expires_on": .string(String(expiry)), "resource": .string(resource), "access_token": .string(token),
        ])
    }

    /// The Azure Databricks first-party application, the resource of workspace tokens.
    static let azureDatabricksApplicationID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"

    /// `client_id:secret` from an HTTP Basic `Authorization` header.
    static func basicCredentials(_ request: EmulatorRequest) -> (String?, String?)? {
        guard let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        return (String(pair[..<colon]), String(pair[pair.index(after: colon)...]))
    }

    /// The `exp` claim of a JWT (unverified: the emulator checks tokens by value), or nil when `token` is not a
    /// JWT or has none.
    static func jwtExpiry(_ token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload), let claims = try? JSONValue(parsing: data) else { return nil }
        return claims["exp"]?.intValue
    }
}
