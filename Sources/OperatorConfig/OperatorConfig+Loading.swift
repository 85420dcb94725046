import Descriptors
import Foundation
import LakegateCore

extension OperatorConfig {
    /// Loads and validates `lakegate.yaml` at `path`; without a `stateDir` in the file, `$LAKEGATE_STATE_DIR` of
    /// `environment` is the state directory, else `/var/lib/lakegate`.
    ///
    /// - Throws: ``DiagnosticList`` with every problem as `path:line:column: message`.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> OperatorConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path), "cannot read the file: \(error)")])
        }
        return try parse(text, path: path, environment: environment)
    }

    /// Parses and validates configuration text; `path` names the file in diagnostics. `$LAKEGATE_STATE_DIR` of
    /// `environment` is the state directory when the text sets none.
    public static func parse(_ text: String, path: String, environment: [String: String] = [:]) throws
        -> OperatorConfig
    {
        let root = try YAMLParser.parse(Data(text.utf8), path: path)
        var reader = ConfigReader(path: path)
        reader.stateDirFallback = environment["LAKEGATE_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let config = reader.readConfig(root)
        guard reader.diagnostics.isEmpty, let config else {
            throw DiagnosticList(reader.diagnostics)
        }
        return config
    }
}

extension ConfigReader {
    static let defaultStateDir = "/var/lib/lakegate"
    static let secretLikeKeys = ["token", "password", "secret", "clientSecret", "client_secret", "pat", "apiKey"]

    mutating func readConfig(_ root: YAMLNode) -> OperatorConfig? {
        let topLevel = [
            "version", "stateDir", "listen", "poll", "concurrency", "webhook", "governance", "environments",
            "products", "shutdownGracePeriod", "audit", "api", "logLevel", "notifications", "console",
        ]
        guard let top = fields(root, "", allowed: topLevel, required: ["environments", "products"]) else {
            return nil
        }
        if let node = top["version"], let version = int(node, "version"), version != 1 {
            report(node, "version", "unsupported version \(version); this lakegate reads version 1")
        }
        let stateDir = top["stateDir"].flatMap { string($0, "stateDir") } ?? stateDirFallback ?? Self.defaultStateDir
        let listen = top["listen"].flatMap { listenAddress($0, "listen") } ?? .init(host: "127.0.0.1", port: 8080)
        var poll = OperatorConfig.Poll(interval: .seconds(60), jitter: .seconds(10))
        if let node = top["poll"], let f = fields(node, "poll", allowed: ["interval", "jitter"]) {
            if let n = f["interval"], let d = duration(n, "poll.interval") {
                if d < .seconds(1) { report(n, "poll.interval", "must be at least 1s") } else { poll.interval = d }
            }
            if let n = f["jitter"], let d = duration(n, "poll.jitter") { poll.jitter = d }
        }
        var concurrency = 4
        if let node = top["concurrency"], let value = int(node, "concurrency") {
            if value < 1 { report(node, "concurrency", "must be at least 1") } else { concurrency = value }
        }
        var webhook: OperatorConfig.Webhook?
        if let node = top["webhook"],
            let f = fields(node, "webhook", allowed: ["secretEnv", "secretFile"] + Self.secretLikeKeys)
        {
            rejectInlineSecrets(f, hint: "secretEnv or secretFile")
            if let secret = secretReference(f, envKey: "secretEnv", fileKey: "secretFile", required: true) {
                webhook = .init(secret: secret)
            }
        }
        hasGovernance = top["governance"] != nil
        let governance = top["governance"].flatMap { self.governance($0) }
        let environments = top["environments"].flatMap { self.environments($0) } ?? []
        let products =
            top["products"].flatMap { self.products($0, environments: Self.declaredNames(top["environments"])) } ?? []
        var config = OperatorConfig(
            stateDir: stateDir, listen: listen, poll: poll, concurrency: concurrency, webhook: webhook,
            governance: governance, environments: environments, products: products,
            audit: top["audit"].flatMap { audit($0) }, api: top["api"].flatMap { api($0) },
            logLevel: top["logLevel"].flatMap { logLevel($0) } ?? "info")
        if let node = top["shutdownGracePeriod"], let grace = duration(node, "shutdownGracePeriod") {
            config.shutdownGracePeriod = grace
        }
        config.notifications = top["notifications"].flatMap {
            notifications($0, products: products.map(\.name), environments: Self.declaredNames(top["environments"]))
        }
        config.console = top["console"].flatMap { console($0) }
        return config
    }

    /// The environment names as written, including those whose definition has errors, so that products
    /// are not also reported for naming them.
    static func declaredNames(_ node: YAMLNode?) -> [String] {
        node?.mapping?.map(\.key) ?? []
    }

