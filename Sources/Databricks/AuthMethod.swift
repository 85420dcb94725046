/// How requests are authorized: one of the Databricks SDKs' unified-auth methods Lakegate supports.
public enum AuthMethod: Sendable, Equatable {
    /// A personal access token sent as a bearer token (`pat`).
    case pat(token: SecretSource)
    /// OAuth machine-to-machine (`oauth-m2m`): client credentials exchanged at the workspace's OIDC token
    /// endpoint for short-lived access tokens.
    case oauthM2M(clientID: String, clientSecret: SecretSource)
    /// An Azure service principal with a client secret (`azure-client-secret`): Entra ID tokens for the Azure
    /// Databricks application.
    case azureClientSecret(AzureServicePrincipal)
    /// Workload identity federation (`file-oidc`, `env-oidc`): an OIDC ID token from another issuer (a
    /// Kubernetes service account, a CI system) exchanged at the workspace's token endpoint (RFC 8693).
    case oidcFederation(OIDCFederation)

    /// The SDK's name for the method: `pat`, `oauth-m2m`, `azure-client-secret`, `file-oidc`, `env-oidc`.
    public var name: String {
        switch self {
        case .pat: "pat"
        case .oauthM2M: "oauth-m2m"
        case .azureClientSecret: "azure-client-secret"
        case .oidcFederation(let federation): federation.idToken.authType
        }
    }
}

/// An Azure service principal signing in with a client secret.
public struct AzureServicePrincipal: Sendable, Equatable {
    /// The application (client) id.
    public var clientID: String
    public var clientSecret: SecretSource
    /// The Entra ID tenant; nil to learn it from the workspace's `/aad/auth` redirect, as the SDKs do.
    public var tenantID: String?
    /// Where tokens come from and what they are for.
    public var environment: AzureEnvironment
    /// `azure_workspace_resource_id`, sent as `X-Databricks-Azure-Workspace-Resource-Id` when set.
    public var workspaceResourceID: String?

    public init(
        clientID: String, clientSecret: SecretSource, tenantID: String?, environment: AzureEnvironment,
        workspaceResourceID: String? = nil
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tenantID = tenantID
        self.environment = environment
        self.workspaceResourceID = workspaceResourceID
    }
}

/// Workload identity federation: whose ID token is exchanged, and for which service principal.
public struct OIDCFederation: Sendable, Equatable {
    /// Where the ID token (the RFC 8693 subject token) comes from.
    public enum IDTokenSource: Sendable, Equatable {
        /// `oidc_token_filepath` (`DATABRICKS_OIDC_TOKEN_FILEPATH`): read again before every exchange.
        case file(String)
        /// `DATABRICKS_OIDC_TOKEN` or the variable `oidc_token_env` names, as read at start.
        case environment(variable: String, value: String)

        /// `file-oidc` or `env-oidc`.
        public var authType: String {
            switch self {
            case .file: "file-oidc"
            case .environment: "env-oidc"
            }
        }
    }

    /// The service principal's application id the federation policy belongs to; nil for account-wide
    /// federation.
    public var clientID: String?
    public var idToken: IDTokenSource

    public init(clientID: String?, idToken: IDTokenSource) {
        self.clientID = clientID
        self.idToken = idToken
    }
}
