import ArgumentParser
import Foundation
import GitSource
import Governance
import LakegateCore
import Lifecycle
import OperatorConfig
import Reconciler

/// `lakegate release VERSION [--sign] [--message M]`: freeze the committed product as a release tag.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Freeze a release: validate, dry-run the qa and prod policies, create the annotated release tag.",
        discussion: """
            Refuses a dirty work tree, an invalid product, an existing tag, and a blocking policy result (exit 3). \
            The tag message records the digests of the rendered states and of the policy report as trailers. \
            See docs/lifecycle.md.
            """
    )

    @Argument(help: "The release: v1.2.0, 1.2.0 (tagged v1.2.0) or a prefixed name such as dp/orders/v1.2.0.")
    var version: String

    @Argument(help: "The product directory inside the repository.")
    var path: String = "."

    @Flag(help: "Sign the tag with SSH (git config gpg.format ssh and user.signingkey); --key implies it.")
    var sign = false

    @OptionGroup var tag: TagOptions

    @Option(help: "The policy directory (default: $LAKEGATE_POLICIES, else <PATH>/policies).")
    var policies: String?

    @Option(name: .customLong("target"), help: "A target whose policy set must pass (repeatable; default qa and prod).")
    var targets: [String] = []

    @Option(
        help:
            "The operator configuration (lakegate.yaml): the release must pass the trailer and contract gates of the targets."
    )
    var config: String?

    func run() async throws {
        let policyDirectory = PolicyDirectory.resolve(explicit: policies, productPath: path)
        guard policyDirectory.exists else {
            printError(
                "lakegate release: no policy directory at \(policyDirectory.path): pass --policies DIR or set "
                    + "LAKEGATE_POLICIES")
            throw ExitCode(1)
        }
        var releaser = Releaser(
            productPath: path, version: version, policies: policyDirectory.path, key: tag.key, sign: sign,
            message: tag.message, targets: targets.isEmpty ? Releaser.defaultTargets : targets)
        if let config {
            do {
                let operatorConfig = try OperatorConfig.load(path: config)
                releaser.gates = Self.gates(config: operatorConfig, targets: releaser.targets)
                releaser.policySets = try await Self.policySets(config: operatorConfig, targets: releaser.gates.keys)
            } catch {
                printError("lakegate release: \(error)")
                throw ExitCode(1)
            }
        }
        let configured = releaser
        let push = tag.push
        let result: Releaser.Result
        do {
            result = try await Blocking.run {
                let releaser = configured
                let result = try releaser.run()
                if push, result.tagObject != nil {
                    try TagPusher.push(
                        tags: [result.tag],
                        repositoryPath: try ProductLocation(productPath: releaser.productPath).workTree)
                }
                return result
            }
        } catch {
            printError("lakegate release: \(error)")
            throw ExitCode(1)
        }
        print(result.evaluation.report.text)
        for verdict in result.verdicts {
            for gate in verdict.gates {
                print("\(verdict.target): \(gate.passed ? "pass" : "FAIL")  \(gate.name): \(gate.reason)")
            }
        }
        guard let tagObject = result.tagObject else {
            let gates = result.verdicts.flatMap { verdict in verdict.failing.map { "\(verdict.target) \($0.name)" } }
            let why =
                gates.isEmpty ? "a policy blocks \(result.tag)" : "failing gates: \(gates.joined(separator: ", "))"
            printError("lakegate release: refused: \(why) (see above); nothing was tagged, nothing pushed")
            throw ExitCode(3)
        }
        print(
            "released \(result.tag): \(result.signed ? "signed" : "unsigned") tag \(tagObject.short) on commit "
                + "\(result.commit.short)")
        for line in result.evaluation.record.trailerLines { print("  \(line)") }
        print(push ? "pushed \(result.tag) to origin" : "next: git push origin \(result.tag)")
    }

    /// The gates of the configured environments among `targets` that follow releases or approvals.
    static func gates(config: OperatorConfig, targets: [String]) -> [String: GateRules] {
        var gates: [String: GateRules] = [:]
        for environment in config.environments where targets.contains(environment.name) {
            if case .branch = environment.follows { continue }
            gates[environment.name] = GateRules(environment)
        }
        return gates
    }

    /// Each environment's policy set, read from the governance repository as serve reads it.
    static func policySets(config: OperatorConfig, targets: some Sequence<String>) async throws -> [String: PolicySet] {
        let controller = try ConfiguredProduct.controller(config)
        var sets: [String: PolicySet] = [:]
        for target in targets {
            if let set = try await controller.policySet(for: target) { sets[target] = set }
        }
        return sets
    }
}
