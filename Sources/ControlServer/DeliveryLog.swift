import Foundation
import Synchronization

/// Webhook deliveries seen recently, by delivery id and by payload digest, so a replayed delivery schedules
/// nothing. The delivery id header is not covered by the signature, so the digest catches a replay with a
/// fresh id; the window and the size cap bound memory.
final class DeliveryLog: Sendable {
    private struct State {
        var seen: [String: Date] = [:]
        var order: [(key: String, at: Date)] = []
    }

    private let state = Mutex(State())
    let window: TimeInterval
    let capacity: Int

    init(window: TimeInterval, capacity: Int = 10_000) {
        self.window = window
        self.capacity = capacity
    }

    /// Records `keys` (non-empty ones) at `now`; returns false when any was already seen within the window.
    func admit(_ keys: [String], now: Date = Date()) -> Bool {
        let keys = keys.filter { !$0.isEmpty }
        return state.withLock { state in
            let horizon = now.addingTimeInterval(-window)
            // Expire the oldest first; `order` is in arrival order.
            var expired = 0
            while expired < state.order.count,
                state.order[expired].at < horizon || state.order.count - expired > capacity
            {
                let old = state.order[expired]
                if state.seen[old.key] == old.at { state.seen[old.key] = nil }
                expired += 1
            }
            if expired > 0 { state.order.removeFirst(expired) }
            if keys.contains(where: { state.seen[$0] != nil }) { return false }
            for key in keys {
                state.seen[key] = now
                state.order.append((key, now))
            }
            return true
        }
    }
}
