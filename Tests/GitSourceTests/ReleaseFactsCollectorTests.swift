import Foundation
import GitSource
import Governance
import Store
import TestSupport
import Testing

/// A repository with a previous release, a signed release `dp/orders/v1.1.0` and keys for approvers.
final class GateScenario {
    let fixture: GitFixture
    let repo: String
    var keys: [String: String] = [:]
    let allowed: String
    let release = "dp/orders/v1.1.0"
    var revokedFile: String?
    let store: StoreTagObservations

    init(releaseMessage: String = "Add orders\n\nChange-Ticket: CHG-42\n", extraAllowed: String = "") throws {
        fixture = try GitFixture()
        repo = try fixture.makeRepository("product")
        for name in ["rel", "alice", "bob", "carol", "dev", "dave", "erin", "mallory"] {
            keys[name] = try fixture.makeKey(name)
        }
        try fixture.tag(repo, "dp/orders/v1.0.0", key: keys["rel"])
        try fixture.commit(
            repo, message: releaseMessage, files: ["orders.yaml": "v: 2\n"], authorEmail: "dev@bank.example")
        try fixture.tag(repo, release, key: keys["rel"])
        var lines: [String] = []
        for name in ["rel", "alice", "bob", "carol", "dev"] {
            lines.append("\(name)@bank.example namespaces=\"git\" \(try fixture.publicKey(keys[name]!))")
        }
        lines.append("dave@bank.example namespaces=\"file\" \(try fixture.publicKey(keys["dave"]!))")
        lines.append("erin@bank.example valid-before=\"20210101Z\" \(try fixture.publicKey(keys["erin"]!))")
        allowed = try fixture.write("allowed_signers", lines.joined(separator: "\n") + "\n" + extraAllowed)
        store = StoreTagObservations(store: try StateStore(stateDirectory: fixture.path("state")))
    }

    /// `git tag -s approval/prod/<release>/<suffix> <target>` signed by `signer`.
    func approve(
        _ suffix: String, by signer: String?, target: String? = nil, date: String? = nil,
        tagger: (name: String, email: String)? = nil
    ) throws {
        try fixture.tag(
            repo, "approval/prod/\(release)/\(suffix)", target: target ?? release, key: signer.map { keys[$0]! },
            message: "Approved-Env: prod\n", date: date, tagger: tagger)
    }

    var collector: ReleaseFactsCollector {
        get throws {
            ReleaseFactsCollector(
                repository: try Repository(openingAt: repo), repositoryKey: repo, store: store,
                verifier: SignatureVerifier(
                    allowedSigners: try AllowedSigners(contentsOf: allowed),
                    revoked: try revokedFile.map { try RevocationList(contentsOf: $0) }))
        }
    }

    /// Collects the facts of the release from the repository and judges them.
    func evaluate(quorum: Int = 1, trailers: [GateRules.RequiredTrailer] = [], release: String? = nil) throws
        -> ReleaseVerdict
    {
        let facts = try collector.collect(target: "prod", release: release ?? self.release, now: Date())
        return ReleaseGates.judge(
            facts, rules: GateRules(requiredTrailers: trailers, requireSignedRelease: true, quorum: quorum))
    }

    func approval(_ report: ReleaseVerdict, _ suffix: String) -> ReleaseVerdict.Approval? {
        report.approvals.first { $0.tag == "approval/prod/\(release)/\(suffix)" }
    }
}

