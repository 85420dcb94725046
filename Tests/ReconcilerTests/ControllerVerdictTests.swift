import Foundation
import Governance
import Logging
import Metrics
import OperatorConfig
import Reconciler
import Store
import TestSupport
import Testing

/// `Controller.verdict`: the governance verdict serve reaches, on a real repository with SSH-signed tags and a
/// real SQLite state store (what `lakegate gates --config` prints).
@Suite struct ControllerVerdictTests {
    /// A product repository (Examples/customer-360) with a signed release v1.0.0 and an operator config where
    /// qa follows releases and prod follows approvals (and so requires qa).
    final class Scenario: Sendable {
        let scratch: GitScratch
        let repo: String
        let config: OperatorConfig
        let store: StateStore

        init() throws {
            scratch = try GitScratch(
                prefix: "lakegate-verdict", authorName: "Data Team", authorEmail: "team@example.com")
            repo = scratch.path("product")
            try FileManager.default.copyItem(at: Paths.example("customer-360"), to: URL(fileURLWithPath: repo))
            try scratch.run("git", ["init", "-q", "-b", "main", repo])
            try scratch.run("git", ["-C", repo, "add", "-A"])
            try scratch.run("git", ["-C", repo, "commit", "-q", "-m", "First", "-m", "Change-Request: CHG-1"])
            var signers = ""
            for who in ["rm", "alice"] {
                try scratch.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", who, "-f", scratch.path(who)])
                let key = try String(contentsOfFile: scratch.path("\(who).pub"), encoding: .utf8)
                signers +=
                    "\(who)@example.com namespaces=\"git\" \(key.split(separator: " ").prefix(2).joined(separator: " "))\n"
            }
            try Data(signers.utf8).write(to: URL(fileURLWithPath: scratch.path("allowed_signers")))
            let gates =
                "policySet: none, requireSignedRelease: true, allowedSigners: \(scratch.path("allowed_signers")), "
                + "requiredTrailers: [{key: Change-Request, pattern: 'CHG-\\d+'}]"
            config = try OperatorConfig.parse(
                """
                stateDir: \(scratch.path("state"))
                environments:
                  qa: {workspace: {host: "http://127.0.0.1:9", credentials: {tokenEnv: T}}, follows: releases, gates: {\(gates)}}
                  prod: {workspace: {host: "http://127.0.0.1:9", credentials: {tokenEnv: T}}, follows: approvals, gates: {\(gates)}}
                products:
                  - {name: customer-360, repo: \(repo)}
                """, path: "lakegate.yaml")
            store = try StateStore(stateDirectory: scratch.path("state"))
            try sign("rm", "v1.0.0", "HEAD")
        }

        /// `git tag -s [-f] NAME TARGET` signed by `who`.
        func sign(_ who: String, _ name: String, _ target: String, force: Bool = false) throws {
            try scratch.run(
                "git",
                ["-C", repo, "-c", "gpg.format=ssh", "-c", "user.signingkey=\(scratch.path(who))", "tag", "-s"]
                    + (force ? ["-f"] : []) + ["-m", name, name, target])
        }

        func verdict(_ target: String, release: String? = nil) async throws -> ReleaseVerdict {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let controller = Controller(
                config: config, store: store, metrics: ControllerMetrics(factory: NOOPMetricsHandler.instance),
                logger: logger)
            return try await controller.verdict(product: "customer-360", target: target, release: release)
        }

        /// What serve records when a release converged in `target`.
        func converged(_ target: String, release: String) throws {
            let commit = try scratch.run("git", ["-C", repo, "rev-parse", "\(release)^{commit}"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try store.appendAudit(
                AuditEntry(
                    product: "customer-360", target: target, release: release, commit: commit, outcome: "applied",
                    startedAt: Date(), finishedAt: Date()))
        }
    }

    static func gate(_ verdict: ReleaseVerdict, _ name: String) -> ReleaseVerdict.Gate? {
        verdict.gates.first { $0.name == name }
    }

    @Test func prodWaitsForQAAndAnApprovalThenProceeds() async throws {
        let scenario = try Scenario()
        let qa = try await scenario.verdict("qa")
        #expect(qa.decision == .proceed, "\(qa.reason)")
        #expect(Self.gate(qa, "trailer:Change-Request")?.passed == true)
        #expect(Self.gate(qa, "product-valid")?.passed == true)

        let waiting = try await scenario.verdict("prod")
        #expect(waiting.decision == .wait)
        #expect(waiting.release == "v1.0.0")
        #expect(Self.gate(waiting, "promotion:qa")?.reason == "v1.0.0 has not converged in qa (it runs nothing yet)")
        #expect(Self.gate(waiting, "quorum")?.passed == false)

        try scenario.converged("qa", release: "v1.0.0")
        try scenario.sign("alice", "approval/prod/v1.0.0/alice", "v1.0.0")
        let ready = try await scenario.verdict("prod")
        #expect(ready.decision == .proceed, "\(ready.reason)")
        #expect(ready.approvals.map(\.principal) == ["alice@example.com"])
    }

    @Test func aMovedReleaseTagIsASecurityStall() async throws {
        let scenario = try Scenario()
        _ = try await scenario.verdict("qa")  // first seen here
        try scenario.scratch.run(
            "git",
            ["-C", scenario.repo, "commit", "-q", "--allow-empty", "-m", "Sneaky", "-m", "Change-Request: CHG-2"])
        try scenario.sign("rm", "v1.0.0", "HEAD", force: true)
        let verdict = try await scenario.verdict("qa")
        #expect(verdict.decision == .stall)
        #expect(verdict.securityEvent)
        #expect(
            verdict.reason.hasPrefix("security event: v1.0.0: release-tag-not-moved: v1.0.0 moved"), "\(verdict.reason)"
        )
    }

    @Test func anUnknownProductOrEnvironmentIsAnError() async throws {
        let scenario = try Scenario()
        let controller = Controller(
            config: scenario.config, store: scenario.store,
            metrics: ControllerMetrics(factory: NOOPMetricsHandler.instance), logger: Logger(label: "test"))
        await #expect(throws: ControllerError.self) { try await controller.verdict(product: "nope", target: "qa") }
        await #expect(throws: ControllerError.self) {
            try await controller.verdict(product: "customer-360", target: "staging")
        }
    }
}
