import Foundation
import GitSource
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
