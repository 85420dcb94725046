import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The HTTP front of the emulator: Hummingbird hands every request to the ``Workspace``.
public struct EmulatorServer: Sendable {
    public let workspace: Workspace
    public let configuration: EmulatorConfiguration
    let logger: Logger

    public init(configuration: EmulatorConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.workspace = try Workspace(configuration: configuration, logger: logger)
    }

    /// Serves until SIGTERM or SIGINT. `onListening` receives the base URL once the port is bound.
    public func run(onListening: @escaping @Sendable (String) async -> Void) async throws {
        let workspace = self.workspace
        let host = configuration.host
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await Self.respond(to: request, workspace: workspace)
        }
        var appLogger = logger
        appLogger.logLevel = .warning
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let shownHost = host.contains(":") ? "[\(host)]" : host
                let url = "http://\(shownHost):\(port)"
                await workspace.setBaseURL(url)
                await onListening(url)
            },
            logger: appLogger
        )
        try await app.runService()  // stops on SIGTERM and SIGINT
    }

    static func respond(to request: Request, workspace: Workspace) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024 * 1024)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let emulatorRequest = EmulatorRequest(
            method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
            headers: headers, body: Data(buffer.readableBytesView))
        let answer = await workspace.handle(emulatorRequest)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}
