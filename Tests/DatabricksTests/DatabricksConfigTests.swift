import Databricks
import Foundation
import TestSupport
import Testing

@Suite struct DatabricksConfigTests {
    func withProfileFile(_ text: String, _ body: (String) throws -> Void) throws {
        let dir = try TemporaryDirectory(prefix: "lakegate-cfg")
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("databrickscfg").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try body(path)
    }

    @Test func parsesSectionsCommentsAndDefaults() throws {
        let file = try ConfigFile(
            parsing: """
                # comment
                [DEFAULT]
                host = https://default.example.com
                ; other comment
                [prod]
                Client_ID = sp-123
                client_secret: s3cret
                [__settings__]
                default_profile = prod
                """, path: "cfg")
        #expect(file.sectionOrder == ["DEFAULT", "prod", "__settings__"])
        #expect(file.profile("prod")?["client_id"] == "sp-123")
        #expect(file.profile("prod")?["client_secret"] == "s3cret")
        #expect(file.profile("prod")?["host"] == "https://default.example.com")
        #expect(file.defaultProfile == "prod")
        #expect(file.profile("missing") == nil)
    }

    @Test func malformedFileNamesPathAndLine() {
        #expect(
            throws: DatabricksConfigError(
                "cfg:2:1: expected 'key = value' (the line has no '=' or ':'; it is not shown, as it may hold a secret)"
            )
        ) {
            try ConfigFile(parsing: "[a]\noops\n", path: "cfg")
        }
        #expect(throws: DatabricksConfigError("cfg:1:1: a 'key = value' line appears before any [section] header")) {
            try ConfigFile(parsing: "host = x\n", path: "cfg")
        }
    }

    @Test("a malformed line never echoes what it holds: a token pasted without its key stays out of the error")
    func malformedLineNeverEchoesASecret() {
        let secret = "dapi0123456789abcdef0123456789abcdef"
        for text in [
            "[prod]\nhost = https://x.example.com\n\(secret)\n", "\(secret)\n[prod]\n", "[prod\(secret)\n",
            "[prod]\ntoken \(secret)\n",
        ] {
            do {
                _ = try ConfigFile(parsing: text, path: "/home/u/.databrickscfg")
                Issue.record("expected an error for \(text.count) characters of input")
            } catch {
                #expect(!"\(error)".contains(secret))
                #expect("\(error)".hasPrefix("/home/u/.databrickscfg:"))
            }
        }
    }

    @Test func explicitBeatsEnvironmentBeatsProfile() throws {
        try withProfileFile("[DEFAULT]\nhost = file.example.com\ntoken = file-token\n") { path in
            let env = ["DATABRICKS_HOST": "env.example.com", "DATABRICKS_CONFIG_FILE": path]
            let config = try DatabricksConfig.resolve(
                explicit: ["host": "https://explicit.example.com/"], environment: env, homeDirectory: "/nonexistent")
            #expect(config.host == "https://explicit.example.com")
            #expect(config.sources["host"] == "explicit")
            // A host from explicit/env and no profile: the file is not read, as in the SDK.
            #expect(config.token == nil)
        }
    }

    @Test func profileFromEnvironmentFillsWhatIsMissing() throws {
        try withProfileFile("[DEFAULT]\nhost = file.example.com\n[dev]\ntoken = dapi-dev\n") { path in
            let env = ["DATABRICKS_CONFIG_FILE": path, "DATABRICKS_CONFIG_PROFILE": "dev"]
            let config = try DatabricksConfig.resolve(environment: env, homeDirectory: "/nonexistent")
            #expect(config.host == "https://file.example.com")
            #expect(config.token == "dapi-dev")
            #expect(config.sources["token"] == "profile dev in \(path)")
            #expect(try config.authMethod() == .pat(token: "dapi-dev"))
        }
    }

    @Test func defaultProfileAndSettingsDefault() throws {
        try withProfileFile("[DEFAULT]\nhost = h1\ntoken = t1\n") { path in
            let config = try DatabricksConfig.resolve(
                environment: ["DATABRICKS_CONFIG_FILE": path], homeDirectory: "/nonexistent")
            #expect(config.host == "https://h1")
        }
        try withProfileFile(
            "[a]\nhost = ha\ntoken = ta\n[b]\nhost = hb\ntoken = tb\n[__settings__]\ndefault_profile = b\n"
        ) { path in
            let config = try DatabricksConfig.resolve(
                environment: ["DATABRICKS_CONFIG_FILE": path], homeDirectory: "/nonexistent")
            #expect(config.host == "https://hb")
        }
    }

    @Test func homeDirectoryFileIsUsedWithoutEnvironment() throws {
        let dir = try TemporaryDirectory(prefix: "lakegate-home")
        defer { dir.remove() }
        try "[DEFAULT]\nhost = home.example.com\ntoken = t\n".write(
            to: dir.url.appendingPathComponent(".databrickscfg"), atomically: true, encoding: .utf8)
        let config = try DatabricksConfig.resolve(environment: [:], homeDirectory: dir.path)
        #expect(config.host == "https://home.example.com")
    }

    @Test func twoAuthMethodsIsTheSDKError() throws {
        try withProfileFile("[sp]\nhost = h\nclient_id = id\nclient_secret = secret\n") { path in
            let env = ["DATABRICKS_TOKEN": "dapi-x", "DATABRICKS_CONFIG_FILE": path, "DATABRICKS_CONFIG_PROFILE": "sp"]
            #expect(
                throws: DatabricksConfigError(
                    "validate: more than one authorization method configured: oauth and pat. Config: host=https://h, "
                        + "token=***, client_id=id, client_secret=***, profile=sp, config_file=\(path). "
                        + "Env: DATABRICKS_TOKEN, DATABRICKS_CONFIG_PROFILE, DATABRICKS_CONFIG_FILE")
            ) {
                try DatabricksConfig.resolve(environment: env, homeDirectory: "/nonexistent")
            }
            // auth_type picks one and resolves the conflict.
            let config = try DatabricksConfig.resolve(
                environment: env.merging(["DATABRICKS_AUTH_TYPE": "oauth-m2m"]) { a, _ in a },
                homeDirectory: "/nonexistent")
            #expect(try config.authMethod() == .oauthM2M(clientID: "id", clientSecret: "secret"))
        }
    }

    @Test func missingProfileAndMissingFileAreErrors() throws {
        try withProfileFile("[a]\nhost = h\n") { path in
            #expect(throws: DatabricksConfigError("resolve: \(path) has no nope profile configured")) {
                try DatabricksConfig.resolve(
                    explicit: ["profile": "nope"], environment: ["DATABRICKS_CONFIG_FILE": path],
                    homeDirectory: "/nonexistent")
            }
        }
        #expect(
            throws: DatabricksConfigError("resolve: /nonexistent/.databrickscfg does not exist. Cannot load profile p")
        ) {
            try DatabricksConfig.resolve(explicit: ["profile": "p"], environment: [:], homeDirectory: "/nonexistent")
        }
    }

    @Test func noCredentialsIsAClearError() throws {
        let config = try DatabricksConfig.resolve(
            explicit: ["host": "h"], environment: [:], homeDirectory: "/nonexistent")
        #expect(throws: DatabricksConfigError.self) { try config.authMethod() }
        #expect(config.secrets.isEmpty)
    }
}
