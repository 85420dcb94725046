import Foundation

/// What `lakegate-emulator` was started with.
public struct EmulatorConfiguration: Sendable {
    /// The OAuth client id accepted by `POST /oidc/v1/token` unless configured otherwise.
    public static let defaultClientID = "lakegate-emulator"
    /// The OAuth client secret accepted by `POST /oidc/v1/token` unless configured otherwise.
    public static let defaultClientSecret = "lakegate-emulator-secret"

    /// The Entra ID tenant served at `/{tenant}/oauth2/token` unless configured otherwise.
    public static let defaultAzureTenantID = "lakegate-emulator-tenant"
    /// The Azure service principal accepted there unless configured otherwise.
    public static let defaultAzureClientID = "lakegate-emulator-azure-sp"
    public static let defaultAzureClientSecret = "lakegate-emulator-azure-secret"

    public var host: String
    public var port: Int
    /// The JSON state file, loaded on start and rewritten after every change; nil keeps state in memory.
    public var statePath: String?
    /// The personal access token required on API calls; nil accepts any token or none.
    public var token: String?
    public var clientID: String
    public var clientSecret: String
    /// How long an issued OAuth access token stays valid.
    public var tokenLifetimeSeconds: Int
    public var faults: FaultSettings
    public var workspaceID: String
    /// The Entra ID tenant the emulator answers for (the `/aad/auth` redirect names it).
    public var azureTenantID: String
    /// The Azure service principal (application id and client secret) Entra ID accepts.
    public var azureClientID: String
    public var azureClientSecret: String
    /// Workload identity federation: ID tokens accepted as `subject_token` of a token exchange at
    /// `/oidc/v1/token` for ``clientID``. Empty (and no file) means no federation policy.
    public var federationSubjectTokens: [String]
    /// A file holding an accepted ID token, read at every exchange, so a test can rotate it.
    public var federationSubjectTokenFile: String?

    public init(
        host: String = "127.0.0.1", port: Int = 0, statePath: String? = nil, token: String? = nil,
        clientID: String = Self.defaultClientID, clientSecret: String = Self.defaultClientSecret,
        tokenLifetimeSeconds: Int = 3600, faults: FaultSettings = FaultSettings(),
        workspaceID: String = "1234567890123456", azureTenantID: String = Self.defaultAzureTenantID,
        azureClientID: String = Self.defaultAzureClientID, azureClientSecret: String = Self.defaultAzureClientSecret,
        federationSubjectTokens: [String] = [], federationSubjectTokenFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.statePath = statePath
        self.token = token
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
        self.faults = faults
        self.workspaceID = workspaceID
        self.azureTenantID = azureTenantID
        self.azureClientID = azureClientID
        self.azureClientSecret = azureClientSecret
        self.federationSubjectTokens = federationSubjectTokens
        self.federationSubjectTokenFile = federationSubjectTokenFile
    }
}
