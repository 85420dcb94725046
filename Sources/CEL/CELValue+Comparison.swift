extension CELValue {
    var isNumeric: Bool {
        switch self {
        case .int, .uint, .double: return true
        default: return false
        }
    }

    /// CEL equality: numbers compare by value across int, uint and double; NaN equals nothing; values of
    /// different types are unequal; lists and maps compare element by element.
    public func celEquals(_ other: CELValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.list(let a), .list(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].celEquals(b[i]) { return false }
            return true
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a.entries {
                guard let w = b[k], v.celEquals(w) else { return false }
            }
            return true
        case (.timestamp(let a), .timestamp(let b)): return a == b
        case (.duration(let a), .duration(let b)): return a == b
        case (.type(let a), .type(let b)): return a == b
        default:
            if isNumeric && other.isNumeric { return CELValue.compareNumbers(self, other) == 0 }
            return false
        }
    }

    /// The CEL ordering of two values: negative, zero or positive; nil when they are not ordered (different
    /// non-numeric types, unordered types, or NaN).
    static func compare(_ a: CELValue, _ b: CELValue) -> Int? {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.string(let x), .string(let y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case (.bytes(let x), .bytes(let y)):
            if x == y { return 0 }
            return x.lexicographicallyPrecedes(y) ? -1 : 1
        case (.timestamp(let x), .timestamp(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.duration(let x), .duration(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        default:
            if a.isNumeric && b.isNumeric { return compareNumbers(a, b) }
            return nil
        }
    }

    /// Exact comparison across int, uint and double; nil when a NaN is involved.
    static func compareNumbers(_ a: CELValue, _ b: CELValue) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.uint(let x), .uint(let y)): return sign(x, y)
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : sign(UInt64(x), y)
        case (.uint(let x), .int(let y)): return y < 0 ? 1 : sign(x, UInt64(y))
        case (.int(let x), .double(let y)): return compareIntDouble(x, y)
        case (.double(let x), .int(let y)): return compareIntDouble(y, x).map { -$0 }
        case (.uint(let x), .double(let y)): return compareUIntDouble(x, y)
        case (.double(let x), .uint(let y)): return compareUIntDouble(y, x).map { -$0 }
        default: return nil
        }
    }

    // CEL compares ints and uints with doubles after converting them to double, as cel-spec requires.
    private static func compareIntDouble(_ i: Int64, _ d: Double) -> Int? {
        if d.isNaN { return nil }
        let x = Double(i)
        return x < d ? -1 : (x > d ? 1 : 0)
    }

    private static func compareUIntDouble(_ u: UInt64, _ d: Double) -> Int? {
        if d.isNaN { return nil }
        let x = Double(u)
        return x < d ? -1 : (x > d ? 1 : 0)
    }
}
