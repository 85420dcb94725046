import Governance
import Testing

/// `ReleaseGates.planBinding`: only valid approvals (re-approvals included) of exactly this plan count, once per
/// principal, against the quorum.
@Suite struct PlanBindingTests {
    static let planA = "sha256:" + String(repeating: "a", count: 64)
    static let planB = "sha256:" + String(repeating: "b", count: 64)

    static func approval(_ who: String, _ plan: String?, valid: Bool = true, repeated: Bool = false)
        -> ReleaseVerdict.Approval
    {
        var approval = ReleaseVerdict.Approval(
            tag: "approval/prod/v1.0.0/\(who)", principal: who, valid: valid, reason: "")
        approval.planDigest = plan
        approval.repeated = repeated
        return approval
    }

    @Test func aQuorumOfThisPlanBindsIt() {
        let binding = ReleaseGates.planBinding(
            approvals: [Self.approval("alice", Self.planA), Self.approval("bob", Self.planA)], plan: Self.planA,
            quorum: 2)
        #expect(binding.bound && binding.approvals == 2)
    }

    @Test func approvalsOfAnotherPlanOrOfNoPlanDoNotCount() {
        let binding = ReleaseGates.planBinding(
            approvals: [Self.approval("alice", Self.planB), Self.approval("bob", nil)], plan: Self.planA, quorum: 1)
        #expect(!binding.bound && binding.approvals == 0)
        #expect(binding.reason.hasPrefix("plan changed since approval: 0 of 1 approval(s) are of plan \(Self.planA)"))
        #expect(binding.reason.contains("approved: \(Self.planB)"))
        let none = ReleaseGates.planBinding(approvals: [Self.approval("bob", nil)], plan: Self.planA, quorum: 1)
        #expect(none.reason.contains("no approval records a plan"))
    }

    @Test func invalidApprovalsAndRepeatsOfOnePrincipalCountOnceAtMost() {
        let binding = ReleaseGates.planBinding(
            approvals: [
                Self.approval("mallory", Self.planA, valid: false),
                Self.approval("alice", Self.planB),
                Self.approval("alice", Self.planA, valid: false, repeated: true),
                Self.approval("Alice", Self.planA, valid: false, repeated: true),
            ], plan: Self.planA, quorum: 2)
        #expect(!binding.bound && binding.approvals == 1)
        #expect(binding.counted.map(\.tag) == ["approval/prod/v1.0.0/alice"])
    }
}
