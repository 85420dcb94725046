import ArgumentParser
import AuditTrail
import Foundation
import GitSource
import Logging
import OperatorConfig
import Reconciler

/// `--config`, for the commands that sign or verify the audit log with `audit:` from lakegate.yaml.
struct AuditOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "The operator configuration with audit.signingKey (default: $LAKEGATE_CONFIG, else lakegate.yaml).")
    var configPath: String?

    var resolvedPath: String {
        configPath ?? ProcessInfo.processInfo.environment["LAKEGATE_CONFIG"] ?? "lakegate.yaml"
    }

    /// `audit:` from the configuration; nil when the default file is absent. A named file must load.
    func audit() throws -> OperatorConfig.Audit? {
        if configPath == nil, !FileManager.default.fileExists(atPath: resolvedPath) { return nil }
        return try OperatorConfig.load(path: resolvedPath).audit
    }

    /// The signer for entries this command appends (holds); nil when no audit key is configured.
    func keeper(stateDirectory: String) throws -> AuditKeeper? {
        try audit().map { try Self.keeper($0, stateDirectory: stateDirectory, logger: Logger(label: "lakegate.audit")) }
    }

    /// The keeper `audit:` describes: the signing key and every checkpoint sink.
    static func keeper(_ audit: OperatorConfig.Audit, stateDirectory: String, logger: Logger) throws -> AuditKeeper {
        AuditKeeper(
            key: try AuditKey(signingKey: audit.signingKey), every: audit.checkpointEvery,
            sinks: sinks(audit, stateDirectory: stateDirectory), logger: logger)
    }

    /// The checkpoint file and/or git ref of `audit:`; the git sink stages its commits in the state directory.
    static func sinks(_ audit: OperatorConfig.Audit, stateDirectory: String) -> [any AuditCheckpointSink] {
        var sinks: [any AuditCheckpointSink] = audit.checkpointFile.map { [AuditCheckpointFile(path: $0)] } ?? []
        if let git = audit.checkpointGit {
            sinks.append(
                AuditCheckpointRef(
                    repository: git.repo, reference: git.ref,
                    stagingPath: (stateDirectory as NSString).appendingPathComponent("audit-checkpoints.git"),
                    credentials: GitCredentials(sshKeyPath: git.sshKeyFile, knownHostsPath: git.knownHostsFile)))
        }
        return sinks
    }
}
