import LakegateCore
import OperatorConfig
import Testing

/// The workspace credential forms of `lakegate.yaml` and the Databricks attributes each stands for.
@Suite struct WorkspaceCredentialsTests {
    static func config(_ credentials: String) -> String {
        """
        environments:
          dev:
            workspace:
              host: http://127.0.0.1:8000
              credentials:
        \(credentials.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            follows: branch
        products:
          - name: shop
            repo: file:///srv/git/shop.git
        """
    }

    static func credentials(_ text: String) throws -> OperatorConfig.WorkspaceCredentials {
        try #require(try OperatorConfig.parse(config(text), path: "lakegate.yaml").environment("dev")).workspace
            .credentials
    }

    static func messages(_ text: String) -> [String] {
        do {
            _ = try OperatorConfig.parse(config(text), path: "lakegate.yaml")
            Issue.record("expected diagnostics")
            return []
        } catch let error as DiagnosticList {
            return error.diagnostics.map { "\($0)" }
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    let env = ["ID": "sp-1", "SECRET": "s3cret-value"]
    func variable(_ name: String) throws -> String {
        guard let value = env[name] else { throw TestError() }
        return value
    }
    struct TestError: Error {}

    @Test func eachMethodMapsToTheSDKAttributes() throws {
        let fileSecret = try Self.credentials("clientIdEnv: ID\nclientSecretFile: /var/run/secrets/cs")
        #expect(fileSecret == .oauth(clientIDVariable: "ID", clientSecret: .file("/var/run/secrets/cs")))
        #expect(
            try fileSecret.databricksAttributes(variable: variable)
                == ["client_id": "sp-1", "client_secret_file": "/var/run/secrets/cs", "auth_type": "oauth-m2m"])

        let federation = try Self.credentials("clientIdEnv: ID\noidcTokenFile: /var/run/secrets/tokens/db")
        #expect(federation == .workloadIdentity(tokenFile: "/var/run/secrets/tokens/db", clientIDVariable: "ID"))
        #expect(
            try federation.databricksAttributes(variable: variable)
                == ["client_id": "sp-1", "oidc_token_filepath": "/var/run/secrets/tokens/db", "auth_type": "file-oidc"])

        let azure = try Self.credentials(
            "azureClientIdEnv: ID\nazureClientSecretEnv: SECRET\nazureTenantId: t-1\nazureLoginEndpoint: http://e/")
        #expect(
            try azure.databricksAttributes(variable: variable)
                == [
                    "azure_client_id": "sp-1", "azure_client_secret": "s3cret-value", "azure_tenant_id": "t-1",
                    "azure_login_endpoint": "http://e/", "auth_type": "azure-client-secret",
                ])

        let tokenFile = try Self.credentials("tokenFile: /var/run/secrets/pat")
        #expect(
            try tokenFile.databricksAttributes(variable: variable) == [
                "token_file": "/var/run/secrets/pat", "auth_type": "pat",
            ])
        #expect(try Self.credentials("profile: p").databricksAttributes(variable: variable) == nil)
    }

    @Test func anUnsetVariableIsAnError() throws {
        let azure = try Self.credentials("azureClientIdEnv: NOPE\nazureClientSecretFile: /s")
        #expect(throws: TestError.self) { try azure.databricksAttributes(variable: variable) }
    }

    @Test func mistakesAreReported() {
        #expect(
            Self.messages("tokenEnv: A\noidcTokenFile: /t\nclientIdEnv: ID").contains {
                $0.contains("give only one of")
            })
        #expect(Self.messages("oidcTokenFile: /t").contains { $0.contains("missing required key 'clientIdEnv'") })
        #expect(
            Self.messages("azureClientSecretEnv: S").contains { $0.contains("missing required key 'azureClientIdEnv'") }
        )
        #expect(Self.messages("clientIdEnv: ID").contains { $0.contains("give one of") })
        let inline = Self.messages("azureClientIdEnv: ID\nazureClientSecret: hunter2-secret")
        #expect(inline.contains { $0.contains("'azureClientSecret'") })
        #expect(!inline.contains { $0.contains("hunter2-secret") })
        #expect(
            Self.messages("azureClientIdEnv: ID\nazureClientSecretEnv: S\nazureLoginEndpoint: login.example")
                .contains { $0.contains("expected a URL") })
    }
}
