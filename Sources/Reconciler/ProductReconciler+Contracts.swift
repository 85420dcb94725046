import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore
import OperatorConfig
import Store

extension ProductReconciler {
    /// The contracts of the candidate and of every release consumers have now: the one this environment runs and
    /// those its required environments run; before any deployment, the previous release. Blocking.
    func contractFacts(release: String, commit: ObjectID, repository: Repository) throws -> ReleaseFacts.ContractFacts {
        var references: [(release: String, commit: String)] = []
        for target in [environment.name] + environment.requires {
            guard let deployed = try store.deployment(product: product.name, target: target),
                let name = deployed.release, !references.contains(where: { $0.release == name })
            else { continue }
            references.append((name, deployed.commit))
        }
        if references.isEmpty, let previous = try repository.previousRelease(of: release) {
            references.append((previous.name, try repository.peelToCommit(previous.object).hex))
        }
        return .init(
            candidate: contracts(release: release, commit: commit.hex),
            references: references.map { contracts(release: $0.release, commit: $0.commit, reference: true) },
            ranHereBefore: try store.converged(
                product: product.name, target: environment.name, release: release, commit: commit.hex))
    }

    /// The contracts of the product at `commit`, or why they cannot be read. A reference release that holds no
    /// product yet (a new product in a monorepo) has no contracts to break.
    private func contracts(release: String, commit: String, reference: Bool = false) -> ReleaseFacts.ContractSet {
        do {
            let source = try GitTreeFileSource(repositoryPath: mirrorPath, revision: commit, prefix: productPrefix)
            if reference, (try? source.read("dataproduct.yaml")) == nil, (try? source.read("databricks.yml")) == nil {
                return .init(release: release, contracts: [:])
            }
            let loaded = try ProductLoader.load(source)
            return .init(
                release: release,
                contracts: Dictionary(loaded.contracts.map { ($0.path, $0.json) }, uniquingKeysWith: { a, _ in a }))
        } catch let diagnostics as DiagnosticList {
            return .init(
                release: release, contracts: [:], problem: "invalid product files: \(Self.summary(diagnostics))")
        } catch {
            return .init(
                release: release, contracts: [:], problem: "cannot read the product at \(commit.prefix(12)): \(error)")
        }
    }

    /// The product's folder inside the repository, as the file sources take it.
    var productPrefix: String { product.path == "." ? "" : product.path }
}
