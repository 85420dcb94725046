import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `map` with the elements spread over every core; results keep the order of the elements.
    ///
    /// For CPU-bound work on independent elements (parsing and checking files). The caller's thread takes part
    /// and is blocked until every element is done.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let results = Mutex<[T?]>(Array<T?>(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let value = transform(self[index])
            results.withLock { $0[index] = value }
        }
        return results.withLock { $0.map { $0! } }
    }
}
