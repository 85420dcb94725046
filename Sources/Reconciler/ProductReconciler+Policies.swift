import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import OperatorConfig
import Store

extension ProductReconciler {
    /// The environment's policy set from the governance repository of this pass and what it is evaluated on:
    /// the candidate at `commit`, with `prev` the commit this environment runs (before any deployment, the
    /// previous release). Blocking.
    func policyFacts(commit: ObjectID, release: String?, repository: Repository) throws -> ReleaseFacts.PolicyFacts {
        guard let set = environment.gates.policySet else { return .notRequired }
        let snapshot: GovernanceSnapshot
        switch governance {
        case .success(let loaded)?: snapshot = loaded
        case .failure(let error)?: return .unavailable(set: set, reason: "policy set \(set): \(error)")
        case nil: return .unusable(set: set, reason: "policy set \(set): no governance repository is configured")
        }
        let policies: [Policy]
        switch snapshot.sets[set] {
        case .success(let loaded)?: policies = loaded
        case .failure(let error)?: return .unusable(set: set, reason: error.reason)
        case nil: return .unavailable(set: set, reason: "policy set \(set) was not loaded")
        }
        do {
            let current = try ProductLoader.load(
                GitTreeFileSource(repositoryPath: mirrorPath, revision: commit.hex, prefix: productPrefix))
            let previous = try previousCommit(repository: repository, release: release).map {
                try ProductLoader.load(
                    GitTreeFileSource(repositoryPath: mirrorPath, revision: $0.hex, prefix: productPrefix))
            }
            let inputs = try PolicyTargetInputs(product: current, target: environment.name, previous: previous)
            return .loaded(set: set, commit: snapshot.commit.hex, policies: policies, inputs: inputs)
        } catch let diagnostics as DiagnosticList {
            return .unusable(set: set, reason: "invalid product files: \(Self.summary(diagnostics))")
        }
    }

    /// What consumers have now, for `prev`: the commit deployed to this environment; before the first
    /// deployment, the previous release (nil when there is none).
    func previousCommit(repository: Repository, release: String?) throws -> ObjectID? {
        if let deployed = try store.deployment(product: product.name, target: environment.name),
            let commit = ObjectID(hex: deployed.commit)
        {
            return commit
        }
        guard let release, let previous = try repository.previousRelease(of: release) else { return nil }
        return try repository.peelToCommit(previous.object)
    }

    static func summary(_ diagnostics: DiagnosticList) -> String {
        diagnostics.diagnostics.prefix(3).map(\.description).joined(separator: "; ")
    }
}
