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
        public var authMethod: String?
        public var sensitive: Bool
    }

    /// Every attribute Lakegate reads, in SDK order.
    public static let attributes: [Attribute] = [
        Attribute(name: "host", environmentVariable: "DATABRICKS_HOST", authMethod: nil, sensitive: false),
        Attribute(name: "token", environmentVariable: "DATABRICKS_TOKEN", authMethod: "pat", sensitive: true),
        Attribute(name: "username", environmentVariable: "DATABRICKS_USERNAME", authMethod: "basic", sensitive: false),
        Attribute(name: "password", environmentVariable: "DATABRICKS_PASSWORD", authMethod: "basic", sensitive: true),
        Attribute(
            name: "client_id", environmentVariable: "DATABRICKS_CLIENT_ID", authMethod: "oauth", sensitive: false),
        Attribute(
            name: "client_secret", environmentVariable: "DATABRICKS_CLIENT_SECRET", authMethod: "oauth",
            sensitive: true),
        Attribute(name: "profile", environmentVariable: "DATABRICKS_CONFIG_PROFILE", authMethod: nil, sensitive: false),
        Attribute(
            name: "config_file", environmentVariable: "DATABRICKS_CONFIG_FILE", authMethod: nil, sensitive: false),
        Attribute(name: "auth_type", environmentVariable: "DATABRICKS_AUTH_TYPE", authMethod: nil, sensitive: false),
        Attribute(
            name: "warehouse_id", environmentVariable: "DATABRICKS_WAREHOUSE_ID", authMethod: nil, sensitive: false),
        Attribute(
            name: "discovery_url", environmentVariable: "DATABRICKS_DISCOVERY_URL", authMethod: nil, sensitive: false),
    ]

    /// Attribute values by name.
    public var values: [String: String]
    /// Where each value came from: `explicit`, `env DATABRICKS_HOST`, `profile DEFAULT in /home/me/.databrickscfg`.
    public var sources: [String: String]

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

    /// Every secret value set (token, password, client secret), for the log redactor.
    public var secrets: [String] {
        Self.attributes.filter(\.sensitive).compactMap { values[$0.name] }
    }

    /// Resolves `explicit` values with `environment` and the profile file, then validates.
    ///
    /// - Parameter homeDirectory: where `.databrickscfg` is looked for when `DATABRICKS_CONFIG_FILE` is unset.
    public static func resolve(
        explicit: [String: String] = [:], environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory()
    ) throws -> DatabricksConfig {
        var config = DatabricksConfig(values: explicit)
        for attribute in attributes where config.values[attribute.name] == nil {
            if let value = environment[attribute.environmentVariable], !value.isEmpty {
                config.values[attribute.name] = value
                config.sources[attribute.name] = "env \(attribute.environmentVariable)"
            }
        }
        try config.loadProfile(homeDirectory: homeDirectory)
        config.normalizeHost()
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

    /// Throws the SDK's error when more than one authorization method is configured and no `auth_type` picks one.
    func validate() throws {
        if authType != nil { return }
        let methods = Set(
            Self.attributes.compactMap { attribute in
                values[attribute.name] != nil ? attribute.authMethod : nil
            })
        if methods.count > 1 {
            let names = methods.sorted().joined(separator: " and ")
            throw DatabricksConfigError("validate: more than one authorization method configured: \(names)")
        }
    }

    /// The authorization method these values select: `auth_type` when set, otherwise the first in the SDK's
    /// credential chain (pat before oauth-m2m) whose values are present.
    public func authMethod() throws -> AuthMethod {
        guard let host, !host.isEmpty else {
            throw DatabricksConfigError(
                "default auth: cannot configure default credentials: no host. Set DATABRICKS_HOST, --host or a profile"
            )
        }
        _ = host
        switch authType {
        case "pat"?:
            guard let token else { throw DatabricksConfigError("auth_type pat: no token configured") }
            return .pat(token: token)
        case "oauth-m2m"?:
            guard let clientID, let clientSecret else {
                throw DatabricksConfigError("auth_type oauth-m2m: client_id and client_secret are both required")
            }
            return .oauthM2M(clientID: clientID, clientSecret: clientSecret)
        case let other?:
            throw DatabricksConfigError("auth_type \(other) is not supported (use pat or oauth-m2m)")
        case nil:
            if let token { return .pat(token: token) }
            if let clientID, let clientSecret { return .oauthM2M(clientID: clientID, clientSecret: clientSecret) }
            throw DatabricksConfigError(
                "default auth: cannot configure default credentials: set DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID "
                    + "and DATABRICKS_CLIENT_SECRET, or a profile in ~/.databrickscfg")
        }
    }
}

/// How requests are authorized.
public enum AuthMethod: Sendable, Equatable {
    /// A personal access token sent as a bearer token.
    case pat(token: String)
    /// OAuth machine-to-machine: client credentials exchanged for short-lived access tokens.
    case oauthM2M(clientID: String, clientSecret: String)

    /// The SDK's name for the method (`pat`, `oauth-m2m`).
    public var name: String {
        switch self {
        case .pat: "pat"
        case .oauthM2M: "oauth-m2m"
        }
    }
}
