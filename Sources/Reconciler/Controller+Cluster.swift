import Foundation
import LakegateCore
import Logging
import OperatorConfig
import Store

extension Controller {
    /// Runs `job` under its lease when this replica is one of several: nil when another replica holds the pair.
    ///
    /// The lease is renewed every third of its duration while the reconcile runs; when a renewal fails (the
    /// replica was paused or cut off past the expiry, and another may have taken over) the reconcile is cancelled
    /// at once. Its writes carry the fencing token anyway, so one that still reaches the database is refused.
    nonisolated static func reconcileUnderLease(
        _ job: ProductReconciler, cluster: ClusterMember, logger: Logger
    ) async -> ProductStatus? {
        let (product, target) = (job.product.name, job.environment.name)
        do {
            return try await PairLease.run(
                store: cluster.store, product: product, target: target, holder: cluster.replicaID,
                duration: cluster.leaseDuration, logger: logger
            ) { fenced, deadline in
                var job = job
                job.store = fenced
                job.productLease = .init(
                    store: cluster.store, holder: cluster.replicaID, duration: cluster.leaseDuration)
                let afterOperation = job.afterOperation
                job.afterOperation = {
                    afterOperation?()
                    deadline.enforce()
                }
                // Also before each operation: a replica paused between two operations sends nothing once it resumes.
                job.beforeOperation = { deadline.enforce() }
                return await job.reconcile()
            }
        } catch {
            logger.error(
                "taking the lease failed",
                metadata: ["product": "\(product)", "target": "\(target)", "error": "\(error)"])
            return nil
        }
    }

    /// The watched repository a webhook URL names, as configured.
    func configuredRepository(_ url: String) -> String? {
        config.products.first { Self.sameRepository($0.repo, url) }?.repo
    }
}
