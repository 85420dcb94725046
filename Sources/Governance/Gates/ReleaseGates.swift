import Foundation

/// The one governance verdict: gates of one environment applied to the facts of one candidate release.
///
/// Pure: `serve`, `gates`, `release` and `approve` collect the facts their own way and call ``judge(_:rules:)``.
public enum ReleaseGates {
    /// Every gate's result for `facts` under `rules`, and the decision.
    public static func judge(_ facts: ReleaseFacts, rules: GateRules) -> ReleaseVerdict {
        var gates: [ReleaseVerdict.Gate] = []
        var approvals: [ReleaseVerdict.Approval] = []
        var quorum = ReleaseVerdict.Quorum(required: rules.quorum, valid: 0)
        var approvedAt: Date?
        if let release = facts.release {
            gates += tagGates(facts, release: release, rules: rules)
            gates += trailerGates(facts, rules: rules)
            if rules.quorum > 0 || !facts.approvals.isEmpty {
                let judged = judgeApprovals(facts, rules: rules)
                approvals = judged.approvals
                quorum.valid = judged.counted
                approvedAt = judged.approvedAt
                gates.append(
                    .init(
                        name: "quorum", passed: judged.counted >= rules.quorum,
                        reason: "\(judged.counted) of \(rules.quorum) distinct valid approvals for \(facts.target)",
                        failure: .pending))
            }
            gates += promotionGates(facts, release: release)
            if let deployed = facts.deployed { gates += deployedGate(deployed, release: release) }
            if let contracts = facts.contracts {
                gates.append(validityGate(contracts.candidate))
                if contracts.candidate.problem == nil { gates.append(contractGate(contracts)) }
            }
        }
        let policy = policyGates(facts.policies, rules: rules)
        gates += policy.gates
        var verdict = ReleaseVerdict(
            target: facts.target, release: facts.release, commit: facts.commit, gates: gates, approvals: approvals,
            quorum: quorum, decision: .proceed, reason: "", securityEvent: false, approvedAt: approvedAt,
            policyReportDigest: policy.digest, governanceCommit: policy.commit)
        decide(&verdict)
        return verdict
    }

    /// The decision and its one-line reason: every failing gate, named.
    static func decide(_ verdict: inout ReleaseVerdict) {
        let failing = verdict.failing
        let subject = verdict.release ?? verdict.commit.map { String($0.prefix(12)) } ?? "the candidate"
        verdict.securityEvent = failing.contains { $0.failure == .security }
        if failing.isEmpty {
            verdict.decision = .proceed
            verdict.reason = "\(subject): every gate passed"
            return
        }
        let kinds = Set(failing.compactMap(\.failure))
        let causes: Set<ReleaseVerdict.Failure>
        if kinds.contains(.security) || kinds.contains(.blocking) {
            verdict.decision = .stall
            causes = [.security, .blocking]
        } else if kinds.contains(.unavailable) {
            verdict.decision = .fail
            causes = [.unavailable]
        } else {
            verdict.decision = .wait
            causes = [.pending]
        }
        // The reason names the gates that decided, security causes first; a stall's reason stays the same while
        // pending gates come and go, so it is audited once per cause.
        let order: [ReleaseVerdict.Failure] = [.security, .blocking, .unavailable, .pending]
        let deciding = failing.filter { causes.contains($0.failure!) }
            .sorted { order.firstIndex(of: $0.failure!)! < order.firstIndex(of: $1.failure!)! }
        let prefix = verdict.securityEvent ? "security event: " : ""
        verdict.reason =
            "\(prefix)\(subject): " + deciding.map { "\($0.name): \($0.reason)" }.joined(separator: "; ")
    }

    /// Among the approved candidates of an environment that follows approvals, the one to deploy: the release
    /// named by the newest approval that reaches the quorum (approving an older release anew rolls back to it).
    ///
    /// A candidate whose tag was tampered with still wins when its approval is the newest, so its verdict
    /// stalls instead of falling back to an older release. Nil when no release reaches the quorum.
    public static func newestApproved(_ verdicts: [ReleaseVerdict]) -> ReleaseVerdict? {
        verdicts.filter { $0.quorum.required > 0 && $0.quorum.valid >= $0.quorum.required }
            .max { ($0.approvedAt ?? .distantPast) < ($1.approvedAt ?? .distantPast) }
    }
}
