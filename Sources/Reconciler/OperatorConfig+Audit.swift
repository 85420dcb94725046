import Descriptors

extension OperatorConfig {
    /// `audit:`: the controller's audit signing key and where signed checkpoints go.
    public struct Audit: Sendable, Hashable {
        /// The private SSH key (Ed25519) every audit entry and checkpoint is signed with.
        public var signingKey: String
        /// A checkpoint after every this many entries (and at start and shutdown).
        public var checkpointEvery: Int
        /// An append-only file of checkpoints; put it on another volume than the state directory.
        public var checkpointFile: String?

        public init(signingKey: String, checkpointEvery: Int = 100, checkpointFile: String?) {
            self.signingKey = signingKey
            self.checkpointEvery = checkpointEvery
            self.checkpointFile = checkpointFile
        }
    }

    /// `api:`: the bearer token `/api/v1/…` needs.
    public struct API: Sendable, Hashable {
        public var token: SecretReference

        public init(token: SecretReference) {
            self.token = token
        }
    }

    /// The log levels `logLevel` and `LAKEGATE_LOG_LEVEL` accept.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}

extension ConfigReader {
    mutating func audit(_ node: YAMLNode) -> OperatorConfig.Audit? {
        guard let f = fields(node, "audit", allowed: ["signingKey", "checkpoints"], required: ["signingKey"]) else {
            return nil
        }
        let key = f["signingKey"].flatMap { string($0, "audit.signingKey") }
        var every = 100
        var file: String?
        if let node = f["checkpoints"], let c = fields(node, "audit.checkpoints", allowed: ["every", "file"]) {
            if let n = c["every"], let value = int(n, "audit.checkpoints.every") {
                if value < 1 { report(n, "audit.checkpoints.every", "must be at least 1") } else { every = value }
            }
            file = c["file"].flatMap { string($0, "audit.checkpoints.file") }
            if file == nil, c.members["file"] == nil {
                report(node, "audit.checkpoints", "missing required key 'file'")
            }
        }
        guard let key else { return nil }
        return .init(signingKey: key, checkpointEvery: every, checkpointFile: file)
    }

    mutating func api(_ node: YAMLNode) -> OperatorConfig.API? {
        guard let f = fields(node, "api", allowed: ["tokenEnv", "tokenFile"] + Self.secretLikeKeys) else { return nil }
        rejectInlineSecrets(f, hint: "tokenEnv or tokenFile")
        return secretReference(f, envKey: "tokenEnv", fileKey: "tokenFile", required: true).map { .init(token: $0) }
    }

    mutating func logLevel(_ node: YAMLNode) -> String? {
        guard let level = string(node, "logLevel") else { return nil }
        guard OperatorConfig.logLevels.contains(level) else {
            report(
                node, "logLevel", "unknown level '\(level)'; one of \(OperatorConfig.logLevels.joined(separator: ", "))"
            )
            return nil
        }
        return level
    }
}
