import LakegateCore

/// Pairs the items of two versions of a list: by an identifying key (`name`, `principal`, `task_key`, …) when
/// every item has a distinct one, by equal value for scalars, else by position.
enum Identity {
    static let keys = [
        "name", "principal", "task_key", "identifier", "id", "term", "function", "job_cluster_key", "environment_key",
        "property", "username", "column_name",
    ]

    /// For each index of `new`, the index of its counterpart in `old`, if any.
    static func match(old: [JSONValue], new: [JSONValue]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        if let key = key(old: old, new: new) {
            var byIdentity: [JSONValue: Int] = [:]
            for (index, item) in old.enumerated() { byIdentity[item[key]!] = index }
            for (index, item) in new.enumerated() { result[index] = byIdentity[item[key]!] }
            return result
        }
        if (old + new).allSatisfy(YAMLFragment.isScalar) {
            var used: Set<Int> = []
            for (index, item) in new.enumerated() {
                if let match = old.indices.first(where: { !used.contains($0) && old[$0] == item }) {
                    used.insert(match)
                    result[index] = match
                }
            }
            return result
        }
        for index in new.indices where index < old.count { result[index] = index }
        return result
    }

    /// The first identifying key that every item has, as a scalar, distinct within each list.
    static func key(for items: [JSONValue]) -> String? {
        guard !items.isEmpty, items.allSatisfy({ $0.objectValue != nil }) else { return nil }
        return keys.first { key in
            items.allSatisfy { item in item[key].map(YAMLFragment.isScalar) ?? false }
        }
    }

    /// `key(for:)` for two lists, checking that identities are distinct within each.
    static func key(old: [JSONValue], new: [JSONValue]) -> String? {
        guard let key = key(for: old + new) else { return nil }
        for list in [old, new] where Set(list.compactMap { $0[key] }).count != list.count { return nil }
        return key
    }
}
