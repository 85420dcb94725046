import ArgumentParser
import Foundation
import Governance
import LakegateCore
import OperatorConfig

/// `lakegate gates`: the governance verdict `serve` reaches for one product in one environment.
struct GatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gates",
        abstract:
            "Every gate's verdict for a product in a target, exactly as serve reaches it. Exit 3 when not passed.",
        discussion: """
            Reads lakegate.yaml like serve: the environment's gates, allowed signers, policy set and promotion \
            order; polls the product and governance repositories into the state directory's mirrors and judges \
            the release the environment would select (or --ref). Exit 0 when every gate passes, 3 otherwise, 1 on \
            error. See docs/governance.md.
            """
    )

    @Option(help: "The operator configuration file.")
    var config: String = "lakegate.yaml"

    @Option(help: "The product, as named in the configuration (default: its only product).")
    var product: String?

    @Option(help: "The target environment, e.g. prod.")
    var target: String

    @Option(help: "Judge this release tag instead of the one the environment would select.")
    var ref: String?

    @Option(help: "Output format: text or json.")
    var output: GitOutputFormat = .text

    func run() async throws {
        let verdict: ReleaseVerdict
        do {
            let operatorConfig = try OperatorConfig.load(path: config)
            verdict = try await ConfiguredProduct.verdict(
                config: operatorConfig, product: try ConfiguredProduct.name(product, in: operatorConfig, path: config),
                target: target, release: ref)
        } catch {
            printError("lakegate gates: \(error)")
            throw ExitCode(1)
        }
        try output.print(verdict, dates: .iso8601) { print(Self.text(verdict)) }
        if !verdict.passed { throw ExitCode(3) }
    }

    /// The verdict as lines: subject, decision, every gate, every approval.
    static func text(_ verdict: ReleaseVerdict) -> String {
        var lines = [
            "\(verdict.release ?? "branch head") → \(verdict.target) (commit \(verdict.commit?.prefix(12) ?? "?")): "
                + "\(verdict.decision.rawValue)"
        ]
        for gate in verdict.gates { lines.append("  \(gate.passed ? "pass" : "FAIL")  \(gate.name): \(gate.reason)") }
        for approval in verdict.approvals {
            lines.append("  approval \(approval.tag): \(approval.valid ? "valid" : "refused") — \(approval.reason)")
        }
        if verdict.decision != .proceed { lines.append(verdict.reason) }
        return lines.joined(separator: "\n")
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
