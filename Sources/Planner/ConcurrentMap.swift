import Dispatch

/// Maps indices to values on every core: a plan compares each resource on its own, and those comparisons are
/// most of its time.
enum ConcurrentMap {
    /// Below this many items the work runs on the calling thread: splitting it costs more than it saves.
    static let minimumCount = 512

    /// `[transform(0), transform(1), …, transform(count - 1)]`, computed in chunks on all cores, in order.
    static func map<T: Sendable>(count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count >= minimumCount else { return (0..<count).map(transform) }
        // More chunks than cores so a slow chunk does not leave a core idle.
        let chunks = 16
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let output = Output(base: base)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (chunk * count / chunks)..<((chunk + 1) * count / chunks) {
                    (output.base + index).initialize(to: transform(index))
                }
            }
            initialized = count
        }
    }
}

extension ConcurrentMap {
    /// The result buffer, shared by the chunks: safe because each chunk initializes its own disjoint range and
    /// `concurrentPerform` returns only when all are done.
    private struct Output<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
    }
}
