import ArgumentParser
import AuditTrail
import Foundation
import Logging
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
    func keeper() throws -> AuditKeeper? {
        try audit().map {
            try AuditKeeper(
                signingKey: $0.signingKey, checkpointEvery: $0.checkpointEvery, checkpointFile: $0.checkpointFile,
                logger: Logger(label: "lakegate.audit"))
        }
    }
}
