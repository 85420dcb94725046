import Synchronization

/// Bounds how many unauthenticated requests (webhook deliveries) are read at once; the rest are turned away with
/// 503 at once instead of queueing, so memory stays flat under a flood.
final class AdmissionGate: Sendable {
    private let inFlight = Mutex(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all are in use.
    func enter() -> Bool {
        inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        inFlight.withLock { $0 -= 1 }
    }
}
