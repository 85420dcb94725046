import Synchronization

/// This replica's own view of when its lease on a pair runs out, on the monotonic clock.
///
/// Measured from just before the acquiring (or renewing) request was sent, so it never ends later than the
/// database's expiry. Checked before and after every workspace operation: a replica (or a CLI apply) that was
/// paused (SIGSTOP, a long GC pause, a frozen VM) past its lease cancels its work before the next operation,
/// without waiting for a round trip to the database.
public final class LeaseDeadline: Sendable {
    private let state: Mutex<(deadline: ContinuousClock.Instant, cancel: (@Sendable () -> Void)?)>

    init(_ deadline: ContinuousClock.Instant) {
        state = Mutex((deadline, nil))
    }

    /// The work to cancel when the deadline passes.
    func attach<Value>(_ task: Task<Value, Never>) {
        state.withLock { $0.cancel = { task.cancel() } }
    }

    /// Moves the deadline after a successful renewal.
    func extend(to deadline: ContinuousClock.Instant) {
        state.withLock { $0.deadline = max($0.deadline, deadline) }
    }

    /// Cancels the work now (the lease was lost).
    func cancel() {
        state.withLock { $0.cancel }?()
    }

    /// Cancels the work when the deadline has passed; called before and after each workspace operation.
    public func enforce() {
        let (deadline, cancel) = state.withLock { ($0.deadline, $0.cancel) }
        if ContinuousClock.now >= deadline { cancel?() }
    }
}
