import Foundation
import Governance
import LakegateCore
import Testing

/// The pure governance verdict, one gate at a time, on hand-made facts.
@Suite struct ReleaseGatesTests {
    static let tagObject = String(repeating: "a", count: 40)
    static let commit = String(repeating: "c", count: 40)
    static let seen = Date(timeIntervalSince1970: 1_700_000_000)

    static func signature(_ principal: String?, valid: Bool = true) -> SignatureVerdict {
        .init(signed: true, valid: valid, principal: principal, reason: valid ? "good signature" : "unknown key")
    }

    /// A release `v1.1.0` whose tag is signed by the release manager and was first seen where it points.
    static func facts(target: String = "prod") -> ReleaseFacts {
        ReleaseFacts(
            target: target, release: "v1.1.0", commit: commit,
            tag: .init(
                object: tagObject, annotated: true, name: "v1.1.0", targetType: "commit", target: commit,
                signature: signature("rm@example.com")),
            firstSeen: .init(object: tagObject, at: seen, commit: commit),
            range: .init(
                previous: "v1.0.0",
                commits: [
                    .init(id: commit, message: "Release commit\n\nChange-Request: CHG-2\n"),
                    .init(id: String(repeating: "d", count: 40), message: "Fix\n\nChange-Request: CHG-1\n"),
                ], authors: ["dev@example.com": commit]))
    }

    static func approval(_ who: String, at offset: TimeInterval = 0, target: String = tagObject, valid: Bool = true)
        -> ReleaseFacts.ApprovalFacts
    {
        .init(
            tag: "approval/prod/v1.1.0/\(who)",
            tagObject: .init(
                object: String(repeating: "b", count: 40), annotated: true, name: "approval/prod/v1.1.0/\(who)",
                targetType: "tag", target: target, signature: signature("\(who)@example.com", valid: valid)),
            firstSeen: seen.addingTimeInterval(offset))
    }

    static func gate(_ verdict: ReleaseVerdict, _ name: String) -> ReleaseVerdict.Gate? {
        verdict.gates.first { $0.name == name }
    }

    @Test func everyGatePassingProceeds() {
        var facts = Self.facts()
        facts.approvals = [Self.approval("alice")]
        let verdict = ReleaseGates.judge(
            facts,
            rules: GateRules(
                requiredTrailers: [.init(key: "Change-Request", pattern: "CHG-\\d+")], requireSignedRelease: true,
                quorum: 1))
        #expect(verdict.decision == .proceed, "\(verdict.reason)")
        #expect(verdict.quorum == .init(required: 1, valid: 1))
        #expect(verdict.approvedAt == Self.seen)
    }

