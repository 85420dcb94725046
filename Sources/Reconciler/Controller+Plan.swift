import Databricks
import Foundation
import GitSource
import LakegateCore
import OperatorConfig
import Store
import Sync

extension Controller {
    /// The plan `serve` would run for `release` of `product` in `target` now: the repository is polled into
    /// the controller's mirror, the release's commit loaded and planned against the environment's workspace with
    /// its credentials, rules and the controller's inventory, by the same steps a reconcile takes. What
    /// `lakegate approve` records for `gates.bindPlan`.
    ///
    /// - Throws: ``ControllerError`` when the product, environment or release is unknown; load, read and plan
    ///   errors otherwise.
    public func plan(product name: String, target: String, release: String, now: Date = Date()) async throws
        -> PlanSession
    {
        let (product, environment) = try lookup(product: name, target: target)
        let mirror = try await polledMirror(of: product, now: now)
        let reconciler = ProductReconciler(
            product: product, environment: environment, mirrorPath: mirror.path, repositoryKey: product.repo,
            store: store, databricks: try databricksConfig(for: environment), logger: logger, metrics: metrics,
            pollInterval: config.poll.interval, connector: connector)
        let mirrorPath = mirror.path
        let (repository, commit) = try await Blocking.run { () -> (MirrorRepository, ObjectID) in
            let repository = try MirrorRepository(openingAt: mirrorPath)
            let commit = try repository.read { repository -> ObjectID in
                guard let tag = try repository.reference("refs/tags/\(release)") else {
                    throw ControllerError("no release tag \(release) in \(product.repo)")
                }
                return try repository.peelToCommit(tag)
            }
            return (repository, commit)
        }
        let selection = ProductReconciler.Selection(
            release: release, tagObject: nil, commit: commit, gates: [], approvals: [])
        var context = ReconcileContext(now: now, started: now, deployed: nil, hold: nil)
        context.repository = repository
        context.selection = selection
        return try await reconciler.plan(try await reconciler.load(selection, context: context), context: &context)
    }
}
