import ArgumentParser
import CurlHTTP
import Foundation
import LakegateCore
import Logging

/// `lakegate reconcile --product P --target T`: asks a running `lakegate serve` to reconcile one product in one
/// environment now, applying even where `sync.mode` is `manual`, and prints what it came to.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Ask a running `lakegate serve` to reconcile a product in an environment now.",
        discussion: """
            The controller runs a pass for the product at once and answers when the reconcile ended; an \
            environment with sync.mode: manual applies its plan (this is the operator's go-ahead). Gates, holds \
            and approvals decide as in any pass. Exit 0 when applied or in sync, 1 when the reconcile failed, \
            stalled or waits, or the controller cannot be reached. Uses POST /api/v1/reconcile with the API \
            bearer token.
            """
    )

    @Option(help: "The product, as named in lakegate.yaml.")
    var product: String

    @Option(help: "The environment, e.g. prod.")
    var target: String

    @Option(help: "The controller's base URL.")
    var server: String = "http://127.0.0.1:8080"

    @Option(help: "A file holding the API bearer token (default: $LAKEGATE_API_TOKEN).")
    var tokenFile: String?

    @Option(help: "Give up waiting for the answer after this many seconds.")
    var timeout: Int = 600

    @Option(help: "Output format: text or json (the status the reconcile came to).")
    var output: OutputFormat = .text

    func run() async throws {
        var token = ProcessInfo.processInfo.environment["LAKEGATE_API_TOKEN"]
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                FileHandle.standardError.write(Data("cannot read the token file \(tokenFile)\n".utf8))
                throw ExitCode(1)
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var components = URLComponents(
            string: server.hasSuffix("/") ? server + "api/v1/reconcile" : server + "/api/v1/reconcile")
        components?.queryItems = [
            URLQueryItem(name: "product", value: product), URLQueryItem(name: "target", value: target),
        ]
        guard let url = components?.string else { throw ValidationError("--server \(server) is not a URL") }
        let transport = CurlTransport(
            configuration: CurlTransportConfiguration(requestTimeout: Double(timeout)),
            logger: Logger(label: "lakegate.reconcile"))
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: url, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []))
        } catch {
            FileHandle.standardError.write(Data("cannot reach the controller at \(server): \(error)\n".utf8))
            throw ExitCode(1)
        }
        guard response.status == 200, let status = try? JSONValue(parsing: Data(response.body)) else {
            let body = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            FileHandle.standardError.write(Data("\(server) answered HTTP \(response.status): \(body)\n".utf8))
            throw ExitCode(1)
        }
        let outcome = status["outcome"]?.stringValue ?? "?"
        if output == .json {
            print(status.prettyJSON)
        } else {
            print("\(product) in \(target): \(outcome): \(status["message"]?.stringValue ?? "")")
        }
        guard outcome == "applied" || outcome == "noChange" else { throw ExitCode(1) }
    }
}
