extension ReleaseGates {
    /// The trailer of an approval tag that records the digest of the plan the approver saw (`gates.bindPlan`).
    public static let planTrailer = "Approved-Plan"

    /// Whether the approvals of a release bind `plan`: with `gates.bindPlan` an approval counts only for the
    /// plan whose digest it records, so a release whose plan changed since it was approved waits for approvals
    /// of the new plan. Distinct principals among the valid approvals (re-approvals included) recording `plan`,
    /// against `quorum`.
    public static func planBinding(approvals: [ReleaseVerdict.Approval], plan: String, quorum: Int) -> PlanBinding {
        var principals: Set<String> = []
        var recorded: Set<String> = []
        var counted: [ReleaseVerdict.Approval] = []
        for approval in approvals where approval.valid || approval.repeated {
            guard let digest = approval.planDigest else { continue }
            recorded.insert(digest)
            if digest == plan, let principal = approval.principal, principals.insert(principal.lowercased()).inserted {
                counted.append(approval)
            }
        }
        let bound = principals.count >= quorum
        let reason: String
        if bound {
            reason = "\(principals.count) of \(quorum) approval(s) are of plan \(plan)"
        } else {
            let others = recorded.subtracting([plan]).sorted()
            reason =
                "plan changed since approval: \(principals.count) of \(quorum) approval(s) are of plan \(plan)"
                + (others.isEmpty
                    ? " (no approval records a plan)"
                    : "; approved: " + others.joined(separator: ", "))
                + "; approve the release again to approve this plan"
        }
        return PlanBinding(bound: bound, approvals: principals.count, counted: counted, reason: reason)
    }

    /// The result of ``planBinding(approvals:plan:quorum:)``.
    public struct PlanBinding: Sendable, Equatable {
        /// Whether a quorum approved this plan.
        public var bound: Bool
        /// Distinct principals that approved this plan.
        public var approvals: Int
        /// The approval that counts for each of them (the first, in the order given).
        public var counted: [ReleaseVerdict.Approval]
        /// Why, in one sentence.
        public var reason: String
    }
}
