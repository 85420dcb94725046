import Dispatch

extension Array where Element: Sendable {
    /// `map` with the elements spread over every core; results keep the order of the elements.
    ///
    /// For CPU-bound work on independent elements (parsing and checking files, comparing resources). The
    /// caller's thread takes part and is blocked until every element is done.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        // Contiguous chunks, more of them than cores so a slow chunk does not leave a core idle.
        let chunks = Swift.min(count, 64)
        let total = count
        return [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            let output = ConcurrentMapOutput(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (chunk * total / chunks)..<((chunk + 1) * total / chunks) {
                    (output.base + index).initialize(to: transform(self[index]))
                }
            }
            initialized = total
        }
    }
}

/// The result buffer shared by the chunks: safe because each chunk initializes its own disjoint range and
/// `concurrentPerform` returns only when all are done.
private struct ConcurrentMapOutput<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
