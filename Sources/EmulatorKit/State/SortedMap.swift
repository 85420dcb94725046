import Foundation

/// A dictionary that also keeps its keys sorted, so listing a prefix or resuming after a key costs
/// a binary search instead of a sort. Encodes as a plain JSON object.
public struct SortedMap<Value: Codable & Sendable>: Sendable, Codable {
    private var storage: [String: Value] = [:]
    private(set) var sortedKeys: [String] = []

    public init() {}

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil {
                    sortedKeys.insert(key, at: lowerBound(key))
                }
            } else if storage.removeValue(forKey: key) != nil {
                sortedKeys.remove(at: lowerBound(key))
            }
        }
    }

    public subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { storage[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// The index of the first key that is not less than `key`.
    func lowerBound(_ key: String) -> Int {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if sortedKeys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Keys starting with `prefix`, in order, strictly after `after` when given, at most `limit` of them.
    func keys(withPrefix prefix: String, after: String? = nil, limit: Int? = nil) -> ArraySlice<String> {
        var start = lowerBound(prefix)
        if let after, after >= prefix {
            start = lowerBound(after)
            if start < sortedKeys.count && sortedKeys[start] == after { start += 1 }
        }
        var end = start
        let stop = limit.map { min(sortedKeys.count, start + $0) } ?? sortedKeys.count
        if prefix.isEmpty { return sortedKeys[start..<stop] }
        while end < stop && sortedKeys[end].hasPrefix(prefix) { end += 1 }
        return sortedKeys[start..<end]
    }

    /// Values of keys starting with `prefix`, in key order.
    func values(withPrefix prefix: String) -> [Value] {
        keys(withPrefix: prefix).compactMap { storage[$0] }
    }

    /// Removes every key starting with `prefix`.
    mutating func removeAll(withPrefix prefix: String) {
        for key in Array(keys(withPrefix: prefix)) { self[key] = nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        storage = try container.decode([String: Value].self)
        sortedKeys = storage.keys.sorted()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(storage)
    }
}
