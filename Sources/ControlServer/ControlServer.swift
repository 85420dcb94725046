import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import LakegateCore
import Logging
import NIOCore
import Prometheus
import Reconciler

/// The controller's HTTP side: `/healthz`, `/readyz`, `/metrics` (open, and showing no paths, secrets or
/// addresses), `/api/v1/status` and `POST /api/v1/reconcile` (bearer token) and `POST /hooks/git` (signed, bounded,
/// deduplicated).
public struct ControlServer: Sendable {
    let controller: Controller
    let registry: PrometheusCollectorRegistry
    let secrets: ServerSecrets
    let limits: ControlServerLimits
    let host: String
    let port: Int
    let logger: Logger
    let gate: AdmissionGate
    let deliveries: DeliveryLog
    /// The read-only web console under `/console`; nil answers 404 there.
    let console: Console?

    public init(
        controller: Controller, registry: PrometheusCollectorRegistry, secrets: ServerSecrets,
        limits: ControlServerLimits = .init(), host: String, port: Int, logger: Logger, console: Console? = nil
    ) {
        self.console = console
        self.controller = controller
        self.registry = registry
        self.secrets = secrets
        self.limits = limits
        self.host = host
        self.port = port
        self.logger = logger
        self.gate = AdmissionGate(limit: limits.concurrentWebhooks)
        self.deliveries = DeliveryLog(window: limits.deliveryWindowSeconds)
    }

    /// The Hummingbird application; run it in a service group. `onListening` receives the base URL.
    public func application(onListening: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let server = self
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await server.respond(to: request)
        }
        let host = self.host
        let limits = self.limits
        var appLogger = logger
        appLogger.logLevel = .warning
        return Application(
            responder: responder,
            // Open connections are bounded too: the server drains an unread body after answering, and a flood of
            // large posts would otherwise buffer per connection; more clients wait in the accept backlog.
            configuration: .init(
                address: .hostname(host, port: port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(limits.connections)),
            onServerRunning: { channel in
                let shown = host.contains(":") ? "[\(host)]" : host
                await onListening("http://\(shown):\(channel.localAddress?.port ?? 0)")
            },
            logger: appLogger)
    }

    func respond(to request: Request) async throws -> Response {
        switch (request.method, request.uri.path) {
        case (.get, "/healthz"):
            return Self.text(.ok, "ok\n")
        case (.get, "/readyz"):
            return await controller.ready
                ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "waiting for the first complete poll\n")
        case (.get, "/metrics"):
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let text = MetricsExposition.withHelp(String(decoding: buffer, as: UTF8.self), help: ControllerMetrics.help)
            var fields = HTTPFields()
            fields[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
        case (.get, let path) where path.hasPrefix("/api/"):
            if let refusal = authorizeAPI(request) { return refusal }
            guard path == "/api/v1/status" else { return Self.text(.notFound, "not found\n") }
            let statuses = await controller.status()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = try encoder.encode(["products": statuses])
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case (.get, let path) where path == "/console" || path.hasPrefix("/console/"):
            return try await consolePage(request, path: path)
        case (.post, "/api/v1/reconcile"):
            if let refusal = authorizeAPI(request) { return refusal }
            return try await reconcile(request)
        case (.post, "/hooks/git"):
            guard gate.enter() else {
                count("busy")
                var response = Self.text(.serviceUnavailable, "too many webhook deliveries in flight; retry\n")
                response.headers[.retryAfter] = "1"
                return response
            }
            defer { gate.leave() }
            return try await webhook(request)
        default:
            return Self.text(.notFound, "not found\n")
        }
    }

    /// 401 unless the request carries the configured bearer token; no token configured refuses everything.
    func authorizeAPI(_ request: Request) -> Response? {
        guard let token = secrets.values.apiToken, !token.isEmpty else {
            return Self.unauthorized("the API is closed: no token is configured (api.tokenEnv or api.tokenFile)")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return Self.unauthorized("a bearer token is required")
        }
        guard WebhookVerifier.constantTimeEqual(String(header.dropFirst("Bearer ".count)), token) else {
            return Self.unauthorized("the bearer token is not valid")
        }
        return nil
    }

    /// Headers first (secret, signature present, size), then at most the limit of body, then the signature, then
    /// replay, and only then any work.
    func webhook(_ request: Request) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let verifier = WebhookVerifier(secret: secrets.values.webhookSecret)
        if case .rejected(let reason) = verifier.checkHeaders(headers) {
            return reject(reason)
        }
        let limit = limits.webhookBodyBytes
        if let length = headers["content-length"].flatMap(Int.init), length > limit {
            count("too_large")
            return Self.text(.contentTooLarge, "the body is larger than \(limit) bytes\n")
        }
        // Reserve what was declared (at most the limit) so the buffer does not double past it while growing.
        var body: [UInt8] = []
        body.reserveCapacity(headers["content-length"].flatMap(Int.init) ?? min(limit, 64 * 1024))
        for try await chunk in request.body {
            guard body.count + chunk.readableBytes <= limit else {
                count("too_large")
                return Self.text(.contentTooLarge, "the body is larger than \(limit) bytes\n")
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        switch verifier.verify(headers: headers, body: body) {
        case .rejected(let reason):
            return reject(reason)
        case .accepted(let urls):
            let delivery = headers["x-github-delivery"] ?? headers["x-gitlab-event-uuid"] ?? ""
            let digest = "sha256:" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            guard deliveries.admit([delivery.isEmpty ? "" : "id:" + delivery, digest]) else {
                count("duplicate")
                logger.notice("webhook delivery replayed: ignored", metadata: ["delivery": "\(delivery)"])
                return Self.text(.ok, "duplicate delivery: ignored\n")
            }
            guard let url = urls.first(where: { controller.watches(repository: $0) }) else {
                count("unwatched")
                return Self.text(.accepted, "repository not watched\n")
            }
            count("accepted")
            controller.trigger(repository: url)
            return Self.text(.accepted, "poll scheduled\n")
        }
    }

    private func reject(_ reason: String) -> Response {
        count("rejected")
        logger.warning("webhook rejected", metadata: ["reason": "\(reason)"])
        return Self.text(.unauthorized, reason + "\n")
    }

    private func count(_ result: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "lakegate", subsystem: "webhook", metricName: "deliveries", unitName: "total",
                helpText: ControllerMetrics.help["lakegate_webhook_deliveries_total"] ?? ""),
            labels: [("result", result)]
        ).increment()
    }

    static func unauthorized(_ reason: String) -> Response {
        var response = text(.unauthorized, reason + "\n")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"lakegate\""
        return response
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
