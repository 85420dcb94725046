/// A CEL map: insertion-ordered entries whose keys follow CEL semantics.
///
/// Keys are ints, uints, bools or strings. Numeric keys are compared by value, so `1`, `1u` and (for lookups)
/// `1.0` find the same entry, and `{0: 1, 0u: 2}` has a duplicate key.
public struct CELMap: Sendable, Hashable {
    /// The entries in insertion order.
    public private(set) var entries: [(key: CELValue, value: CELValue)] = []
    private var index: [Key: Int] = [:]

    /// An empty map.
    public init() {}

    /// The normalized form of a key: numbers that are equal share one key.
    enum Key: Hashable {
        case bool(Bool)
        case int(Int64)
        case largeUInt(UInt64)
        case string(String)

        init?(_ value: CELValue) {
            switch value {
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .int(i)
            case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .largeUInt(u)
            case .string(let s): self = .string(s)
            default: return nil
            }
        }

        /// The key for a lookup: doubles with an integral value find int and uint keys.
        init?(lookup value: CELValue) {
            if case .double(let d) = value {
                guard d.rounded(.towardZero) == d else { return nil }
                if d >= -9_223_372_036_854_775_808.0 && d < 9_223_372_036_854_775_808.0 {
                    self = .int(Int64(d))
                } else if d >= 0 && d < 18_446_744_073_709_551_616.0 {
                    self = .largeUInt(UInt64(d))
                } else {
                    return nil
                }
                return
            }
            self.init(value)
        }
    }

    /// Whether `value` may be a map key.
    public static func isValidKey(_ value: CELValue) -> Bool { Key(value) != nil }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys in insertion order.
    public var keys: [CELValue] { entries.map(\.key) }

    /// The value for `key` under CEL key semantics, or nil.
    public subscript(key: CELValue) -> CELValue? {
        guard let k = Key(lookup: key), let i = index[k] else { return nil }
        return entries[i].value
    }

    /// The value for a string key, or nil.
    public subscript(key: String) -> CELValue? {
        guard let i = index[.string(key)] else { return nil }
        return entries[i].value
    }

    /// Adds an entry; returns false (and changes nothing) when the key is invalid or already present.
    @discardableResult
    public mutating func insert(key: CELValue, value: CELValue) -> Bool {
        guard let k = Key(key), index[k] == nil else { return false }
        index[k] = entries.count
        entries.append((key, value))
        return true
    }

    /// Adds or replaces an entry without the duplicate check; invalid keys are ignored.
    mutating func insertUnchecked(key: CELValue, value: CELValue) {
        guard let k = Key(key) else { return }
        if let i = index[k] {
            entries[i] = (key, value)
        } else {
            index[k] = entries.count
            entries.append((key, value))
        }
    }

    /// Reserves room for `n` entries.
    mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
        index.reserveCapacity(n)
    }

    public static func == (lhs: CELMap, rhs: CELMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.entries {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        var combined = 0
        for (key, _) in entries {
            combined ^= Key(key).hashValue
        }
        hasher.combine(combined)
    }
}
