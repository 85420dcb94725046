import ArgumentParser
import AuditTrail
import ControlServer
import CurlHTTP
import Foundation
import LakegateCore
import Logging
import Notifications
import OperatorConfig
import Prometheus
import Reconciler
import ServiceLifecycle
import Store
import Synchronization
import UnixSignals

/// `lakegate serve`: the controller, with its health, metrics, status and webhook endpoints.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the controller: poll repositories and promote products through their environments.")

    @Option(help: "The operator configuration file.")
    var config: String = "lakegate.yaml"

    @Option(help: "Listen address host:port, overriding the configuration (port 0 picks a free port).")
    var listen: String?

    @Flag(help: "Run one complete poll, print the status as JSON and exit (for scripts and checks).")
    var once = false

    func run() async throws {
        let operatorConfig: OperatorConfig
        do {
            operatorConfig = try OperatorConfig.load(path: config)
        } catch let error as DiagnosticList {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        let level = JSONLogHandler.Level(
            ConfigReloader.logLevel(
                configured: operatorConfig.logLevel, environment: ProcessInfo.processInfo.environment))
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "lakegate.serve")
        let keeper = try operatorConfig.audit.map {
            try AuditOptions.keeper($0, stateDirectory: operatorConfig.stateDir, logger: logger)
        }
        let store = try StateStore(stateDirectory: operatorConfig.stateDir, auditSigner: keeper)
        // A checkpoint at start and at shutdown brackets the run, whatever the interval.
        try keeper?.checkpoint(of: store)
        defer { _ = try? keeper?.checkpoint(of: store) }
        let registry = PrometheusCollectorRegistry()
        let metrics = ControllerMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let controller = Controller(
            config: operatorConfig, store: store, metrics: metrics, logger: logger,
            afterOperation: CrashFailpoint.fromEnvironment())

        let dispatcher = NotificationDispatcher(
            store: store, transport: CurlTransport(logger: logger),
            settings: { await controller.config.notifications },
            resolveSecret: { try controller.resolveSecret($0) },
            metrics: PrometheusMetricsFactory(registry: registry), logger: logger)

        if once {
            await controller.pollOnce()
            // One delivery attempt of what is due, so a scripted run sends what it recorded.
            let round = try await dispatcher.deliverDue()
            if round != .init() {
                FileHandle.standardError.write(
                    Data(
                        ("notifications: \(round.delivered) delivered, \(round.retried) to retry, "
                            + "\(round.failed) failed\n").utf8))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let statuses = await controller.status()
            print(String(decoding: try encoder.encode(["products": statuses]), as: UTF8.self))
            if statuses.contains(where: { $0.outcome == .failed }) { throw ExitCode(1) }
            return
        }

        var host = operatorConfig.listen.host
        var port = operatorConfig.listen.port
        if let listen, let colon = listen.lastIndex(of: ":"), let value = Int(listen[listen.index(after: colon)...]) {
            host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            port = value
        }
        let secrets = ServerSecrets(
            .init(
                webhookSecret: try operatorConfig.webhook.map { try controller.resolveSecret($0.secret) },
                apiToken: try operatorConfig.api.map { try controller.resolveSecret($0.token) }))
        let auditKey = try operatorConfig.audit.map { try AuditKey(signingKey: $0.signingKey) }
        let auditSinks =
            operatorConfig.audit.map { AuditOptions.sinks($0, stateDirectory: operatorConfig.stateDir) } ?? []
        let console = try Console(
            controller: controller, store: store,
            verifyAudit: {
                let report = try AuditTrailVerifier(key: auditKey, sinks: auditSinks).verify(store)
                var lines = ["\(report.chain.entryCount) entries, head \(report.chain.headHash)"]
                if let broken = report.chain.firstBreak { lines.append("broken: \(broken)") }
                lines += report.problems.map { "broken: \($0)" }
                if let fingerprint = report.keyFingerprint { lines.append("signatures checked with \(fingerprint)") }
                if let checkpoint = report.newestCheckpoint {
                    lines.append("checkpoint at entry \(checkpoint.sequence)")
                }
                lines += report.notes
                return Console.AuditCheck(intact: report.isIntact, lines: lines)
            })
        let server = ControlServer(
            controller: controller, registry: registry, secrets: secrets, host: host, port: port, logger: logger,
            console: console)
        let app = server.application { url in
            FileHandle.standardOutput.write(Data((url + "\n").utf8))
        }
        // After the grace period the pass in flight is cancelled: retries, waits and requests end at once and an
        // apply stops at its next operation boundary. The watchdog exits should anything still hang.
        let grace = operatorConfig.shutdownGracePeriod
        let reloader = ConfigReloader(
            path: config, controller: controller, secrets: secrets, level: level, store: store, metrics: metrics,
            logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [
                .init(service: app), .init(service: ControllerService(controller: controller, grace: grace)),
                .init(service: ReloadOnHangup(reloader: reloader)),
                .init(service: NotificationService(dispatcher: dispatcher)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = grace
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// Runs the controller loop as a service; on graceful shutdown the pass in flight finishes first.
struct ControllerService: Service {
    let controller: Controller
    /// How long the pass in flight may take after SIGTERM; the process exits 5 s after that whatever happens.
    let grace: Duration

    func run() async throws {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await controller.run(until: { stopping.isSet })
        } onGracefulShutdown: {
            stopping.set()
            let limit = grace + .seconds(5)
            Task.detached {
                try? await Task.sleep(for: limit)
                FileHandle.standardError.write(Data("shutdown did not finish within \(limit); exiting\n".utf8))
                exit(1)
            }
        }
    }
}

/// Reloads lakegate.yaml on each SIGHUP until shutdown.
struct ReloadOnHangup: Service {
    let reloader: ConfigReloader

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }
}

/// Set once, when graceful shutdown begins.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() {
        value.store(true, ordering: .relaxed)
    }
}

/// Delivers the notification outbox until shutdown; what is not delivered stays in the outbox for the next start.
struct NotificationService: Service {
    let dispatcher: NotificationDispatcher

    func run() async throws {
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            await dispatcher.run(until: { stopping.isSet })
        } onGracefulShutdown: {
            stopping.set()
        }
    }
}
