import ArgumentParser
import Foundation
import LakegateCore

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

    @OptionGroup var api: ControllerAPIOptions

    @Option(help: "Give up waiting for the answer after this many seconds.")
    var timeout: Int = 600

    @Option(help: "Output format: text or json (the status the reconcile came to).")
    var output: OutputFormat = .text

    func run() async throws {
        let status = try await api.call(
            "POST", "/api/v1/reconcile",
            query: [URLQueryItem(name: "product", value: product), URLQueryItem(name: "target", value: target)],
            timeout: Double(timeout), label: "lakegate.reconcile")
        let outcome = status["outcome"]?.stringValue ?? "?"
        if output == .json {
            print(status.prettyJSON)
        } else {
            print("\(product) in \(target): \(outcome): \(status["message"]?.stringValue ?? "")")
        }
        guard outcome == "applied" || outcome == "noChange" else { throw ExitCode(1) }
    }
}
