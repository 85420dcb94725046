import Databricks
import Foundation
import GitSource
import Governance
import LakegateCore
import Logging
import OperatorConfig

extension Controller {
    /// One ref listing of the governance repository per pass (a fetch only when it moved), then the policy sets
    /// the environments name, loaded at the commit of the configured ref. Nil when no environment has a
    /// policy set; a failure is reported for those environments only.
    func pollGovernance(mirrors: String, now: Date) async -> Result<GovernanceSnapshot, ControllerError>? {
        let sets = Set(config.environments.compactMap(\.gates.policySet))
        guard let governance = config.governance, !sets.isEmpty else { return nil }
        do {
            let mirror = GitMirror(
                url: governance.repo, stateDirectory: mirrors, credentials: try gitCredentials(governance.credentials))
            let result = try await mirror.poll(store: nil, now: now)
            metrics.recordGitRequest("ls-remote")
            if result.changed { metrics.recordGitRequest("fetch") }
            return .success(
                try await Blocking.run {
                    try GovernanceSnapshot.load(
                        mirrorPath: mirror.path, repository: governance.repo, ref: governance.ref,
                        path: governance.path, sets: sets)
                })
        } catch let error as ControllerError {
            logger.error("governance poll failed", metadata: ["repo": "\(governance.repo)", "error": "\(error)"])
            return .failure(error)
        } catch {
            logger.error("governance poll failed", metadata: ["repo": "\(governance.repo)", "error": "\(error)"])
            return .failure(ControllerError("governance repository \(governance.repo): \(error)"))
        }
    }

    /// The governance verdict `serve` reaches for `product` in `target` now: the product's repository and the
    /// governance repository are polled into the controller's mirrors first, then the same selection runs.
    /// `release` judges that release instead of the one the environment would select.
    public func verdict(product name: String, target: String, release: String? = nil, now: Date = Date())
        async throws -> ReleaseVerdict
    {
        let (product, environment) = try lookup(product: name, target: target)
        let mirror = try await polledMirror(of: product, now: now)
        let governance = await pollGovernance(mirrors: mirrorsDirectory, now: now)
        let reconciler = ProductReconciler(
            product: product, environment: environment, mirrorPath: mirror.path, repositoryKey: product.repo,
            store: store, databricks: DatabricksConfig(values: ["host": environment.workspace.host]), logger: logger,
            metrics: metrics, governance: governance)
        let mirrorPath = mirror.path
        return try await Blocking.run {
            try reconciler.evaluate(repository: try Repository(openingAt: mirrorPath), release: release, now: now)
        }
    }

    /// The policy set `environment` names, read from the governance repository as serve reads it this pass; nil
    /// for `policySet: none`.
    public func policySet(for environment: String, now: Date = Date()) async throws -> PolicySet? {
        guard let set = config.environment(environment)?.gates.policySet else { return nil }
        switch await pollGovernance(mirrors: mirrorsDirectory, now: now) {
        case .success(let snapshot)?:
            switch snapshot.sets[set] {
            case .success(let policies)?: return PolicySet(name: set, commit: snapshot.commit.hex, policies: policies)
            case .failure(let error)?: throw ControllerError(error.reason)
            case nil: throw ControllerError("policy set \(set) was not loaded")
            }
        case .failure(let error)?: throw error
        case nil: throw ControllerError("policy set \(set): no governance repository is configured")
        }
    }

    /// Git credentials by reference: the secret is read here and never logged.
    nonisolated func gitCredentials(_ credentials: OperatorConfig.GitCredentials?) throws -> GitSource.GitCredentials {
        switch credentials {
        case nil:
            return GitSource.GitCredentials()
        case .token(let reference, let username):
            return GitSource.GitCredentials(token: try resolveSecret(reference), username: username)
        case .ssh(let keyFile, let knownHostsFile):
            return GitSource.GitCredentials(sshKeyPath: keyFile, knownHostsPath: knownHostsFile)
        }
    }
}
