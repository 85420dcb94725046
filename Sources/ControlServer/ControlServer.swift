import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LakegateCore
import Logging
import NIOCore
import Prometheus
import Reconciler

/// The controller's HTTP side: `/healthz`, `/readyz`, `/metrics`, `/api/v1/status` and `POST /hooks/git`.
public struct ControlServer: Sendable {
    let controller: Controller
    let registry: PrometheusCollectorRegistry
    let webhookSecret: String?
    let host: String
    let port: Int
    let logger: Logger

    public init(
        controller: Controller, registry: PrometheusCollectorRegistry, webhookSecret: String?, host: String, port: Int,
        logger: Logger
    ) {
        self.controller = controller
        self.registry = registry
        self.webhookSecret = webhookSecret
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The Hummingbird application; run it in a service group. `onListening` receives the base URL.
    public func application(onListening: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let server = self
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await server.respond(to: request)
        }
        let host = self.host
        var appLogger = logger
        appLogger.logLevel = .warning
        return Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
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
            var fields = HTTPFields()
            fields[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        case (.get, "/api/v1/status"):
            let statuses = await controller.status()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = try encoder.encode(["products": statuses])
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case (.post, "/hooks/git"):
            var request = request
            let body = try await request.collectBody(upTo: 5 * 1024 * 1024)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            switch WebhookVerifier(secret: webhookSecret).verify(headers: headers, body: Array(body.readableBytesView))
            {
            case .rejected(let reason):
                logger.warning("webhook rejected", metadata: ["reason": "\(reason)"])
                return Self.text(.unauthorized, reason + "\n")
            case .accepted(let urls):
                guard let url = urls.first(where: { controller.watches(repository: $0) }) else {
                    return Self.text(.accepted, "repository not watched\n")
                }
                controller.trigger(repository: url)
                return Self.text(.accepted, "poll scheduled for \(url)\n")
            }
        default:
            return Self.text(.notFound, "not found\n")
        }
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
