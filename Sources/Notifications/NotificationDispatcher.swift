import CurlHTTP
import Foundation
import LakegateCore
import Logging
import Metrics
import OperatorConfig
import Store

/// Delivers the outbox: every due delivery is sent to its provider; a 2xx marks it delivered, anything else is
/// retried with exponential backoff (the same event id each time) until the configured number of attempts, then
/// kept as failed. The outbox lives in the state store, so a crash or restart loses nothing: whatever was not
/// marked delivered is sent again (receivers drop repeats by `X-Lakegate-Event-Id`).
public struct NotificationDispatcher: Sendable {
    let store: StateStore
    let transport: any HTTPTransport
    let settings: @Sendable () async -> OperatorConfig.Notifications?
    let resolveSecret: @Sendable (OperatorConfig.SecretReference) throws -> String
    let metrics: any MetricsFactory
    let logger: Logger

    /// - Parameters:
    ///   - settings: the notifications in force (re-read each round, so a reload takes effect).
    ///   - resolveSecret: reads a secret reference; values are never logged.
    public init(
        store: StateStore, transport: any HTTPTransport,
        settings: @escaping @Sendable () async -> OperatorConfig.Notifications?,
        resolveSecret: @escaping @Sendable (OperatorConfig.SecretReference) throws -> String,
        metrics: any MetricsFactory, logger: Logger
    ) {
        self.store = store
        self.transport = transport
        self.settings = settings
        self.resolveSecret = resolveSecret
        self.metrics = metrics
        self.logger = logger
    }

    /// The `# HELP` text of the dispatcher's metrics.
    public static let help: [String: String] = [
        "lakegate_notification_deliveries_total":
            "Notification delivery attempts, by provider and result (delivered, retry, failed).",
        "lakegate_notification_outbox": "Notification deliveries in the outbox, by state (pending, retrying, failed).",
    ]

    /// What one round did.
    public struct Round: Sendable, Hashable {
        public var delivered = 0
        public var retried = 0
        public var failed = 0

        public init(delivered: Int = 0, retried: Int = 0, failed: Int = 0) {
            self.delivered = delivered
            self.retried = retried
            self.failed = failed
        }
    }

    /// Sends every delivery due at `now`, one at a time, and updates the outbox gauges.
    @discardableResult
    public func deliverDue(now: Date = Date()) async throws -> Round {
        let store = store
        let due = try await Blocking.run { try store.dueDeliveries(now: now) }
        var round = Round()
        let settings = await self.settings()
        for delivery in due {
            let result = await attempt(delivery, settings: settings)
            let finished = Date()
            switch result {
            case .success:
                try await Blocking.run {
                    try store.markDelivered(eventID: delivery.eventID, provider: delivery.provider, at: finished)
                }
                round.delivered += 1
                count(delivery.provider, "delivered")
            case .failure(let error):
                let attempts = delivery.attempts + 1
                let maxAttempts = settings?.maxAttempts ?? 12
                let retryAt =
                    attempts >= maxAttempts
                    ? nil : finished.addingTimeInterval(backoff(afterAttempts: attempts, settings: settings))
                try await Blocking.run {
                    try store.markAttemptFailed(
                        eventID: delivery.eventID, provider: delivery.provider, error: error.description,
                        retryAt: retryAt, at: finished)
                }
                if retryAt == nil {
                    round.failed += 1
                    count(delivery.provider, "failed")
                } else {
                    round.retried += 1
                    count(delivery.provider, "retry")
                }
                logger.warning(
                    "notification delivery failed",
                    metadata: [
                        "event": "\(delivery.eventID)", "kind": "\(delivery.kind)", "provider": "\(delivery.provider)",
                        "attempt": "\(attempts)", "error": "\(error.description)",
                        "next": "\(retryAt.map { ISO8601DateFormatter().string(from: $0) } ?? "given up")",
                    ])
            }
        }
        try await updateGauges()
        return round
    }

    /// Delivers until `shutdown` says so, looking at the outbox every `interval`.
    public func run(every interval: Duration = .seconds(1), until shutdown: @escaping @Sendable () -> Bool) async {
        while !Task.isCancelled && !shutdown() {
            do {
                try await deliverDue()
            } catch {
                logger.error("reading the notification outbox failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// `initialBackoff × 2^(attempts-1)`, at most `maxBackoff`.
    func backoff(afterAttempts attempts: Int, settings: OperatorConfig.Notifications?) -> TimeInterval {
        let initial = Self.seconds(settings?.initialBackoff ?? .seconds(5))
        let maximum = Self.seconds(settings?.maxBackoff ?? .seconds(600))
        return min(maximum, initial * pow(2, Double(min(attempts - 1, 30))))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func attempt(_ delivery: OutboxDelivery, settings: OperatorConfig.Notifications?) async -> Result<
        Void, NotificationError
    > {
        guard let provider = settings?.provider(delivery.provider) else {
            return .failure(NotificationError("provider '\(delivery.provider)' is not configured"))
        }
        let url: String
        let secret: String?
        do {
            switch provider.url {
            case .literal(let literal): url = literal
            case .secret(let reference): url = try resolveSecret(reference)
            }
            secret = try provider.secret.map(resolveSecret)
        } catch {
            return .failure(NotificationError("credentials of '\(provider.name)': \(error)"))
        }
        let request: HTTPRequest
        do {
            request = try ProviderRequest.make(delivery, kind: provider.kind, url: url, secret: secret)
        } catch let error as NotificationError {
            return .failure(error)
        } catch {
            return .failure(NotificationError("\(error)"))
        }
        do {
            let response = try await transport.send(request)
            guard (200..<300).contains(response.status) else {
                // The body may help (Slack answers `invalid_payload`); short, and scrubbed of the credentials.
                var text = String(response.bodyText.prefix(200))
                for value in [url, secret].compactMap({ $0 }) where !value.isEmpty {
                    text = text.replacingOccurrences(of: value, with: "<redacted>")
                }
                return .failure(NotificationError("HTTP \(response.status): \(text)"))
            }
            return .success(())
        } catch let error as CurlTransportError {
            // The URL of a Slack or Teams webhook is its credential: name the host only.
            let host = URL(string: url)?.host ?? "the provider"
            return .failure(NotificationError("no response from \(host): curl error \(error.code)"))
        } catch {
            return .failure(NotificationError("no response: \(type(of: error))"))
        }
    }

    private func count(_ provider: String, _ result: String) {
        Counter(
            label: "lakegate_notification_deliveries_total", dimensions: [("provider", provider), ("result", result)],
            factory: metrics
        ).increment()
    }

    private func updateGauges() async throws {
        let store = store
        let counts = try await Blocking.run { try store.deliveryCounts() }
        let pending = counts.byState["pending", default: 0]
        for (state, value) in [
            ("pending", pending - counts.retrying), ("retrying", counts.retrying),
            ("failed", counts.byState["failed", default: 0]),
        ] {
            Gauge(label: "lakegate_notification_outbox", dimensions: [("state", state)], factory: metrics).record(value)
        }
    }
}
