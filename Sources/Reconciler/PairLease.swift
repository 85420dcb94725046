import Foundation
import LakegateCore
import Logging
import Store

/// Work on one product × environment under its lease in the shared state: `serve` replicas reconcile this way,
/// and so does `lakegate apply` on PostgreSQL state, so a person's apply and a replica never write to the same
/// pair at once.
public enum PairLease {
    /// Takes the lease on `product` in `target` for `holder`, runs `work` with the store fenced by it and the
    /// local deadline of the lease, and gives the lease up afterwards; nil when another holder's lease is current
    /// (`work` is not run).
    ///
    /// The lease is renewed every third of `duration` while `work` runs; when a renewal fails (the holder was
    /// paused or cut off past the expiry, and another may have taken over) `work` is cancelled at once, as it is
    /// when `deadline.enforce()` finds the local deadline passed. Writes through the fenced store carry the
    /// fencing token, so one that still reaches the database after that is refused.
    ///
    /// - Throws: the database's error when the lease cannot be asked for.
    public static func run<Value: Sendable>(
        store: StateStore, product: String, target: String, holder: String, duration: Duration, logger: Logger,
        _ work: @escaping @Sendable (_ fenced: StateStore, _ deadline: LeaseDeadline) async -> Value
    ) async throws -> Value? {
        let requested = ContinuousClock.now
        guard
            let fence = try await Blocking.run({
                try store.acquireLease(product: product, target: target, holder: holder, duration: duration)
            })
        else { return nil }
        let deadline = LeaseDeadline(requested + duration)
        let fenced = store.fenced(by: fence)
        // Unstructured, so that a lost lease can cancel it from the renewer and from `enforce()`.
        let task = Task { await work(fenced, deadline) }
        deadline.attach(task)
        let renewer = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: duration / 3)
                if Task.isCancelled { return }
                let sent = ContinuousClock.now
                let renewed = (try? await Blocking.run { try store.renewLease(fence, duration: duration) }) ?? false
                guard renewed else {
                    logger.warning(
                        "lease lost: stopping this work; its writes are refused",
                        metadata: ["product": "\(product)", "target": "\(target)", "token": "\(fence.token)"])
                    deadline.cancel()
                    return
                }
                deadline.extend(to: sent + duration)
            }
        }
        let value = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        renewer.cancel()
        _ = try? await Blocking.run { try store.releaseLease(fence) }
        return value
    }
}
