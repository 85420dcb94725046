import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import OperatorConfig
import Store

extension ProductReconciler {
    /// The policy gate of a selected revision: the environment's policy set from the governance repository
    /// when it names one, else the built-in contract-integrity check on releases.
    func withPolicyGate(_ result: SelectionResult, repository: Repository) throws -> SelectionResult {
        guard let set = environment.gates.policySet else { return try withContractGate(result, repository: repository) }
        guard case .ready(var selection) = result else { return result }
        let subject = selection.release ?? selection.commit.short
        let snapshot: GovernanceSnapshot
        switch governance {
        case .success(let loaded)?: snapshot = loaded
        case .failure(let error)?:
            return .notReady(.failed, "policy set \(set): \(error)", selection.gates, release: selection.release)
        case nil:
            return .notReady(
                .stalled, "policy set \(set): no governance repository is configured", selection.gates,
                release: selection.release)
        }
        selection.governanceCommit = snapshot.commit.hex
        let gateName = "policy-set:\(set)"
        let policies: [Policy]
        switch snapshot.sets[set] {
        case .success(let loaded)?: policies = loaded
        case .failure(let error)?:
            selection.gates.append(.init(name: gateName, passed: false, reason: error.reason))
            return .blocked(selection, "\(subject): \(error.reason)")
        case nil:
            return .notReady(.failed, "policy set \(set) was not loaded", selection.gates, release: selection.release)
        }

        let prefix = product.path == "." ? "" : product.path
        let inputs: PolicyTargetInputs
        do {
            let current = try ProductLoader.load(
                GitTreeFileSource(repositoryPath: mirrorPath, revision: selection.commit.hex, prefix: prefix))
            let previous = try previousCommit(repository: repository, selection: selection).map {
                try ProductLoader.load(GitTreeFileSource(repositoryPath: mirrorPath, revision: $0.hex, prefix: prefix))
            }
            inputs = try PolicyTargetInputs(product: current, target: environment.name, previous: previous)
        } catch let diagnostics as DiagnosticList {
            return .blocked(selection, "\(subject): invalid product files: \(Self.summary(diagnostics))")
        }
        let report = PolicyEvaluator(policies: policies).check(inputs)
        selection.policyReportDigest = SHA256Digest.hex(of: PolicyReport(targets: [report]).jsonValue.canonicalJSON)
        let blocking = report.results.filter { isBlocking($0) }
        var blockedIDs: [String] = []
        for result in blocking where !blockedIDs.contains(result.policy) { blockedIDs.append(result.policy) }
        let at = "\(set)@\(snapshot.commit.short)"
        selection.gates.append(
            .init(
                name: gateName, passed: blocking.isEmpty,
                reason: blocking.isEmpty
                    ? "\(report.results.count) result(s) at \(at), none blocking at \(environment.gates.blockingSeverity)"
                    : "\(blockedIDs.count) blocking polic(ies) at \(at): \(blockedIDs.joined(separator: ", "))"))
        for id in blockedIDs {
            let results = blocking.filter { $0.policy == id }
            let reason = results.prefix(3).map { "\($0.subject): \($0.outcome.rawValue): \($0.message)" }
            selection.gates.append(.init(name: "policy:\(id)", passed: false, reason: reason.joined(separator: "; ")))
        }
        guard blocking.isEmpty else {
            return .blocked(selection, "\(subject): blocked by policy \(blockedIDs.joined(separator: ", ")) (\(at))")
        }
        return .ready(selection)
    }

    /// Blocking here: an enabled policy that failed or errored with a severity at or above the environment's
    /// `blockingSeverity` (grace, deprecated and draft policies never block).
    func isBlocking(_ result: PolicyResult) -> Bool {
        guard result.outcome != .pass, result.policyStatus == .enabled,
            let severity = OperatorConfig.Severity(rawValue: result.severity.rawValue)
        else { return false }
        return severity >= environment.gates.blockingSeverity
    }

    /// What consumers have now, for `prev` and contract integrity: the commit deployed to this environment;
    /// before the first deployment, the release tag before the selected one (nil when there is none).
    func previousCommit(repository: Repository, selection: Selection) throws -> ObjectID? {
        if let deployed = try store.deployment(product: product.name, target: environment.name),
            let commit = ObjectID(hex: deployed.commit)
        {
            return commit
        }
        guard let release = selection.release else { return nil }
        let releases = try repository.releaseTags(prefix: product.releaseTagPrefix)
        guard let index = releases.firstIndex(where: { $0.name == release }), index > 0 else { return nil }
        return try repository.peelToCommit(releases[index - 1].object)
    }

    static func summary(_ diagnostics: DiagnosticList) -> String {
        diagnostics.diagnostics.prefix(3).map(\.description).joined(separator: "; ")
    }
}
