import Foundation
import LakegateCore

/// What `lakegate workspace check` reports: where the workspace is, how Lakegate signs in, and as whom.
/// It never holds a secret.
public struct WorkspaceCheck: Sendable, Equatable {
    /// The workspace URL.
    public var host: String
    /// `pat`, `oauth-m2m`, `azure-client-secret`, `file-oidc` or `env-oidc`.
    public var authMethod: String
    /// Where the credentials came from (`env DATABRICKS_TOKEN`, `profile prod in ~/.databrickscfg`).
    public var credentialSource: String
    /// The identity the workspace sees: the SCIM user name when the workspace answers `Me`, else the OAuth
    /// client id or `personal access token`.
    public var identity: String
    /// How the identity was learned: `scim` or `configuration`.
    public var identitySource: String
    /// Whether an authenticated call succeeded.
    public var reachable: Bool
    /// HTTP requests the check made.
    public var requests: Int

    /// Runs the check: one unauthenticated bootstrap probe, then SCIM `Me` (or a warehouse listing when the
    /// workspace has no SCIM endpoint) to prove the credentials work.
    public static func run(client: DatabricksClient) async throws -> WorkspaceCheck {
        let config = client.config
        let source: String
        var identity: String
        switch client.authMethod {
        case .pat:
            source = config.sources["token"] ?? config.sources["token_file"] ?? "explicit"
            identity = "personal access token"
        case .oauthM2M(let clientID, _):
            source = config.sources["client_id"] ?? "explicit"
            identity = "service principal \(clientID)"
        case .azureClientSecret(let principal):
            source = config.sources["azure_client_id"] ?? "explicit"
            identity = "Azure service principal \(principal.clientID)"
        case .oidcFederation(let federation):
            switch federation.idToken {
            case .file: source = config.sources["oidc_token_filepath"] ?? "explicit"
            case .environment(let variable, _): source = "env \(variable)"
            }
            identity = federation.clientID.map { "service principal \($0) (federated)" } ?? "account-wide federation"
        }
        var identitySource = "configuration"
        do {
            let me = try await client.currentUser()
            if let name = me["userName"]?.stringValue ?? me["displayName"]?.stringValue {
                identity = name
                identitySource = "scim"
            }
        } catch let error as DatabricksError where error.kind == .notFound || error.kind == .notImplemented {
            // No SCIM here (the emulator): prove the credentials with a cheap authenticated list instead.
            _ = try await client.call("GET", "/api/2.0/sql/warehouses", query: [("page_size", "1")])
        }
        return WorkspaceCheck(
            host: client.host, authMethod: client.authMethod.name, credentialSource: source, identity: identity,
            identitySource: identitySource, reachable: true, requests: await client.requestCount())
    }

    /// The report as text lines, for people.
    public var text: String {
        """
        host:       \(host)
        reachable:  \(reachable ? "yes" : "no")
        auth:       \(authMethod) (from \(credentialSource))
        identity:   \(identity) (from \(identitySource))
        """
    }

    /// The report as JSON.
    public var jsonValue: JSONValue {
        [
            "host": .string(host), "reachable": .bool(reachable), "auth_method": .string(authMethod),
            "credential_source": .string(credentialSource), "identity": .string(identity),
            "identity_source": .string(identitySource),
        ]
    }
}
