import ArgumentParser
import Foundation
import GitSource
import LakegateCore

/// `lakegate gates`: every release gate's verdict for one target environment.
struct GatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gates",
        abstract: "Check a release's gates for a target: signed tag, trailers, approvals, quorum. Exit 3 when blocked."
    )

    @Option(help: "The repository.")
    var repo: String = "."

    @Option(help: "The target environment, e.g. prod.")
    var target: String

    @Option(help: "The release tag, e.g. dp/orders/v1.4.0.")
    var ref: String

    @Option(help: "allowed_signers file: who may sign releases and approve for the target.")
    var allowedSigners: String?

    @Option(help: "Revoked public keys, one per line.")
    var revoked: String?

    @Option(help: "Distinct valid approvals needed.")
    var quorum: Int?

    @Option(name: .customLong("require-trailer"), help: "KEY[=REGEX]: a trailer the release commit must carry.")
    var requireTrailer: [String] = []

    @Option(help: "Operator config file with a gates section (lakegate.yaml).")
    var config: String?

    @Option(help: "State directory where first-seen times of tags are recorded.")
    var stateDir: String = ".lakegate"

    @Option(help: "Output format: text or json.")
    var output: GitOutputFormat = .text

    func run() async throws {
        let request = GateRequest(
            repository: repo, target: target, release: ref, allowedSigners: allowedSigners, revoked: revoked,
            quorum: quorum, requiredTrailers: requireTrailer, configFile: config, stateDirectory: stateDir)
        let report: GateReport
        do {
            report = try await Blocking.run { try request.run() }
        } catch {
            printError("lakegate gates: \(error)")
            throw ExitCode(1)
        }
        switch output {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .text:
            print("\(report.release) → \(report.target) (commit \(report.commit?.prefix(12) ?? "?"))")
            for gate in report.gates { print("  \(gate.passed ? "pass" : "FAIL")  \(gate.name): \(gate.reason)") }
            for approval in report.approvals {
                print("  approval \(approval.tag): \(approval.valid ? "valid" : "refused") — \(approval.reason)")
            }
        }
        if !report.passed { throw ExitCode(3) }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
