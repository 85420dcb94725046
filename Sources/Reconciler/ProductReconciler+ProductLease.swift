import Foundation
import LakegateCore
import OperatorConfig
import Store

extension ProductReconciler {
    /// Where a replica also leases the product under its dataproduct `id`.
    ///
    /// A replica leases a pair under the product's name in lakegate.yaml (known before anything is read); a
    /// person's `lakegate apply` leases it under the `id` of dataproduct.yaml (all it knows). Where the two names
    /// differ, the replica takes the `id` lease as well, from the plan to the end of the apply, so the two still
    /// never change the same pair at once.
    struct ProductLease: Sendable {
        /// The store unfenced: the `id` lease is taken beside the replica's own.
        var store: StateStore
        var holder: String
        var duration: Duration
    }

    /// Runs `work` (plan to apply) under the `id` lease when ``productLease`` is set and `id` is not the configured
    /// name; waits, having planned nothing, while another holder has it.
    func underProductLease(
        _ id: String, context: ReconcileContext,
        _ work:
            @escaping @Sendable (ProductReconciler, ReconcileContext) async throws -> (
                ReconcileResult, ReconcileContext
            )
    ) async throws -> (ReconcileResult, ReconcileContext) {
        guard let productLease, id != product.name else { return try await work(self, context) }
        let target = environment.name
        let outcome = try await PairLease.run(
            store: productLease.store, product: id, target: target, holder: productLease.holder,
            duration: productLease.duration, logger: logger
        ) { _, deadline in
            var job = self
            let (before, after) = (job.beforeOperation, job.afterOperation)
            job.beforeOperation = {
                before?()
                deadline.enforce()
            }
            job.afterOperation = {
                after?()
                deadline.enforce()
            }
            do {
                return Result<(ReconcileResult, ReconcileContext), any Error>.success(try await work(job, context))
            } catch { return .failure(error) }
        }
        guard let outcome else {
            let store = productLease.store
            let holder = try? await Blocking.run {
                try store.leases().first { $0.current && $0.fence.product == id && $0.fence.target == target }?
                    .fence.holder
            }
            let reason =
                "\(id) in \(target) is being worked on by \(holder ?? "another holder") (its lease on the "
                + "dataproduct id); nothing was planned"
            return (.waiting(reason: reason, retryAt: nextPass(after: context.now)), context)
        }
        return try outcome.get()
    }
}
