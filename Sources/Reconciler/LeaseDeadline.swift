import Synchronization

/// This replica's own view of when its lease on a pair runs out, on the monotonic clock.
///
/// Measured from just before the acquiring (or renewing) request was sent, so it never ends later than the
/// database's expiry. Checked after every workspace operation: a replica that was paused (SIGSTOP, a long GC
/// pause, a frozen VM) past its lease cancels its reconcile before the next operation, without waiting for a
/// round trip to the database.
final class LeaseDeadline: Sendable {
    private let state: Mutex<(deadline: ContinuousClock.Instant, task: Task<ProductStatus, Never>?)>

    init(_ deadline: ContinuousClock.Instant) {
        state = Mutex((deadline, nil))
    }

    /// The reconcile to cancel when the deadline passes.
    func attach(_ task: Task<ProductStatus, Never>) {
        state.withLock { $0.task = task }
    }

    /// Moves the deadline after a successful renewal.
    func extend(to deadline: ContinuousClock.Instant) {
        state.withLock { $0.deadline = max($0.deadline, deadline) }
    }

    /// Cancels the reconcile now (the lease was lost).
    func cancel() {
        state.withLock { $0.task }?.cancel()
    }

    /// Cancels the reconcile when the deadline has passed; called after each workspace operation.
    func enforce() {
        let (deadline, task) = state.withLock { ($0.deadline, $0.task) }
        if ContinuousClock.now >= deadline { task?.cancel() }
    }
}
