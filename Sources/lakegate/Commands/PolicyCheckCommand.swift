import ArgumentParser
import Descriptors
import Foundation
import Governance
import LakegateCore

/// `lakegate policy check`: evaluate policy sets for several targets in one dry run.
struct PolicyCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the policies against a product for one or more targets; exit 3 when a target is blocked.",
        discussion: """
            A target is blocked by an enabled policy whose severity for that target is 'error' and that fails or \
            cannot be evaluated. Grace, deprecated and lower-severity results are reported but never block. \
            See docs/governance.md.
            """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Option(name: .customLong("target"), help: "A target to check (repeatable); default: every target of the bundle.")
    var targets: [String] = []

    @Argument(help: "The product directory.")
    var path: String = "."

    @Option(help: "The directory of policy files (default: <PATH>/policies).")
    var policies: String?

    @Option(help: "The previous release, as a product directory, for contract integrity and 'prev'.")
    var against: String?

    @Option(help: "A plan (JSON) for policies of scope 'plan'.")
    var plan: String?

    @Option(help: "text, json or sarif.")
    var output: Output = .text

    func run() async throws {
        let report: PolicyReport
        let loaded: [Policy]
        do {
            let productURL = URL(fileURLWithPath: path)
            let product = try ProductLoader.load(DirectoryFileSource(root: productURL))
            let policyRoot = policies.map { URL(fileURLWithPath: $0) } ?? productURL.appendingPathComponent("policies")
            loaded = try PolicyLoader.load(from: DirectoryFileSource(root: policyRoot))
            let previous = try against.map {
                try ProductLoader.load(DirectoryFileSource(root: URL(fileURLWithPath: $0)))
            }
            let planJSON = try plan.map { file -> JSONValue in
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw DiagnosticList([Diagnostic(SourceLocation(path: file), "cannot be read")])
                }
                do {
                    return try JSONValue(parsing: data)
                } catch {
                    throw DiagnosticList([Diagnostic(SourceLocation(path: file), "\(error)")])
                }
            }
            let requested = targets.isEmpty ? product.targets : targets
            var inputs: [PolicyTargetInputs] = []
            for target in requested {
                guard product.targets.contains(target) else {
                    throw DiagnosticList([
                        Diagnostic(
                            SourceLocation(path: "databricks.yml"),
                            "unknown target '\(target)'; the bundle defines \(product.targets.joined(separator: ", "))")
                    ])
                }
                inputs.append(
                    try PolicyTargetInputs(product: product, target: target, previous: previous, plan: planJSON))
            }
            report = PolicyEvaluator(policies: loaded).check(inputs)
        } catch let error as DiagnosticList {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        switch output {
        case .text: print(report.text)
        case .json: print(report.jsonValue.prettyJSON)
        case .sarif: print(report.sarif(policies: loaded, toolVersion: LakegateVersion.string).prettyJSON)
        }
        if !report.passed { throw ExitCode(3) }
    }
}