    @Test func aMovedTagIsASecurityStallAndKeepsItsApprovals() {
        var facts = Self.facts()
        facts.tag?.object = String(repeating: "b", count: 40)
        facts.commit = String(repeating: "e", count: 40)
        facts.approvals = [Self.approval("alice")]
        let verdict = ReleaseGates.judge(facts, rules: GateRules(quorum: 1))
        #expect(verdict.decision == .stall)
        #expect(verdict.securityEvent)
        #expect(
            Self.gate(verdict, "release-tag-not-moved")?.reason.contains("moved: now at commit eeeeeeeeeeee") == true)
        // The approval binds to the tag object as first seen: the quorum still holds, so nothing older wins.
        #expect(verdict.quorum.valid == 1)
        #expect(verdict.reason.hasPrefix("security event: v1.1.0: release-tag-not-moved"))
    }

    @Test func aReSignedTagIsNamedAsSuch() {
        var facts = Self.facts()
        facts.tag?.object = String(repeating: "b", count: 40)
        let verdict = ReleaseGates.judge(facts, rules: GateRules())
        #expect(Self.gate(verdict, "release-tag-not-moved")?.reason.contains("re-signed") == true)
        #expect(verdict.decision == .stall)
    }

    @Test func aDeletedTagIsASecurityStall() {
        var facts = Self.facts()
        facts.tag = nil
        let verdict = ReleaseGates.judge(facts, rules: GateRules())
        #expect(verdict.decision == .stall)
        #expect(verdict.securityEvent)
        #expect(Self.gate(verdict, "release-tag-present")?.reason.contains("was deleted") == true)
    }

    @Test func anUnsignedOrLightweightReleaseIsRefusedWhenSignaturesAreRequired() {
        var facts = Self.facts()
        facts.tag?.signature = Self.signature(nil, valid: false)
        #expect(
            Self.gate(ReleaseGates.judge(facts, rules: GateRules(requireSignedRelease: true)), "release-tag-signed")?
                .passed == false)
        #expect(Self.gate(ReleaseGates.judge(facts, rules: GateRules()), "release-tag-signed")?.passed == true)
        facts.tag = .init(object: Self.tagObject, annotated: false, signature: Self.signature(nil, valid: false))
        let verdict = ReleaseGates.judge(facts, rules: GateRules(requireSignedRelease: true))
        #expect(Self.gate(verdict, "release-tag-annotated")?.passed == false)
        #expect(verdict.decision == .stall)
    }

    @Test func trailersAreRequiredOnEveryCommitOfTheRangeAndEachMissingOneIsNamed() {
        var facts = Self.facts()
        facts.range?.commits += [
            .init(id: String(repeating: "1", count: 40), message: "No ticket\n"),
            .init(id: String(repeating: "2", count: 40), message: "Bad ticket\n\nChange-Request: none\n"),
        ]
        let rules = GateRules(requiredTrailers: [.init(key: "Change-Request", pattern: "CHG-\\d+")])
        let gate = Self.gate(ReleaseGates.judge(facts, rules: rules), "trailer:Change-Request")
        #expect(gate?.passed == false)
        #expect(gate?.reason.contains("2 of 4 commit(s) since v1.0.0") == true, "\(gate?.reason ?? "")")
        #expect(gate?.reason.contains("111111111111 \"No ticket\" has none") == true)
        #expect(gate?.reason.contains("222222222222 \"Bad ticket\" has \"none\"") == true)
        // `scope: release` checks the release commit only.
        let tip = GateRules(requiredTrailers: [.init(key: "Change-Request", pattern: "CHG-\\d+", scope: .release)])
        #expect(Self.gate(ReleaseGates.judge(facts, rules: tip), "trailer:Change-Request")?.passed == true)
    }

    @Test func approvalsNeedQuorumFourEyesAndTheReleaseTagObject() {
        var facts = Self.facts()
        facts.approvals = [
            Self.approval("rm"),  // the release signer
            Self.approval("dev"),  // an author of the range
            Self.approval("eve", target: String(repeating: "f", count: 40)),  // another object
            Self.approval("mallory", valid: false),
            Self.approval("alice"), Self.approval("alice", at: 60),
        ]
        facts.tag?.signature = Self.signature("rm@example.com")
        let verdict = ReleaseGates.judge(facts, rules: GateRules(quorum: 2))
        let reasons = Dictionary(
            uniqueKeysWithValues: verdict.approvals.enumerated().map { ($0.offset, $0.element.reason) })
        #expect(reasons[0]?.contains("signed the release") == true)
        #expect(reasons[1]?.contains("authored commit") == true)
        #expect(reasons[2]?.contains("not the tag object") == true)
        #expect(reasons[3] == "unknown key")
        #expect(reasons[5]?.contains("counted once") == true)
        #expect(verdict.quorum == .init(required: 2, valid: 1))
        #expect(verdict.decision == .wait)
        // A principal's re-approval still dates the approval (how a rollback is asked for).
        #expect(verdict.approvedAt == Self.seen.addingTimeInterval(60))
    }

    @Test func promotionWaitsForTheRequiredEnvironments() {
        var facts = Self.facts()
        facts.promotion = [.init(environment: "qa", converged: false, running: "v1.0.0")]
        let verdict = ReleaseGates.judge(facts, rules: GateRules(requires: ["qa"]))
        #expect(verdict.decision == .wait)
        #expect(verdict.reason.contains("v1.1.0 has not converged in qa (it runs v1.0.0)"))
        facts.promotion = [.init(environment: "qa", converged: true, running: "v1.1.0")]
        #expect(ReleaseGates.judge(facts, rules: GateRules(requires: ["qa"])).decision == .proceed)
    }

    @Test func aTamperedDeployedReleaseIsNeverReplacedByAnOlderOneByItself() {
        var facts = Self.facts()
        facts.deployed = .init(release: "v1.2.0", broken: "was deleted", candidateSupersedes: false)
        let verdict = ReleaseGates.judge(facts, rules: GateRules())
        #expect(verdict.decision == .stall)
        #expect(verdict.securityEvent)
        #expect(
            Self.gate(verdict, "deployed-release-intact")?.reason.contains(
                "v1.2.0, which this environment runs, was deleted") == true)
        facts.deployed?.candidateSupersedes = true
        #expect(ReleaseGates.judge(facts, rules: GateRules()).decision == .proceed)
    }

    static func contract(version: String, column: String) -> JSONValue {
        .object([
            "id": .string("customers"), "version": .string(version),
            "schema": .array([
                .object([
                    "name": .string("customers"), "physicalType": .string("table"),
                    "properties": .array([.object(["name": .string(column), "logicalType": .string("string")])]),
                ])
            ]),
        ])
    }

    @Test func aBreakingChangePassesOnlyWithAMajorVersionBump() {
        var facts = Self.facts()
        let old = ReleaseFacts.ContractSet(
            release: "v1.0.0", contracts: ["c.yaml": Self.contract(version: "1.0.0", column: "phone")])
        facts.contracts = .init(
            candidate: .init(
                release: "v1.1.0", contracts: ["c.yaml": Self.contract(version: "1.1.0", column: "mobile")]),
            references: [old])
        let blocked = ReleaseGates.judge(facts, rules: GateRules())
        #expect(Self.gate(blocked, "contract-integrity")?.passed == false)
        #expect(Self.gate(blocked, "contract-integrity")?.reason.contains("major not bumped") == true)
        #expect(blocked.decision == .stall)
        facts.contracts?.candidate.contracts = ["c.yaml": Self.contract(version: "2.0.0", column: "mobile")]
        let bumped = ReleaseGates.judge(facts, rules: GateRules())
        #expect(Self.gate(bumped, "contract-integrity")?.passed == true)
        #expect(Self.gate(bumped, "contract-integrity")?.reason.contains("major version 1.0.0 → 2.0.0") == true)
        // Going back to a release that ran here before (a rollback) reports the change but does not block it.
        facts.contracts?.candidate.contracts = ["c.yaml": Self.contract(version: "1.1.0", column: "mobile")]
        facts.contracts?.ranHereBefore = true
        let rollback = Self.gate(ReleaseGates.judge(facts, rules: GateRules()), "contract-integrity")
        #expect(rollback?.passed == true)
        #expect(rollback?.reason.contains("ran here before (a rollback)") == true)
        facts.contracts?.ranHereBefore = false
        facts.contracts?.candidate.contracts = [:]
        #expect(
            Self.gate(ReleaseGates.judge(facts, rules: GateRules()), "contract-integrity")?.reason.contains(
                "contract removed") == true)
        facts.contracts?.references = []
        #expect(Self.gate(ReleaseGates.judge(facts, rules: GateRules()), "contract-integrity")?.passed == true)
    }

    @Test func anInvalidCandidateFailsTheValidityCheck() {
        var facts = Self.facts()
        facts.contracts = .init(
            candidate: .init(
                release: "v1.1.0", contracts: [:], problem: "invalid product files: dataproduct.yaml:3:1: …"),
            references: [])
        let verdict = ReleaseGates.judge(facts, rules: GateRules())
        #expect(Self.gate(verdict, "product-valid")?.passed == false)
        #expect(Self.gate(verdict, "contract-integrity") == nil)
        #expect(verdict.decision == .stall)
    }

    @Test func aPolicySetThatCannotBeReadStallsOrFails() {
        var facts = Self.facts()
        facts.policies = .unusable(set: "prod", reason: "policy set 'prod' not found")
        #expect(ReleaseGates.judge(facts, rules: GateRules()).decision == .stall)
        facts.policies = .unavailable(set: "prod", reason: "governance repository unreachable")
        #expect(ReleaseGates.judge(facts, rules: GateRules()).decision == .fail)
    }

    @Test func theNewestApprovalReachingQuorumNamesTheRelease() {
        func verdict(_ release: String, approvedAt: Date?, valid: Int) -> ReleaseVerdict {
            ReleaseVerdict(
                target: "prod", release: release, commit: nil, gates: [], approvals: [],
                quorum: .init(required: 1, valid: valid), decision: .proceed, reason: "", securityEvent: false,
                approvedAt: approvedAt)
        }
        let older = verdict("v1.0.0", approvedAt: Self.seen.addingTimeInterval(100), valid: 1)
        let newer = verdict("v1.1.0", approvedAt: Self.seen, valid: 1)
        let unapproved = verdict("v1.2.0", approvedAt: nil, valid: 0)
        #expect(ReleaseGates.newestApproved([newer, older, unapproved])?.release == "v1.0.0")
        #expect(ReleaseGates.newestApproved([unapproved]) == nil)
    }
}
