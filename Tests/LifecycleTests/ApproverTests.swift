import Foundation
import GitSource
import Governance
import LakegateCore
import Lifecycle
import Store
import TestSupport
import Testing

@Suite("lakegate approve (library)")
struct ApproverTests {
    /// Serve's verdict for prod (quorum 1) on `release` in `repository` (the product clone by default).
    func gates(_ scenario: LifecycleScenario, release: String = "v0.1.0", repository: String? = nil) throws
        -> ReleaseVerdict
    {
        let path = repository ?? scenario.product
        let collector = ReleaseFactsCollector(
            repository: try Repository(openingAt: path), repositoryKey: path,
            store: StoreTagObservations(store: try StateStore(stateDirectory: scenario.fixture.path("state"))),
            verifier: SignatureVerifier(allowedSigners: try AllowedSigners(contentsOf: scenario.allowedSigners)))
        return ReleaseGates.judge(
            try collector.collect(target: "prod", release: release, now: Date()), rules: GateRules(quorum: 1))
    }

    @Test func anApprovalIsAcceptedByTheGatesAndByGit() throws {
        let scenario = try LifecycleScenario()
        _ = try scenario.releaser().run()
        let approver = scenario.approver("alice")
        let summary = try approver.summarize()
        #expect(summary.principal == "alice@bank.example")
        #expect(summary.approvalTag == "approval/prod/v0.1.0/alice@bank.example")
        #expect(summary.stateMatches == true)
        #expect(summary.reportMatches == true)
        #expect(summary.releaseSignature?.valid == true)
        #expect(summary.releaseSignature?.principal == "release-manager@bank.example")
        #expect(summary.refusals.isEmpty)
        let text = ApprovalReport.text(summary, plan: "not available")
        #expect(text.contains("(matches the release)"))
        #expect(text.contains("target prod: PASSED"))

        #expect(try !gates(scenario).passed)
        let object = try approver.approve(summary)
        #expect(
            try scenario.fixture.git(scenario.product, "rev-parse", "refs/tags/\(summary.approvalTag)") == object.hex)
        // The approval's object is the release tag object, not the commit.
        #expect(
            try scenario.fixture.git(scenario.product, "cat-file", "-p", object.hex).hasPrefix(
                "object \(summary.tagObject.hex)\ntype tag\n"))
        let report = try gates(scenario)
        #expect(report.passed, "\(report.gates) \(report.approvals)")
        #expect(report.approvals.map(\.principal) == ["alice@bank.example"])
        let verify = try scenario.gitVerifyTag(summary.approvalTag)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stderr.contains("Good \"git\" signature for alice@bank.example"))

        // A second approval by alice (a rollback later on) gets its own name.
        #expect(try approver.summarize().approvalTag == "approval/prod/v0.1.0/alice@bank.example-2")
    }

    @Test func anAuthorOfTheReleaseIsRefusedAndNoTagIsCreated() throws {
        let scenario = try LifecycleScenario()
        _ = try scenario.releaser().run()
        let approver = scenario.approver("team")
        let summary = try approver.summarize()
        #expect(summary.refusals.contains { $0.contains("team@bank.example authored commit") })
        #expect(ApprovalReport.text(summary, plan: "-").contains("REFUSED       four eyes"))
        let error = #expect(throws: LifecycleError.self) { try approver.approve(summary) }
        #expect(error?.message.contains("no approval tag was created") == true)
        #expect(try scenario.fixture.git(scenario.product, "tag", "-l", "approval/*").isEmpty)
        #expect(try gates(scenario).approvals.isEmpty)
    }

    @Test func aRevokedKeyOrAFailingGateOfServesVerdictRefusesTheApproval() throws {
        let scenario = try LifecycleScenario()
        _ = try scenario.releaser().run()
        var approver = scenario.approver("alice")
        let revoked = scenario.fixture.path("revoked")
        try FileManager.default.copyItem(atPath: scenario.keys["alice"]! + ".pub", toPath: revoked)
        approver.revoked = revoked
        #expect(try approver.summarize().refusals.contains { $0.contains("is revoked") })
        approver.revoked = nil
        var verdict = try gates(scenario)
        #expect(verdict.failing.map(\.name) == ["quorum"])
        approver.verdict = verdict
        #expect(try approver.summarize().refusals.isEmpty)  // the missing quorum is what this approval is for
        verdict.gates.append(.init(name: "promotion:qa", passed: false, reason: "v0.1.0 has not converged in qa"))
        approver.verdict = verdict
        #expect(try approver.summarize().refusals == ["gate promotion:qa: v0.1.0 has not converged in qa"])
    }

    @Test func theReleaseSignerIsWarnedAndAKeyOutsideTheAllowedSignersIsRefused() throws {
        let scenario = try LifecycleScenario()
        _ = try scenario.releaser().run()
        let summary = try scenario.approver("release-manager").summarize()
        #expect(summary.refusals.contains { $0.contains("signed the release") })
        let stranger = try scenario.fixture.makeKey("stranger")
        var approver = scenario.approver("alice")
        approver.authoring.key = stranger
        let refused = try approver.summarize()
        #expect(refused.refusals.contains { $0.contains("is not in") && $0.contains("would not count") })
        #expect(throws: LifecycleError.self) { try approver.approve(refused) }
    }

    @Test func releaseAndApprovalArePushedToOrigin() throws {
        let scenario = try LifecycleScenario()
        let origin = scenario.fixture.path("origin.git")
        try scenario.fixture.run("git", ["init", "-q", "--bare", origin])
        try scenario.fixture.git(scenario.product, "remote", "add", "origin", origin)
        try scenario.fixture.git(scenario.product, "push", "-q", "origin", "main")
        let release = try scenario.releaser().run()
        try TagPusher.push(tags: [release.tag], repositoryPath: scenario.product, credentials: GitCredentials())
        let approver = scenario.approver("alice")
        let summary = try approver.summarize()
        let object = try approver.approve(summary)
        try TagPusher.push(tags: [summary.approvalTag], repositoryPath: scenario.product, credentials: GitCredentials())
        #expect(try scenario.fixture.git(origin, "rev-parse", "refs/tags/v0.1.0") == release.tagObject?.hex)
        #expect(try scenario.fixture.git(origin, "rev-parse", "refs/tags/\(summary.approvalTag)") == object.hex)
        // The gates hold on the pushed copy too.
        #expect(try gates(scenario, repository: origin).passed)
        // Pushing a tag the remote already has with another object is refused, naming the ref.
        try scenario.fixture.git(origin, "tag", "-f", "-a", "-m", "moved", summary.approvalTag, "main")
        let error = #expect(throws: LifecycleError.self) {
            try TagPusher.push(
                tags: [summary.approvalTag], repositoryPath: scenario.product, credentials: GitCredentials())
        }
        #expect(error?.message.contains(summary.approvalTag) == true)
    }
}
