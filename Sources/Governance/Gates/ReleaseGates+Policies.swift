import Foundation
import LakegateCore

extension ReleaseGates {
    struct PolicyGates {
        var gates: [ReleaseVerdict.Gate]
        var digest: String?
        var commit: String?
    }

    /// The environment's policy set: one gate for the set, one per blocking policy.
    static func policyGates(_ facts: ReleaseFacts.PolicyFacts, rules: GateRules) -> PolicyGates {
        switch facts {
        case .notRequired:
            return PolicyGates(gates: [], digest: nil, commit: nil)
        case .unusable(let set, let reason):
            return PolicyGates(
                gates: [.init(name: "policy-set:\(set)", passed: false, reason: reason)], digest: nil, commit: nil)
        case .unavailable(let set, let reason):
            return PolicyGates(
                gates: [.init(name: "policy-set:\(set)", passed: false, reason: reason, failure: .unavailable)],
                digest: nil, commit: nil)
        case .loaded(let set, let commit, let policies, let inputs):
            let report = PolicyEvaluator(policies: policies).check(inputs)
            let digest = SHA256Digest.hex(of: PolicyReport(targets: [report]).jsonValue.canonicalJSON)
            let blocking = report.results.filter { isBlocking($0, at: rules.blockingSeverity) }
            var ids: [String] = []
            for result in blocking where !ids.contains(result.policy) { ids.append(result.policy) }
            let at = "\(set)@\(commit.prefix(7))"
            var gates: [ReleaseVerdict.Gate] = [
                .init(
                    name: "policy-set:\(set)", passed: blocking.isEmpty,
                    reason: blocking.isEmpty
                        ? "\(report.results.count) result(s) at \(at), none blocking at \(rules.blockingSeverity.rawValue)"
                        : "blocked by policy \(ids.joined(separator: ", ")) (\(at))")
            ]
            for id in ids {
                let reason = blocking.filter { $0.policy == id }.prefix(3)
                    .map { "\($0.subject): \($0.outcome.rawValue): \($0.message)" }
                gates.append(.init(name: "policy:\(id)", passed: false, reason: reason.joined(separator: "; ")))
            }
            return PolicyGates(gates: gates, digest: digest, commit: commit)
        }
    }

    /// An enabled policy that failed or errored at or above `severity` (grace, deprecated, draft never block).
    public static func isBlocking(_ result: PolicyResult, at severity: PolicySeverity) -> Bool {
        let order = PolicySeverity.allCases
        guard result.outcome != .pass, result.policyStatus == .enabled,
            let index = order.firstIndex(of: result.severity), let floor = order.firstIndex(of: severity)
        else { return false }
        return index >= floor
    }
}
