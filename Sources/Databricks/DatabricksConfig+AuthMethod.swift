import Foundation

extension DatabricksConfig {
    /// The methods Lakegate supports, in the order of the SDKs' default credential chain.
    public static let supportedAuthTypes = ["pat", "oauth-m2m", "env-oidc", "file-oidc", "azure-client-secret"]

    /// Methods of the SDKs' chain Lakegate does not implement: naming one is an error, never a fallback.
    static let unsupportedAuthTypes: Set<String> = [
        "basic", "metadata-service", "github-oidc", "github-oidc-azure", "azure-cli", "azure-devops-oidc",
        "external-browser", "databricks-cli", "runtime", "runtime-oauth", "google-credentials", "google-id",
        "model-serving",
    ]

    /// Where the SDKs' "cannot configure default credentials" message points.
    static let unifiedAuthDocs =
        "https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication"

    /// What one method of the chain makes of these values.
    enum Candidate {
        case method(AuthMethod)
        /// Its values are absent: the chain moves on silently.
        case notConfigured
        /// Configured but unusable (a missing file): the chain moves on, and the reason joins the final error.
        case unusable(String)
    }

    /// The authorization method these values select, as the SDKs' `DefaultCredentials` does: `auth_type` when
    /// set, otherwise the first method of the chain (pat, basic, oauth-m2m, env-oidc, file-oidc,
    /// azure-client-secret) whose values are present and usable. Files are read once here (the SDK reads the
    /// OIDC token file at start too), so a missing file fails now rather than at the first call.
    public func authMethod() throws -> AuthMethod {
        guard let host, !host.isEmpty else {
            throw DatabricksConfigError(
                "default auth: cannot configure default credentials: no host. Set DATABRICKS_HOST, --host or a profile"
            )
        }
        if let authType, Self.unsupportedAuthTypes.contains(authType) {
            throw DatabricksConfigError(
                wrapDebugInfo(
                    "default auth: auth_type \(authType) is not supported by Lakegate (supported: "
                        + Self.supportedAuthTypes.joined(separator: ", ") + ")"))
        }
        var reasons: [String] = []
        if let authType, !Self.supportedAuthTypes.contains(authType) {
            reasons.append("auth_type \(authType) is not a known method")
        }
        for name in ["pat", "basic"] + Self.supportedAuthTypes.dropFirst() where authType == nil || authType == name {
            switch try candidate(name) {
            case .method(let method): return method
            case .notConfigured:
                if authType == name { reasons.append("\(name): \(Self.requirements[name] ?? "") not set") }
            case .unusable(let reason): reasons.append("\(name): \(reason)")
            }
        }
        var message = wrapDebugInfo(
            "default auth: cannot configure default credentials, please check \(Self.unifiedAuthDocs) to configure "
                + "credentials for your preferred authentication method")
        if !reasons.isEmpty { message += ". Not usable: " + reasons.joined(separator: "; ") }
        throw DatabricksConfigError(message)
    }

    /// What each method needs, for the error when `auth_type` names it but its values are missing.
    static let requirements = [
        "pat": "token (or token_file)", "oauth-m2m": "client_id and client_secret (or client_secret_file)",
        "env-oidc": "the ID token variable (DATABRICKS_OIDC_TOKEN or the one oidc_token_env names)",
        "file-oidc": "oidc_token_filepath",
        "azure-client-secret": "azure_client_id and azure_client_secret (or azure_client_secret_file)",
    ]

    func candidate(_ name: String) throws -> Candidate {
        switch name {
        case "pat":
            guard let token = secret("token", file: "token_file", label: "token file") else { return .notConfigured }
            return token.map { .pat(token: $0) }
        case "basic":
            guard values["username"] != nil, values["password"] != nil else { return .notConfigured }
            throw DatabricksConfigError(
                wrapDebugInfo("default auth: basic: username and password sign-in is not supported by Lakegate"))
        case "oauth-m2m":
            guard let clientID,
                let secret = secret("client_secret", file: "client_secret_file", label: "client secret file")
            else { return .notConfigured }
            return secret.map { .oauthM2M(clientID: clientID, clientSecret: $0) }
        case "env-oidc":
            guard let token = environmentOIDCToken else { return .notConfigured }
            return .method(
                .oidcFederation(
                    OIDCFederation(
                        clientID: clientID, idToken: .environment(variable: token.variable, value: token.value))))
        case "file-oidc":
            guard let path = values["oidc_token_filepath"] else { return .notConfigured }
            do {
                _ = try SecretReader.readFile(path, label: "File")
            } catch {
                return .unusable(error.message)
            }
            return .method(.oidcFederation(OIDCFederation(clientID: clientID, idToken: .file(path))))
        case "azure-client-secret":
            guard let clientID = values["azure_client_id"],
                let secret = secret(
                    "azure_client_secret", file: "azure_client_secret_file", label: "Azure client secret file")
            else { return .notConfigured }
            return try secret.map { secret in
                .azureClientSecret(
                    AzureServicePrincipal(
                        clientID: clientID, clientSecret: secret, tenantID: values["azure_tenant_id"],
                        environment: try azureEnvironment(), workspaceResourceID: values["azure_workspace_resource_id"])
                )
            }
        default:
            return .notConfigured
        }
    }

    /// The Azure cloud: by the host's DNS zone, else `azure_environment`, else the public cloud; its login
    /// endpoint replaced by `azure_login_endpoint` when set (sovereign clouds, proxies, the emulator).
    func azureEnvironment() throws -> AzureEnvironment {
        var environment: AzureEnvironment
        if let fromHost = host.flatMap(AzureEnvironment.forHost) {
            environment = fromHost
        } else if let name = values["azure_environment"] {
            guard let named = AzureEnvironment.named(name) else {
                throw DatabricksConfigError(
                    "default auth: azure-client-secret: azure_environment \(name) is not one of PUBLIC, USGOVERNMENT, "
                        + "CHINA")
            }
            environment = named
        } else {
            environment = .public
        }
        if var endpoint = values["azure_login_endpoint"] {
            guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
                throw DatabricksConfigError(
                    "default auth: azure-client-secret: azure_login_endpoint must be a URL starting with https://")
            }
            if !endpoint.hasSuffix("/") { endpoint += "/" }
            environment.loginEndpoint = endpoint
        }
        return environment
    }

    /// A secret given as `value` or in the file `file` names: nil when neither is set; the file is read once to
    /// check it is usable.
    private func secret(_ value: String, file: String, label: String) -> SecretCandidate? {
        if let secret = values[value] { return .usable(.value(secret)) }
        guard let path = values[file] else { return nil }
        do {
            _ = try SecretReader.readFile(path, label: label)
            return .usable(.file(path))
        } catch {
            return .unusable(error.message)
        }
    }

    /// A secret that is there and readable, or why it is not.
    private enum SecretCandidate {
        case usable(SecretSource)
        case unusable(String)

        func map(_ body: (SecretSource) throws -> AuthMethod) rethrows -> Candidate {
            switch self {
            case .usable(let source): .method(try body(source))
            case .unusable(let reason): .unusable(reason)
            }
        }
    }
}
