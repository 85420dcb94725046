import Foundation

extension ReleaseGates {
    struct JudgedApprovals {
        var approvals: [ReleaseVerdict.Approval]
        var counted: Int
        var approvedAt: Date?
    }

    /// Each approval: annotated, named as its ref, on the release tag object as first seen (so a moved tag keeps
    /// its approvals and is refused as moved, not replaced), signed by an allowed signer, four eyes; one count
    /// per principal. A principal's later re-approval still dates the approval.
    static func judgeApprovals(_ facts: ReleaseFacts, rules: GateRules) -> JudgedApprovals {
        let expected = facts.firstSeen?.object ?? facts.tag?.object
        let releaseSigner = facts.tag.flatMap { $0.signature.valid ? $0.signature.principal : nil }
        var counted: [String: String] = [:]
        var approvals: [ReleaseVerdict.Approval] = []
        var approvedAt: Date?
        for fact in facts.approvals.sorted(by: { $0.firstSeen < $1.firstSeen }) {
            var approval = judgeApproval(
                fact, expected: expected, release: facts.release ?? "", releaseSigner: releaseSigner,
                authors: facts.range?.authors ?? [:], rules: rules)
            if approval.valid, let principal = approval.principal {
                if let earlier = counted[principal] {
                    approval.valid = false
                    approval.repeated = true
                    approval.reason = "\(principal) already approved with \(earlier); counted once"
                } else {
                    counted[principal] = approval.tag
                }
                approvedAt = max(approvedAt ?? .distantPast, fact.firstSeen)
            }
            approvals.append(approval)
        }
        return JudgedApprovals(approvals: approvals, counted: counted.count, approvedAt: approvedAt)
    }

    static func judgeApproval(
        _ fact: ReleaseFacts.ApprovalFacts, expected: String?, release: String, releaseSigner: String?,
        authors: [String: String], rules: GateRules
    ) -> ReleaseVerdict.Approval {
        var approval = ReleaseVerdict.Approval(tag: fact.tag, principal: nil, valid: false, reason: "")
        approval.planDigest = fact.planDigest
        let object = fact.tagObject
        guard object.annotated else {
            approval.reason = "lightweight tag: an approval must be a signed annotated tag"
            return approval
        }
        guard object.name == fact.tag else {
            approval.reason =
                "the tag object is named \(object.name ?? "?"), not \(fact.tag): an approval re-used under another name"
            return approval
        }
        guard object.targetType == "tag", let expected, object.target == expected else {
            approval.reason =
                "approves \(object.targetType ?? "?") \(object.target.map(short) ?? "?"), not the tag object "
                + "\(expected.map(short) ?? "?") of \(release)"
            return approval
        }
        approval.principal = object.signature.principal
        guard object.signature.valid, let principal = object.signature.principal else {
            approval.reason =
                object.signature.signed ? object.signature.reason : "not signed: an approval must be signed"
            return approval
        }
        if let problem = fourEyesProblem(principal, releaseSigner: releaseSigner, authors: authors, rules: rules) {
            approval.reason = problem
            return approval
        }
        approval.valid = true
        approval.reason = object.signature.reason
        return approval
    }

    /// Why `principal` may not approve this release under four eyes, or nil.
    public static func fourEyesProblem(
        _ principal: String, releaseSigner: String?, authors: [String: String], rules: GateRules
    ) -> String? {
        guard rules.fourEyes else { return nil }
        if let releaseSigner, samePrincipal(principal, releaseSigner) {
            return "\(principal) signed the release; an approver must be someone else"
        }
        for email in principal.split(separator: ",").map({ $0.lowercased() }) {
            if let commit = authors[email] {
                return "\(principal) authored commit \(short(commit)) of this release"
            }
        }
        return nil
    }

    /// Whether two principals fields (comma-separated) share a principal, case-insensitively.
    public static func samePrincipal(_ a: String, _ b: String) -> Bool {
        let left = Set(a.lowercased().split(separator: ","))
        return !left.isDisjoint(with: b.lowercased().split(separator: ","))
    }
}