    mutating func listenAddress(_ node: YAMLNode, _ field: String) -> OperatorConfig.ListenAddress? {
        guard let text = string(node, field) else { return nil }
        var host = ""
        var portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[close...].dropFirst().drop { $0 == ":" })
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            report(node, field, "expected host:port such as 0.0.0.0:8080, got '\(text)'")
            return nil
        }
        return .init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// Reports keys that would hold a secret inline; the value itself is never echoed.
    mutating func rejectInlineSecrets(_ f: Fields, hint: String) {
        for key in Self.secretLikeKeys {
            if let member = f.members[key] {
                report(
                    at: member.keyLocation, f.field,
                    "inline secrets are not allowed ('\(key)'); reference one with \(hint)")
            }
        }
    }

    mutating func secretReference(_ f: Fields, envKey: String, fileKey: String, required: Bool)
        -> OperatorConfig.SecretReference?
    {
        let env = f[envKey].flatMap { environmentVariable($0, "\(f.field).\(envKey)") }
        let file = f[fileKey].flatMap { string($0, "\(f.field).\(fileKey)") }
        switch (env, file) {
        case (let env?, nil): return .environmentVariable(env)
        case (nil, let file?): return .file(file)
        case (.some, .some):
            report(f.node, f.field, "give either \(envKey) or \(fileKey), not both")
        case (nil, nil):
            if required && f.members[envKey] == nil && f.members[fileKey] == nil {
                report(f.node, f.field, "missing required key '\(envKey)' or '\(fileKey)'")
            }
        }
        return nil
    }

    mutating func environmentVariable(_ node: YAMLNode, _ field: String) -> String? {
        guard let name = string(node, field) else { return nil }
        guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            report(node, field, "'\(name)' is not an environment variable name")
            return nil
        }
        return name
    }

    mutating func gitCredentials(_ node: YAMLNode, _ field: String) -> OperatorConfig.GitCredentials? {
        let allowed = ["tokenEnv", "tokenFile", "username", "sshKeyFile", "knownHostsFile"] + Self.secretLikeKeys
        guard let f = fields(node, field, allowed: allowed) else { return nil }
        rejectInlineSecrets(f, hint: "tokenEnv, tokenFile or sshKeyFile")
        let hasToken = f["tokenEnv"] != nil || f["tokenFile"] != nil
        if let keyNode = f["sshKeyFile"] {
            if hasToken { report(node, field, "give either a token (tokenEnv, tokenFile) or sshKeyFile, not both") }
            guard let keyFile = string(keyNode, "\(field).sshKeyFile") else { return nil }
            let knownHosts = f["knownHostsFile"].flatMap { string($0, "\(field).knownHostsFile") }
            return .ssh(keyFile: keyFile, knownHostsFile: knownHosts)
        }
        if let n = f.members["knownHostsFile"] { report(at: n.keyLocation, field, "knownHostsFile needs sshKeyFile") }
        let username = f["username"].flatMap { string($0, "\(field).username") } ?? "x-access-token"
        guard let secret = secretReference(f, envKey: "tokenEnv", fileKey: "tokenFile", required: true) else {
            return nil
        }
        return .token(secret, username: username)
    }

    mutating func governance(_ node: YAMLNode) -> OperatorConfig.Governance? {
        guard
            let f = fields(node, "governance", allowed: ["repo", "ref", "path", "credentials"], required: ["repo"])
        else { return nil }
        let repo = f["repo"].flatMap { repositoryURL($0, "governance.repo") }
        let ref = f["ref"].flatMap { string($0, "governance.ref") } ?? "main"
        let path = f["path"].flatMap { string($0, "governance.path") } ?? "policies"
        let credentials = f["credentials"].flatMap { gitCredentials($0, "governance.credentials") }
        guard let repo else { return nil }
        return .init(repo: repo, ref: ref, path: path, credentials: credentials)
    }

    mutating func repositoryURL(_ node: YAMLNode, _ field: String) -> String? {
        guard let url = string(node, field) else { return nil }
        let schemes = ["https://", "http://", "ssh://", "file://", "git@", "/"]
        guard schemes.contains(where: url.hasPrefix) else {
            report(node, field, "expected a Git URL (https://, ssh://, git@host:path, file:// or an absolute path)")
            return nil
        }
        if url.hasPrefix("https://") || url.hasPrefix("http://"), url.contains("@") {
            report(node, field, "credentials in the URL are not allowed; use credentials.tokenEnv")
            return nil
        }
        return url
    }
}