@Suite("ReleaseFactsCollector")
struct ReleaseFactsCollectorTests {
    @Test("two independent signed approvals, trailer and signed release: every gate passes")
    func allPass() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "alice")
        try scenario.approve("bob", by: "bob")
        let report = try scenario.evaluate(
            quorum: 2, trailers: [GateRules.RequiredTrailer(key: "change-ticket", pattern: "CHG-[0-9]+")])
        #expect(report.passed, "\(report.gates)")
        #expect(report.quorum == ReleaseVerdict.Quorum(required: 2, valid: 2))
        #expect(report.approvals.allSatisfy { $0.valid })
        #expect(scenario.approval(report, "alice")?.principal == "alice@bank.example")
    }

    @Test("a lightweight release tag is refused")
    func lightweightRelease() throws {
        let scenario = try GateScenario()
        try scenario.fixture.git(scenario.repo, "tag", "-d", scenario.release)
        try scenario.fixture.git(scenario.repo, "tag", scenario.release)
        let report = try scenario.evaluate(quorum: 0)
        let gate = report.gates.first { $0.name == "release-tag-annotated" }
        #expect(gate?.passed == false)
        #expect(gate?.reason.contains("lightweight tag") == true)
        #expect(!report.passed)
    }

    @Test("an unsigned approval is refused")
    func unsignedApproval() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: nil)
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "alice")?.valid == false)
        #expect(scenario.approval(report, "alice")?.reason.contains("not signed") == true)
        #expect(report.quorum.valid == 0 && !report.passed)
    }

    @Test("an approval by an unknown key is refused")
    func unknownKey() throws {
        let scenario = try GateScenario()
        try scenario.approve("mallory", by: "mallory")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "mallory")?.reason.contains("is not in the allowed signers") == true)
        #expect(!report.passed)
    }

    @Test("a key not allowed for the git namespace is refused")
    func namespace() throws {
        let scenario = try GateScenario()
        try scenario.approve("dave", by: "dave")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "dave")?.valid == false)
        #expect(scenario.approval(report, "dave")?.reason.contains("not permitted for namespace \"git\"") == true)
    }

    @Test("approvals by the release signer or by an author of the release are refused")
    func fourEyes() throws {
        let scenario = try GateScenario()
        try scenario.approve("rel", by: "rel")
        try scenario.approve("dev", by: "dev")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "rel")?.reason.contains("signed the release") == true)
        #expect(scenario.approval(report, "dev")?.reason.contains("authored commit") == true)
        #expect(report.quorum.valid == 0 && !report.passed)
    }

    @Test("two approvals by one principal count once")
    func duplicatePrincipal() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "alice")
        try scenario.approve("alice-again", by: "alice")
        let report = try scenario.evaluate(quorum: 2)
        #expect(report.quorum == ReleaseVerdict.Quorum(required: 2, valid: 1))
        #expect(report.approvals.filter { $0.valid }.count == 1)
        #expect(report.approvals.contains { $0.reason.contains("counted once") })
        #expect(!report.passed)
    }

    @Test("an approval of another release is refused")
    func otherRelease() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "alice", target: "dp/orders/v1.0.0")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "alice")?.reason.contains("not the tag object") == true)
        #expect(!report.passed)
    }

    @Test("an approval tag re-used under another name is refused")
    func reusedName() throws {
        let scenario = try GateScenario()
        try scenario.approve("bob", by: "bob")
        let bob = try scenario.fixture.git(
            scenario.repo, "rev-parse", "refs/tags/approval/prod/\(scenario.release)/bob")
        try scenario.fixture.git(scenario.repo, "update-ref", "refs/tags/approval/prod/\(scenario.release)/carol", bob)
        let report = try scenario.evaluate(quorum: 2)
        #expect(scenario.approval(report, "carol")?.reason.contains("re-used under another name") == true)
        #expect(scenario.approval(report, "bob")?.valid == true)
        #expect(report.quorum.valid == 1 && !report.passed)
    }

    @Test("a release tag moved after approval is refused")
    func movedRelease() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "alice")
        #expect(try scenario.evaluate().passed)
        try scenario.fixture.commit(scenario.repo, message: "Sneaky change\n", files: ["orders.yaml": "v: 3\n"])
        try scenario.fixture.tag(scenario.repo, scenario.release, key: scenario.keys["rel"], force: true)
        let report = try scenario.evaluate()
        let moved = report.gates.first { $0.name == "release-tag-not-moved" }
        #expect(moved?.passed == false)
        #expect(moved?.reason.contains("moved") == true)
        // The approval binds to the tag object as first seen: it keeps counting, the release stalls as moved.
        #expect(scenario.approval(report, "alice")?.valid == true)
        #expect(report.decision == .stall && report.securityEvent)
        #expect(!report.passed)
    }

    @Test("an expired key with a back-dated tagger date is refused (git verify-tag would accept it)")
    func backDated() throws {
        let scenario = try GateScenario()
        try scenario.approve("erin", by: "erin", date: "2020-06-01T12:00:00Z")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "erin")?.reason.contains("expired") == true)
        let git = try scenario.fixture.run(
            "git",
            [
                "-C", scenario.repo, "-c", "gpg.ssh.allowedSignersFile=\(scenario.allowed)", "verify-tag",
                "approval/prod/\(scenario.release)/erin",
            ], allowFailure: true)
        #expect(git.status == 0, "git judges the self-asserted tagger date: \(git.stderr)")
    }

    @Test("a revoked key is refused")
    func revoked() throws {
        let scenario = try GateScenario()
        scenario.revokedFile = try scenario.fixture.write(
            "revoked", try scenario.fixture.publicKey(scenario.keys["carol"]!) + "\n")
        try scenario.approve("carol", by: "carol")
        let report = try scenario.evaluate()
        #expect(scenario.approval(report, "carol")?.reason.contains("is revoked") == true)
    }

    @Test("a tagger line naming an approver does not make the approver: the signature's principal does")
    func taggerLine() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "rel", tagger: ("Alice", "alice@bank.example"))
        try scenario.approve("alice2", by: "mallory", tagger: ("Alice", "alice@bank.example"))
        let report = try scenario.evaluate()
        let first = scenario.approval(report, "alice")
        #expect(first?.principal == "rel@bank.example")
        #expect(first?.valid == false)
        #expect(first?.reason.contains("signed the release") == true)
        #expect(scenario.approval(report, "alice2")?.valid == false)
        #expect(report.quorum.valid == 0)
    }

    @Test("a required trailer present only in a non-final paragraph is refused")
    func trailerNotFinal() throws {
        let scenario = try GateScenario(releaseMessage: "Add orders\n\nChange-Ticket: CHG-42\n\nSome closing words.\n")
        try scenario.approve("alice", by: "alice")
        let report = try scenario.evaluate(trailers: [GateRules.RequiredTrailer(key: "Change-Ticket")])
        let gate = report.gates.first { $0.name == "trailer:Change-Ticket" }
        #expect(gate?.passed == false)
        #expect(gate?.reason.contains("\"Add orders\" has none") == true)
    }

    @Test("a trailer value not matching the pattern is refused")
    func trailerPattern() throws {
        let scenario = try GateScenario()
        try scenario.approve("alice", by: "alice")
        let report = try scenario.evaluate(trailers: [
            GateRules.RequiredTrailer(key: "Change-Ticket", pattern: "INC-[0-9]+")
        ])
        #expect(report.gates.first { $0.name == "trailer:Change-Ticket" }?.passed == false)
    }

    @Test("the approved release is the one the newest approval reaching the quorum names")
    func approvedRelease() throws {
        let scenario = try GateScenario()
        try scenario.fixture.tag(
            scenario.repo, "approval/prod/dp/orders/v1.0.0/alice", target: "dp/orders/v1.0.0",
            key: scenario.keys["alice"])
        func chosen() throws -> String? {
            let names = try scenario.collector.approvedReleases(target: "prod")
            return ReleaseGates.newestApproved(try names.map { try scenario.evaluate(release: $0) })?.release
        }
        #expect(try scenario.collector.approvedReleases(target: "prod") == ["dp/orders/v1.0.0"])
        #expect(try chosen() == "dp/orders/v1.0.0")
        Thread.sleep(forTimeInterval: 0.01)
        try scenario.approve("bob", by: "bob")
        #expect(try chosen() == "dp/orders/v1.1.0")
    }

    @Test("a merge's range is walked along first parents; authors over every commit")
    func firstParentRange() throws {
        let scenario = try GateScenario()
        let fixture = scenario.fixture
        try fixture.git(scenario.repo, "checkout", "-q", "-b", "topic")
        try fixture.commit(
            scenario.repo, message: "Topic work\n", files: ["t.txt": "t\n"], authorEmail: "topic@bank.example")
        try fixture.git(scenario.repo, "checkout", "-q", "main")
        try fixture.git(scenario.repo, "merge", "-q", "--no-ff", "-m", "Merge topic\n\nChange-Ticket: CHG-50", "topic")
        try fixture.tag(scenario.repo, "dp/orders/v1.2.0", key: scenario.keys["rel"])
        let facts = try scenario.collector.collect(target: "prod", release: "dp/orders/v1.2.0", now: Date())
        #expect(facts.range?.previous == "dp/orders/v1.1.0")
        #expect(facts.range?.commits.map(\.title) == ["Merge topic"])
        #expect(facts.range?.authors["topic@bank.example"] != nil)
    }
}
