import Foundation

/// Workspace connection settings resolved the way the Databricks SDKs resolve them: explicit values first,
/// then environment variables, then a profile of `~/.databrickscfg` (or `DATABRICKS_CONFIG_FILE`); a later
/// source never overwrites a value an earlier one set.
public struct DatabricksConfig: Sendable, Equatable {
    /// One configuration attribute: its name (as in the profile file), its environment variable and the
    /// authorization method it belongs to.
    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var environmentVariable: String
        /// Older variable names read when ``environmentVariable`` is unset.
        public var environmentAliases: [String] = []
        public var authMethod: String?
        public var sensitive: Bool = false
        /// Read by Lakegate only; the SDKs ignore it.
        public var lakegateOnly: Bool = false
    }

    /// Every attribute Lakegate reads, in the SDK's order (Lakegate's own beside the SDK attribute they extend).
    public static let attributes: [Attribute] = [
        Attribute(name: "host", environmentVariable: "DATABRICKS_HOST"),
        Attribute(name: "discovery_url", environmentVariable: "DATABRICKS_DISCOVERY_URL"),
        Attribute(name: "token", environmentVariable: "DATABRICKS_TOKEN", authMethod: "pat", sensitive: true),
        Attribute(
            name: "token_file", environmentVariable: "DATABRICKS_TOKEN_FILE", authMethod: "pat", lakegateOnly: true),
        Attribute(name: "oidc_token_env", environmentVariable: "DATABRICKS_OIDC_TOKEN_ENV", authMethod: "env-oidc"),
        Attribute(
            name: "oidc_token_filepath", environmentVariable: "DATABRICKS_OIDC_TOKEN_FILEPATH",
            environmentAliases: ["DATABRICKS_OIDC_TOKEN_FILE"], authMethod: "file-oidc"),
        Attribute(name: "username", environmentVariable: "DATABRICKS_USERNAME", authMethod: "basic"),
        Attribute(name: "password", environmentVariable: "DATABRICKS_PASSWORD", authMethod: "basic", sensitive: true),
        Attribute(name: "client_id", environmentVariable: "DATABRICKS_CLIENT_ID", authMethod: "oauth"),
        Attribute(
            name: "client_secret", environmentVariable: "DATABRICKS_CLIENT_SECRET", authMethod: "oauth", sensitive: true
        ),
        Attribute(
            name: "client_secret_file", environmentVariable: "DATABRICKS_CLIENT_SECRET_FILE", authMethod: "oauth",
            lakegateOnly: true),
        Attribute(name: "profile", environmentVariable: "DATABRICKS_CONFIG_PROFILE"),
        Attribute(name: "config_file", environmentVariable: "DATABRICKS_CONFIG_FILE"),
        Attribute(
            name: "azure_workspace_resource_id", environmentVariable: "DATABRICKS_AZURE_RESOURCE_ID",
            authMethod: "azure"),
        Attribute(
            name: "azure_client_secret", environmentVariable: "ARM_CLIENT_SECRET", authMethod: "azure", sensitive: true),
        Attribute(
            name: "azure_client_secret_file", environmentVariable: "ARM_CLIENT_SECRET_FILE", authMethod: "azure",
            lakegateOnly: true),
        Attribute(name: "azure_client_id", environmentVariable: "ARM_CLIENT_ID", authMethod: "azure"),
        Attribute(name: "azure_tenant_id", environmentVariable: "ARM_TENANT_ID", authMethod: "azure"),
        Attribute(name: "azure_environment", environmentVariable: "ARM_ENVIRONMENT"),
        Attribute(
            name: "azure_login_endpoint", environmentVariable: "DATABRICKS_AZURE_LOGIN_ENDPOINT", lakegateOnly: true),
        Attribute(name: "auth_type", environmentVariable: "DATABRICKS_AUTH_TYPE"),
        Attribute(name: "warehouse_id", environmentVariable: "DATABRICKS_WAREHOUSE_ID"),
    ]

    /// Attribute values by name.
    public var values: [String: String]
    /// Where each value came from: `explicit`, `env DATABRICKS_HOST`, `profile DEFAULT in /home/me/.databrickscfg`.
    public var sources: [String: String]

    /// The environment variables of configuration attributes that were set (names only), for error messages
    /// as the SDK words them (`Env: DATABRICKS_HOST, DATABRICKS_TOKEN`).
    public var environmentVariablesSet: [String] = []
    /// The ID token `env-oidc` exchanges: `DATABRICKS_OIDC_TOKEN`, or the variable `oidc_token_env` names.
    public var environmentOIDCToken: EnvironmentValue?

    /// A value read from an environment variable, with the variable's name.
    public struct EnvironmentValue: Sendable, Equatable {
        public var variable: String
        public var value: String
    }

    public init(values: [String: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
        self.sources = self.values.mapValues { _ in "explicit" }
    }

    public var host: String? { values["host"] }
    public var token: String? { values["token"] }
    public var clientID: String? { values["client_id"] }
    public var clientSecret: String? { values["client_secret"] }
    public var profile: String? { values["profile"] }
    public var authType: String? { values["auth_type"] }
    public var warehouseID: String? { values["warehouse_id"] }
    public var discoveryURL: String? { values["discovery_url"] }

    /// Every secret value set (token, password, client secrets, the `env-oidc` ID token), for the log redactor.
    /// Secrets read from files are registered as they are read.
    public var secrets: [String] {
        Self.attributes.filter(\.sensitive).compactMap { values[$0.name] }
            + [environmentOIDCToken?.value].compactMap { $0 }
    }

    /// Resolves `explicit` values with `environment` and the profile file, then validates.
    ///
    /// - Parameter homeDirectory: where `.databrickscfg` is looked for when `DATABRICKS_CONFIG_FILE` is unset, and
    ///   what `~/` in it stands for; by default `$HOME` of `environment`, as the SDKs' `expanduser` does.
    public static func resolve(
        explicit: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil
    ) throws -> DatabricksConfig {
        var config = DatabricksConfig(values: explicit)
        for attribute in attributes {
            let variables = [attribute.environmentVariable] + attribute.environmentAliases
            guard let variable = variables.first(where: { !(environment[$0] ?? "").isEmpty }) else { continue }
            config.environmentVariablesSet.append(variable)
            if config.values[attribute.name] == nil {
                config.values[attribute.name] = environment[variable]
                config.sources[attribute.name] = "env \(variable)"
            }
        }
        let home = homeDirectory ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        try config.loadProfile(homeDirectory: home)
        config.normalizeHost()
        let variable = config.values["oidc_token_env"] ?? "DATABRICKS_OIDC_TOKEN"
        if let token = environment[variable], !token.isEmpty {
            config.environmentOIDCToken = EnvironmentValue(variable: variable, value: token)
        }
        try config.validate()
        return config
    }

    /// Whether any value of an authorization method is set.
    var isAnyAuthConfigured: Bool {
        Self.attributes.contains { $0.authMethod != nil && values[$0.name] != nil }
    }

    mutating func loadProfile(homeDirectory: String) throws {
        let explicitProfile = values["profile"]
        // As the SDK does: without a profile, a host or credential from kwargs/env means the file is not read.
        if explicitProfile == nil, isAnyAuthConfigured || values["host"] != nil { return }
        var path = values["config_file"] ?? (homeDirectory + "/.databrickscfg")
        if path.hasPrefix("~/") { path = homeDirectory + path.dropFirst() }
        guard let data = FileManager.default.contents(atPath: path) else {
            if let explicitProfile {
                throw DatabricksConfigError("resolve: \(path) does not exist. Cannot load profile \(explicitProfile)")
            }
            return
        }
        let file = try ConfigFile(parsing: String(decoding: data, as: UTF8.self), path: path)
        let name = explicitProfile ?? file.defaultProfile ?? "DEFAULT"
        guard let section = file.profile(name) else {
            if explicitProfile != nil || file.defaultProfile != nil {
                throw DatabricksConfigError("resolve: \(path) has no \(name) profile configured")
            }
            return
        }
        for attribute in Self.attributes where values[attribute.name] == nil {
            if let value = section[attribute.name], !value.isEmpty {
                values[attribute.name] = value
                sources[attribute.name] = "profile \(name) in \(path)"
            }
        }
        if values["profile"] == nil { sources["profile"] = "profile \(name) in \(path)" }
    }

    mutating func normalizeHost() {
        guard var host = values["host"] else { return }
        if !host.contains("://") { host = "https://" + host }
        while host.hasSuffix("/") { host.removeLast() }
        values["host"] = host
    }

    /// Throws the SDK's error when more than one authorization method is configured and no `auth_type` picks one,
    /// and Lakegate's when a secret is given both as a value and as a file.
    func validate() throws {
        for (value, file) in [
            ("token", "token_file"), ("client_secret", "client_secret_file"),
            ("azure_client_secret", "azure_client_secret_file"),
        ] where values[value] != nil && values[file] != nil {
            throw DatabricksConfigError(
                wrapDebugInfo("validate: both \(value) and \(file) are set; give the secret one way"))
        }
        if authType != nil { return }
        let methods = Set(
            Self.attributes.compactMap { attribute in
                values[attribute.name] != nil ? attribute.authMethod : nil
            })
        if methods.count > 1 {
            let names = methods.sorted().joined(separator: " and ")
            throw DatabricksConfigError(
                wrapDebugInfo("validate: more than one authorization method configured: \(names)"))
        }
    }

    /// `message` followed by the configured attributes (secrets as `***`) and the environment variables set, as
    /// the SDKs' `wrap_debug_info` words it.
    func wrapDebugInfo(_ message: String) -> String {
        var parts: [String] = []
        let used = Self.attributes.compactMap { attribute in
            values[attribute.name].map { "\(attribute.name)=\(attribute.sensitive ? "***" : $0)" }
        }
        if !used.isEmpty { parts.append("Config: " + used.joined(separator: ", ")) }
        if !environmentVariablesSet.isEmpty { parts.append("Env: " + environmentVariablesSet.joined(separator: ", ")) }
        guard !parts.isEmpty else { return message }
        var text = message
        while text.hasSuffix(".") { text.removeLast() }
        return text + ". " + parts.joined(separator: ". ")
    }
}
