import LakegateCore

/// A CEL runtime value.
///
/// Swift equality (`==`) is structural: `.int(1) != .uint(1)`. CEL's own equality, where numbers of different
/// types compare by value, is ``celEquals(_:)``. Map keys follow CEL semantics (see ``CELMap``).
public enum CELValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    case map(CELMap)
    case timestamp(CELTimestamp)
    case duration(CELDuration)
    case type(CELType)
}

extension CELValue {
    /// The CEL type of this value, as `type(x)` yields it.
    public var celType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list
        case .map: return .map
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type
        }
    }

    /// Converts a JSON value: objects become maps with string keys, arrays lists, integers ints, other
    /// numbers doubles.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(CELValue.init(json:)))
        case .object(let members):
            var map = CELMap()
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                map.insertUnchecked(key: .string(key), value: CELValue(json: value))
            }
            self = .map(map)
        }
    }

    /// The value as plain JSON, when it has a JSON form: maps need string keys; uints that fit become
    /// integers; bytes, timestamps, durations and types have no JSON form and give nil.
    public var jsonValue: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
        case .double(let d): return d.isFinite ? .double(d) : nil
        case .string(let s): return .string(s)
        case .bytes, .timestamp, .duration, .type: return nil
        case .list(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let j = item.jsonValue else { return nil }
                out.append(j)
            }
            return .array(out)
        case .map(let map):
            var out: [String: JSONValue] = [:]
            for (key, value) in map.entries {
                guard case .string(let k) = key, let j = value.jsonValue else { return nil }
                out[k] = j
            }
            return .object(out)
        }
    }
}
