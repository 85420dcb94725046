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
        /// A git ref the checkpoints are committed to and pushed.
        public var checkpointGit: CheckpointGit?

        public init(
            signingKey: String, checkpointEvery: Int = 100, checkpointFile: String?, checkpointGit: CheckpointGit? = nil
        ) {
            self.signingKey = signingKey
            self.checkpointEvery = checkpointEvery
            self.checkpointFile = checkpointFile
            self.checkpointGit = checkpointGit
        }
    }

    /// `audit.checkpoints.git`: the repository and ref checkpoints are pushed to, with an SSH deploy key.
    public struct CheckpointGit: Sendable, Hashable {
        public var repo: String
        public var ref: String
        public var sshKeyFile: String?
        public var knownHostsFile: String?
    }

    /// `api:`: the bearer token `/api/v1/…` needs.
    public struct API: Sendable, Hashable {
        public var token: SecretReference
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
        var git: OperatorConfig.CheckpointGit?
        if let node = f["checkpoints"], let c = fields(node, "audit.checkpoints", allowed: ["every", "file", "git"]) {
            if let n = c["every"], let value = int(n, "audit.checkpoints.every") {
                if value < 1 { report(n, "audit.checkpoints.every", "must be at least 1") } else { every = value }
            }
            file = c["file"].flatMap { string($0, "audit.checkpoints.file") }
            git = c["git"].flatMap { checkpointGit($0) }
            if c.members["file"] == nil, c.members["git"] == nil {
                report(node, "audit.checkpoints", "missing required key 'file' or 'git'")
            }
        }
        guard let key else { return nil }
        return .init(signingKey: key, checkpointEvery: every, checkpointFile: file, checkpointGit: git)
    }

    mutating func checkpointGit(_ node: YAMLNode) -> OperatorConfig.CheckpointGit? {
        let field = "audit.checkpoints.git"
        guard
            let f = fields(
                node, field, allowed: ["repo", "ref", "sshKeyFile", "knownHostsFile"] + Self.secretLikeKeys,
                required: ["repo"])
        else { return nil }
        rejectInlineSecrets(f, hint: "sshKeyFile (a deploy key)")
        let repo = f["repo"].flatMap { repositoryURL($0, "\(field).repo") }
        let ref = f["ref"].flatMap { string($0, "\(field).ref") } ?? "refs/lakegate/audit-checkpoints"
        if !ref.hasPrefix("refs/") { report(f["ref"] ?? node, "\(field).ref", "must start with refs/, got '\(ref)'") }
        guard let repo else { return nil }
        return .init(
            repo: repo, ref: ref, sshKeyFile: f["sshKeyFile"].flatMap { string($0, "\(field).sshKeyFile") },
            knownHostsFile: f["knownHostsFile"].flatMap { string($0, "\(field).knownHostsFile") })
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
