import CurlHTTP
import Databricks
import Foundation
import LakegateCore
import Logging
import TestSupport
import Testing

/// Each unified-auth method against `lakegate-emulator` over HTTP: secrets from files re-read when they change,
/// Azure service principals at the emulated Entra ID, workload identity federation, and the unhappy paths.
@Suite struct CredentialsEndToEndTests {
    static let apiToken = "dapi-e2e-required-token"

    /// An emulator that requires authentication on API calls, and a scratch directory.
    struct Setup {
        let emulator: EmulatorProcess
        let dir: TemporaryDirectory
        var host: String { emulator.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        func path(_ name: String) -> String { dir.url.appendingPathComponent(name).path }
        func stop() {
            emulator.stop()
            dir.remove()
        }
    }

    func setUp(_ arguments: [String] = []) throws -> Setup {
        Setup(
            emulator: try EmulatorProcess.start(arguments: ["--token", Self.apiToken] + arguments),
            dir: try TemporaryDirectory(prefix: "lakegate-creds"))
    }

    /// Writes `text` the way Kubernetes rotates a mounted Secret: a new file renamed over the old one.
    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func client(_ values: [String: String]) throws -> DatabricksClient {
        let config = try DatabricksConfig.resolve(explicit: values, environment: [:], homeDirectory: "/nonexistent")
        return try DatabricksClient(
            config: config, retryPolicy: RetryPolicy(budget: 5, maxJitter: 0.01), logger: Logger(label: "test"))
    }

    @Test func tokenFileIsReadAgainWhenRotated() async throws {
        let setup = try setUp()
        defer { setup.stop() }
        let file = setup.path("token")
        try write("dapi-old-revoked-token\n", to: file)
        let client = try client(["host": setup.host, "token_file": file])
        #expect(client.authMethod == .pat(token: .file(file)))
        await #expect(throws: DatabricksError.self) { try await client.listWarehouses() }
        try write(Self.apiToken + "\n", to: file)
        _ = try await client.listWarehouses()
        try FileManager.default.removeItem(atPath: file)
        do {
            _ = try await client.listWarehouses()
            Issue.record("a removed token file must fail")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            #expect("\(error)".contains("pat: token file '\(file)' does not exist"))
        }
    }

    @Test func missingTokenFileFailsAtStart() throws {
        #expect(throws: DatabricksConfigError.self) {
            try client(["host": "http://127.0.0.1:9", "token_file": "/nonexistent/token", "auth_type": "pat"])
        }
        do {
            _ = try client(["host": "http://127.0.0.1:9", "token_file": "/nonexistent/token"])
        } catch {
            #expect("\(error)".hasPrefix("default auth: cannot configure default credentials, please check "))
            #expect("\(error)".hasSuffix("Not usable: pat: token file '/nonexistent/token' does not exist"))
        }
    }

