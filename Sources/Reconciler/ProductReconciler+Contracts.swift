import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore

extension ProductReconciler {
    /// The built-in contract-integrity policy: no breaking change (consumer perspective) between the release
    /// consumers have now and this one, matched by contract file. "Now" is the release deployed to this
    /// environment; before the first deployment, the previous release tag.
    func contractGate(
        repository: Repository, release: String, commit: ObjectID, deployedRelease: String?
    ) throws -> ProductStatus.GateVerdict {
        let releases = try repository.releaseTags(prefix: product.releaseTagPrefix)
        let previous: ReleaseTag
        if let deployedRelease, let deployed = releases.first(where: { $0.name == deployedRelease }) {
            guard deployedRelease != release else {
                return .init(name: "contract-integrity", passed: true, reason: "\(release) is the deployed release")
            }
            previous = deployed
        } else if let index = releases.firstIndex(where: { $0.name == release }), index > 0 {
            previous = releases[index - 1]
        } else {
            return .init(name: "contract-integrity", passed: true, reason: "first release: nothing to compare with")
        }
        let prefix = product.path == "." ? "" : product.path
        let before = try ProductLoader.load(
            GitTreeFileSource(
                repositoryPath: mirrorPath, revision: try repository.peelToCommit(previous.object).hex, prefix: prefix))
        let after = try ProductLoader.load(
            GitTreeFileSource(repositoryPath: mirrorPath, revision: commit.hex, prefix: prefix))
        var problems: [String] = []
        for contract in after.contracts {
            guard let old = before.contracts.first(where: { $0.path == contract.path }) else { continue }
            let report = ContractDiff.compare(old: old.json, new: contract.json, perspective: .consumer)
            for change in report.changes where change.level == .error {
                problems.append("\(contract.path): \(change.path) \(change.kind.rawValue) (\(change.rule))")
            }
        }
        for old in before.contracts where !after.contracts.contains(where: { $0.path == old.path }) {
            problems.append("\(old.path): contract removed")
        }
        if problems.isEmpty {
            return .init(name: "contract-integrity", passed: true, reason: "no breaking change since \(previous.name)")
        }
        return .init(
            name: "contract-integrity", passed: false,
            reason: "breaking changes since \(previous.name): " + problems.prefix(5).joined(separator: "; "))
    }
}
