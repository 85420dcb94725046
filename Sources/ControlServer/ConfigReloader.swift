import Foundation
import LakegateCore
import Logging
import OperatorConfig
import Reconciler
import Store

/// Reloads lakegate.yaml on SIGHUP: the file is validated first; a bad file is refused and logged and the old
/// configuration stays. Either way the reload is an audit entry (with the file's sha256).
public struct ConfigReloader: Sendable {
    public var path: String
    public var controller: Controller
    public var secrets: ServerSecrets
    public var level: JSONLogHandler.Level
    public var store: StateStore
    public var metrics: ControllerMetrics
    public var logger: Logger
    /// The environment `LAKEGATE_LOG_LEVEL` and secret references are read from.
    public var environment: [String: String]

    public init(
        path: String, controller: Controller, secrets: ServerSecrets, level: JSONLogHandler.Level, store: StateStore,
        metrics: ControllerMetrics, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.path = path
        self.controller = controller
        self.secrets = secrets
        self.level = level
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.environment = environment
    }

    /// The log level from `LAKEGATE_LOG_LEVEL`, else `configured`.
    public static func logLevel(configured: String, environment: [String: String]) -> Logger.Level {
        let name = environment["LAKEGATE_LOG_LEVEL"].flatMap { OperatorConfig.logLevels.contains($0) ? $0 : nil }
        return Logger.Level(rawValue: name ?? configured) ?? .info
    }

    /// Loads, validates and applies the file; returns whether it was applied.
    @discardableResult
    public func reload() async -> Bool {
        let digest = FileManager.default.contents(atPath: path).map { "sha256:" + SHA256Digest.hex(of: $0) }
        do {
            let config = try OperatorConfig.load(path: path)
            let current = await controller.config
            // Resolve secrets before switching, so a missing secret refuses the whole file.
            let values = ServerSecrets.Values(
                webhookSecret: try config.webhook.map { try controller.resolveSecret($0.secret) },
                apiToken: try config.api.map { try controller.resolveSecret($0.token) })
            try await controller.reload(config)
            secrets.replace(with: values)
            level.current = Self.logLevel(configured: config.logLevel, environment: environment)
            var restart: [String] = []
            if config.listen != current.listen { restart.append("listen") }
            if config.audit != current.audit { restart.append("audit") }
            if !restart.isEmpty {
                logger.warning(
                    "configuration reloaded; these take effect on restart only",
                    metadata: ["fields": "\(restart.joined(separator: ", "))"])
            }
            logger.notice("configuration reloaded", metadata: ["file": "\(path)", "digest": "\(digest ?? "")"])
            metrics.recordConfigReload("applied")
            audit("configReloaded", message: "\(path) \(digest ?? "") applied")
            return true
        } catch {
            // The message names file, line and field; secrets are never part of it.
            logger.error(
                "configuration reload refused; the previous configuration stays",
                metadata: ["file": "\(path)", "error": "\(error)"])
            metrics.recordConfigReload("refused")
            audit("configRefused", message: "\(path) \(digest ?? "(unreadable)") refused: \(error)")
            return false
        }
    }

    private func audit(_ outcome: String, message: String) {
        let now = Date()
        do {
            try store.appendAudit(
                AuditEntry(
                    product: Hold.everyProduct, target: Hold.everyProduct, commit: "", outcome: outcome,
                    message: message, actor: "SIGHUP", startedAt: now, finishedAt: now))
        } catch {
            logger.error("audit entry for a configuration reload failed", metadata: ["error": "\(error)"])
        }
    }
}
