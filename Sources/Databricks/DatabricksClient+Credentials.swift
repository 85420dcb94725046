import CurlHTTP
import Foundation
import Logging

extension DatabricksClient {
    /// What signs requests: a bearer token (from the configuration or a file read before each request), or
    /// token sources that fetch and refresh access tokens.
    enum Credentials: Sendable {
        case bearer(SecretReader)
        /// The workspace token source; for Azure, the management token source and the workspace resource id.
        case oauth(OAuthTokenSource, management: OAuthTokenSource?, workspaceResourceID: String?)

        init(
            _ method: AuthMethod, host: String, discoveryURL: String?, transport: any HTTPTransport,
            retry: RetryPolicy, logger: Logger
        ) {
            func source(_ grant: OAuthTokenSource.Grant) -> OAuthTokenSource {
                OAuthTokenSource(
                    host: host, methodName: method.name, grant: grant, discoveryURL: discoveryURL,
                    transport: transport, retry: retry, logger: logger)
            }
            switch method {
            case .pat(let token):
                self = .bearer(SecretReader(token, label: "token file"))
            case .oauthM2M(let clientID, let secret):
                let grant = OAuthTokenSource.Grant.clientCredentials(
                    clientID: clientID, secret: SecretReader(secret, label: "client secret file"))
                self = .oauth(source(grant), management: nil, workspaceResourceID: nil)
            case .azureClientSecret(let principal):
                // As the SDKs do: a token for the Azure Databricks application signs requests, and a service
                // management token rides along so a service principal that is not yet a workspace user can be
                // provisioned. Both come from one secret, read by each source.
                let tenant = AzureTenant(
                    tenantID: principal.tenantID, loginEndpoint: principal.environment.loginEndpoint)
                func entra(_ resource: String) -> OAuthTokenSource.Grant {
                    .entra(
                        clientID: principal.clientID,
                        secret: SecretReader(principal.clientSecret, label: "Azure client secret file"), tenant: tenant,
                        resource: resource)
                }
                self = .oauth(
                    source(entra(principal.environment.databricksApplicationID)),
                    management: source(entra(principal.environment.managementEndpoint)),
                    workspaceResourceID: principal.workspaceResourceID)
            case .oidcFederation(let federation):
                let subject: SecretSource
                switch federation.idToken {
                case .file(let path): subject = .file(path)
                case .environment(_, let value): subject = .value(value)
                }
                let grant = OAuthTokenSource.Grant.tokenExchange(
                    clientID: federation.clientID, subjectToken: SecretReader(subject, label: "File"))
                self = .oauth(source(grant), management: nil, workspaceResourceID: nil)
            }
        }

        /// Requests the token sources made.
        var requestCount: Int {
            get async {
                guard case .oauth(let source, let management, _) = self else { return 0 }
                return await source.requestCount + (await management?.requestCount ?? 0)
            }
        }

        /// Drops cached tokens after a 401; true when a retry may help (a token could be refreshed or re-read).
        func invalidate(sent: String) async -> Bool {
            switch self {
            case .bearer(let reader):
                // A token file rewritten since the request was signed: retry with the new token.
                return (try? reader.read().value).map { "Bearer \($0)" != sent } ?? false
            case .oauth(let source, let management, _):
                await source.invalidate()
                await management?.invalidate()
                return true
            }
        }

        /// The headers that authorize one request; a secret file that cannot be read is an unauthenticated
        /// error naming the method and the file.
        func headers(method: String, path: String, authType: String, redactor: Redactor) async throws -> [(
            name: String, value: String
        )] {
            do {
                switch self {
                case .bearer(let reader):
                    let token = try reader.read().value
                    redactor.register(token)
                    return [("Authorization", "Bearer \(token)")]
                case .oauth(let source, let management, let resourceID):
                    var headers = [("Authorization", "Bearer \(try await source.accessToken())")]
                    if let resourceID { headers.append(("X-Databricks-Azure-Workspace-Resource-Id", resourceID)) }
                    if let management {
                        headers.append(("X-Databricks-Azure-SP-Management-Token", try await management.accessToken()))
                    }
                    return headers.map { (name: $0.0, value: $0.1) }
                }
            } catch let error as DatabricksConfigError {
                throw DatabricksError(
                    kind: .unauthenticated, message: "\(authType): \(error.message)", method: method, path: path)
            }
        }
    }
}
