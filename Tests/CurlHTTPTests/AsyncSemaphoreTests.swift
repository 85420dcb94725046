import CurlHTTP
import Synchronization
import Testing

@Suite struct AsyncSemaphoreTests {
    final class Gauge: Sendable {
        let current = Atomic<Int>(0)
        let peak = Atomic<Int>(0)

        func enter() {
            let now = current.add(1, ordering: .sequentiallyConsistent).newValue
            var seen = peak.load(ordering: .sequentiallyConsistent)
            while now > seen {
                let (exchanged, original) = peak.compareExchange(
                    expected: seen, desired: now, ordering: .sequentiallyConsistent)
                if exchanged { break }
                seen = original
            }
        }

        func leave() { current.subtract(1, ordering: .sequentiallyConsistent) }
    }

    @Test func boundsConcurrency() async throws {
        let semaphore = AsyncSemaphore(value: 3)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await semaphore.withPermit {
                        gauge.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(gauge.peak.load(ordering: .sequentiallyConsistent) <= 3)
        #expect(gauge.peak.load(ordering: .sequentiallyConsistent) >= 1)
        #expect(gauge.current.load(ordering: .sequentiallyConsistent) == 0)
    }
}