    @Test func clientSecretFileRotationAndWrongSecret() async throws {
        let setup = try setUp()
        defer { setup.stop() }
        let file = setup.path("client-secret")
        let wrong = "wrong-secret-value-42"
        try write(wrong, to: file)
        let client = try client([
            "host": setup.host, "client_id": "lakegate-emulator", "client_secret_file": file,
        ])
        do {
            _ = try await client.listWarehouses()
            Issue.record("a wrong client secret must fail")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            let text = "\(error)"
            #expect(
                text.contains("oauth-m2m: token request to \(setup.host)/oidc/v1/token for client lakegate-emulator"))
            #expect(text.contains("invalid_client"))
            #expect(!text.contains(wrong))
        }
        try write("lakegate-emulator-secret", to: file)
        _ = try await client.listWarehouses()
    }

    @Test func azureServicePrincipalWithTenantDiscovery() async throws {
        let setup = try setUp()
        defer { setup.stop() }
        let client = try client([
            "host": setup.host, "azure_client_id": "lakegate-emulator-azure-sp",
            "azure_client_secret": "lakegate-emulator-azure-secret", "azure_login_endpoint": setup.host + "/",
        ])
        #expect(client.authMethod.name == "azure-client-secret")
        _ = try await client.listWarehouses()
        let paths = try await client.call("GET", "/_emulator/requests")["requests"]?.arrayValue?.compactMap {
            $0["path"]?.stringValue
        }
        #expect(paths?.contains("/aad/auth") == true)
        #expect(paths?.contains("/lakegate-emulator-tenant/oauth2/token") == true)
    }

    @Test func azureWrongTenantAndWrongSecretAreAuthenticationErrors() async throws {
        let setup = try setUp()
        defer { setup.stop() }
        let base = [
            "host": setup.host, "azure_client_id": "lakegate-emulator-azure-sp", "azure_login_endpoint": setup.host,
        ]
        let wrongTenant = try client(
            base.merging(["azure_tenant_id": "other-tenant", "azure_client_secret": "lakegate-emulator-azure-secret"]) {
                $1
            })
        do {
            _ = try await wrongTenant.listWarehouses()
            Issue.record("a wrong tenant must fail")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            #expect(
                "\(error)".contains("azure-client-secret: token request to \(setup.host)/other-tenant/oauth2/token"))
            #expect("\(error)".contains("AADSTS90002"))
        }
        let secretFile = setup.path("azure-secret")
        try write("not-the-azure-secret", to: secretFile)
        let wrongSecret = try client(base.merging(["azure_client_secret_file": secretFile]) { $1 })
        do {
            _ = try await wrongSecret.listWarehouses()
            Issue.record("a wrong secret must fail")
        } catch let error as DatabricksError {
            #expect("\(error)".contains("AADSTS7000215"))
            #expect(!"\(error)".contains("not-the-azure-secret"))
        }
        try write("lakegate-emulator-azure-secret", to: secretFile)
        _ = try await wrongSecret.listWarehouses()
    }

    @Test func workloadIdentityFederationExchangesTheFileToken() async throws {
        let serverFile = try TemporaryDirectory(prefix: "lakegate-fed")
        defer { serverFile.remove() }
        let accepted = serverFile.url.appendingPathComponent("accepted").path
        try write("k8s-sa-token-v1", to: accepted)
        let setup = try setUp(["--federation-token-file", accepted])
        defer { setup.stop() }
        let file = setup.path("sa-token")
        try write("k8s-sa-token-v1", to: file)
        let client = try client([
            "host": setup.host, "client_id": "lakegate-emulator", "oidc_token_filepath": file,
            "auth_type": "file-oidc",
        ])
        #expect(client.authMethod.name == "file-oidc")
        _ = try await client.listWarehouses()
        // Rotation on both sides: the client re-reads its file and exchanges again.
        try write("k8s-sa-token-v2", to: accepted)
        try write("k8s-sa-token-v2", to: file)
        _ = try await client.listWarehouses()
        // A token the policy does not accept (stale, or from another issuer) fails closed.
        try write("k8s-sa-token-stale", to: file)
        do {
            _ = try await client.listWarehouses()
            Issue.record("a token the federation policy does not accept must fail")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            #expect("\(error)".contains("file-oidc: token request to \(setup.host)/oidc/v1/token"))
            #expect(!"\(error)".contains("k8s-sa-token-stale"))
        }
    }

    @Test func envOIDCReadsTheTokenFromTheEnvironment() async throws {
        let setup = try setUp(["--federation-token", "ci-id-token-1"])
        defer { setup.stop() }
        let config = try DatabricksConfig.resolve(
            environment: [
                "DATABRICKS_HOST": setup.host, "DATABRICKS_CLIENT_ID": "lakegate-emulator",
                "DATABRICKS_OIDC_TOKEN": "ci-id-token-1",
            ], homeDirectory: "/nonexistent")
        let client = try DatabricksClient(config: config, logger: Logger(label: "test"))
        #expect(client.authMethod.name == "env-oidc")
        #expect(config.secrets.contains("ci-id-token-1"))
        _ = try await client.listWarehouses()
    }

    @Test func expiredJWTIsRefused() async throws {
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let expired =
            part(#"{"alg":"RS256"}"#) + "." + part(#"{"sub":"system:serviceaccount:x:y","exp":1000}"#) + ".sig"
        let setup = try setUp(["--federation-token", expired])
        defer { setup.stop() }
        let file = setup.path("sa-token")
        try write(expired, to: file)
        let client = try client([
            "host": setup.host, "client_id": "lakegate-emulator", "oidc_token_filepath": file,
            "auth_type": "file-oidc",
        ])
        do {
            _ = try await client.listWarehouses()
            Issue.record("an expired ID token must fail")
        } catch let error as DatabricksError {
            #expect("\(error)".contains("invalid_grant: The subject token has expired"))
        }
    }

    @Test func missingOIDCFileIsTheSDKError() throws {
        do {
            _ = try client([
                "host": "http://127.0.0.1:9", "oidc_token_filepath": "/nonexistent/t", "auth_type": "file-oidc",
            ])
            Issue.record("expected an error")
        } catch {
            let expected: String =
                "default auth: cannot configure default credentials, please check "
                + "https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication to "
                + "configure credentials for your preferred authentication method. Config: host=http://127.0.0.1:9, "
                + "oidc_token_filepath=/nonexistent/t, auth_type=file-oidc. Not usable: file-oidc: File "
                + "'/nonexistent/t' does not exist"
            #expect("\(error)" == expected)
        }
        // Without auth_type, a client id and an OIDC file are two methods, as in the SDK.
        #expect(throws: DatabricksConfigError.self) {
            try client(["host": "http://127.0.0.1:9", "oidc_token_filepath": "/x", "client_id": "c"])
        }
    }

    @Test func unsupportedAuthTypeIsNamed() throws {
        do {
            _ = try client(["host": "http://127.0.0.1:9", "auth_type": "azure-cli"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("auth_type azure-cli is not supported by Lakegate"))
        }
    }

    @Test func homeIsHonoured() throws {
        let dir = try TemporaryDirectory(prefix: "lakegate-home")
        defer { dir.remove() }
        try "[DEFAULT]\nhost = from-home.example.com\ntoken = t\n".write(
            to: dir.url.appendingPathComponent(".databrickscfg"), atomically: true, encoding: .utf8)
        let config = try DatabricksConfig.resolve(environment: ["HOME": dir.path])
        #expect(config.host == "https://from-home.example.com")
        let tilde = try DatabricksConfig.resolve(
            environment: ["HOME": dir.path, "DATABRICKS_CONFIG_FILE": "~/.databrickscfg"])
        #expect(tilde.host == "https://from-home.example.com")
    }
}
