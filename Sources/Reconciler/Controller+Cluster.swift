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
        let (store, holder, duration) = (cluster.store, cluster.replicaID, cluster.leaseDuration)
        let (product, target) = (job.product.name, job.environment.name)
        let fence: LeaseFence
        let requested = ContinuousClock.now
        do {
            guard
                let acquired = try await Blocking.run({
                    try store.acquireLease(product: product, target: target, holder: holder, duration: duration)
                })
            else { return nil }
            fence = acquired
        } catch {
            logger.error(
                "taking the lease failed",
                metadata: ["product": "\(product)", "target": "\(target)", "error": "\(error)"])
            return nil
        }
        let deadline = LeaseDeadline(requested + duration)
        var job = job
        job.store = store.fenced(by: fence)
        let afterOperation = job.afterOperation
        job.afterOperation = {
            afterOperation?()
            deadline.enforce()
        }
        // Also before each operation: a replica paused between two operations sends nothing once it resumes.
        job.beforeOperation = { deadline.enforce() }
        let fenced = job
        // Unstructured, so that a lost lease can cancel it from the renewer and from `enforce()`.
        let reconcile = Task { await fenced.reconcile() }
        deadline.attach(reconcile)
        let renewer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: duration / 3)
                if Task.isCancelled { return }
                let sent = ContinuousClock.now
                let renewed = (try? await Blocking.run { try store.renewLease(fence, duration: duration) }) ?? false
                guard renewed else {
                    logger.warning(
                        "lease lost: stopping this reconcile; its writes are refused",
                        metadata: ["product": "\(product)", "target": "\(target)", "token": "\(fence.token)"])
                    deadline.cancel()
                    return
                }
                deadline.extend(to: sent + duration)
            }
        }
        let status = await withTaskCancellationHandler {
            await reconcile.value
        } onCancel: {
            reconcile.cancel()
        }
        renewer.cancel()
        _ = try? await Blocking.run { try store.releaseLease(fence) }
        return status
    }

    /// The watched repository a webhook URL names, as configured.
    func configuredRepository(_ url: String) -> String? {
        config.products.first { Self.sameRepository($0.repo, url) }?.repo
    }
}
