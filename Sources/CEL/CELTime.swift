/// A CEL timestamp: an instant with nanosecond precision between 0001-01-01T00:00:00Z and
/// 9999-12-31T23:59:59.999999999Z.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public let nanosecondsSinceEpoch: Int128

    static let minSeconds: Int128 = -62_135_596_800
    static let maxSeconds: Int128 = 253_402_300_799

    /// The timestamp at `nanoseconds` since the Unix epoch; nil when out of CEL's range.
    public init?(nanosecondsSinceEpoch nanoseconds: Int128) {
        let seconds = CELTimestamp.floorDiv(nanoseconds, 1_000_000_000)
        guard seconds >= CELTimestamp.minSeconds && seconds <= CELTimestamp.maxSeconds else { return nil }
        self.nanosecondsSinceEpoch = nanoseconds
    }

    /// The timestamp at `seconds` plus `nanos` since the Unix epoch; nil when out of range.
    public init?(seconds: Int64, nanos: Int32 = 0) {
        self.init(nanosecondsSinceEpoch: Int128(seconds) * 1_000_000_000 + Int128(nanos))
    }

    /// Whole seconds since the epoch (rounded down).
    public var seconds: Int64 { Int64(CELTimestamp.floorDiv(nanosecondsSinceEpoch, 1_000_000_000)) }

    /// The nanoseconds within the second, 0..<1e9.
    public var nanos: Int32 {
        Int32(nanosecondsSinceEpoch - Int128(seconds) * 1_000_000_000)
    }

    public static func < (lhs: CELTimestamp, rhs: CELTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// A CEL duration with nanosecond precision, within about ±10000 years (±315576000000 s).
public struct CELDuration: Sendable, Hashable, Comparable {
    /// The length in nanoseconds.
    public let nanoseconds: Int128

    static let maxNanoseconds: Int128 = 315_576_000_000 * 1_000_000_000 + 999_999_999

    /// A duration of `nanoseconds`; nil when out of CEL's range.
    public init?(nanoseconds: Int128) {
        guard nanoseconds >= -CELDuration.maxNanoseconds && nanoseconds <= CELDuration.maxNanoseconds else {
            return nil
        }
        self.nanoseconds = nanoseconds
    }

    /// A duration of `seconds` plus `nanos`; nil when out of range.
    public init?(seconds: Int64, nanos: Int32 = 0) {
        self.init(nanoseconds: Int128(seconds) * 1_000_000_000 + Int128(nanos))
    }

    /// Whole seconds, truncated toward zero.
    public var seconds: Int64 { Int64(nanoseconds / 1_000_000_000) }

    /// The remaining nanoseconds, with the sign of the duration.
    public var nanos: Int32 { Int32(nanoseconds % 1_000_000_000) }

    public static func < (lhs: CELDuration, rhs: CELDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
