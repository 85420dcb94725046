import Foundation
import LakegateCore

/// An error decoding the tagged JSON encoding of CEL values.
public struct CELTaggedDecodingError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the tagged value.
    public let message: String
    public var description: String { message }
}

extension CELValue {
    /// Decodes the tagged JSON encoding of the conformance corpus: `{"int": "-5"}`, `{"uint": "7"}`,
    /// `{"double": 1.5}`, `{"bytes": "<base64>"}`, `{"map": [[key, value], …]}`, `{"timestamp": "…Z"}`…
    public init(tagged json: JSONValue) throws(CELTaggedDecodingError) {
        guard case .object(let members) = json, members.count == 1, let (tag, body) = members.first else {
            throw CELTaggedDecodingError(message: "a tagged value must be an object with exactly one key")
        }
        func bad() -> CELTaggedDecodingError {
            CELTaggedDecodingError(message: "invalid \(tag) value")
        }
        switch (tag, body) {
        case ("null", _): self = .null
        case ("bool", .bool(let b)): self = .bool(b)
        case ("int", .string(let s)):
            guard let i = Int64(s) else { throw bad() }
            self = .int(i)
        case ("int", .int(let i)): self = .int(i)
        case ("uint", .string(let s)):
            guard let u = UInt64(s) else { throw bad() }
            self = .uint(u)
        case ("uint", .int(let i)) where i >= 0: self = .uint(UInt64(i))
        case ("double", .double(let d)): self = .double(d)
        case ("double", .int(let i)): self = .double(Double(i))
        case ("double", .string(let s)):
            switch s {
            case "NaN": self = .double(.nan)
            case "Infinity": self = .double(.infinity)
            case "-Infinity": self = .double(-.infinity)
            default: throw bad()
            }
        case ("string", .string(let s)): self = .string(s)
        case ("bytes", .string(let s)):
            guard let data = Data(base64Encoded: s) else { throw bad() }
            self = .bytes(Array(data))
        case ("list", .array(let items)):
            var out: [CELValue] = []
            for item in items { out.append(try CELValue(tagged: item)) }
            self = .list(out)
        case ("map", .array(let pairs)):
            var map = CELMap()
            for pair in pairs {
                guard case .array(let kv) = pair, kv.count == 2 else { throw bad() }
                let key = try CELValue(tagged: kv[0])
                guard map.insert(key: key, value: try CELValue(tagged: kv[1])) else {
                    throw CELTaggedDecodingError(message: "invalid or repeated map key \(key.literal)")
                }
            }
            self = .map(map)
        case ("timestamp", .string(let s)):
            guard let t = CELTimestamp(rfc3339: s) else { throw bad() }
            self = .timestamp(t)
        case ("duration", .string(let s)):
            guard let d = CELDuration(text: s) else { throw bad() }
            self = .duration(d)
        case ("type", .string(let s)): self = .type(CELType(name: s))
        default:
            throw CELTaggedDecodingError(message: "unknown tag '\(tag)' or wrong body")
        }
    }

    /// The value in the tagged JSON encoding of the conformance corpus.
    public var taggedJSON: JSONValue {
        switch self {
        case .null: return ["null": .null]
        case .bool(let b): return ["bool": .bool(b)]
        case .int(let i): return ["int": .string(String(i))]
        case .uint(let u): return ["uint": .string(String(u))]
        case .double(let d):
            if d.isNaN { return ["double": "NaN"] }
            if d.isInfinite { return ["double": .string(d < 0 ? "-Infinity" : "Infinity")] }
            return ["double": .double(d)]
        case .string(let s): return ["string": .string(s)]
        case .bytes(let b): return ["bytes": .string(Data(b).base64EncodedString())]
        case .list(let items): return ["list": .array(items.map(\.taggedJSON))]
        case .map(let map):
            return ["map": .array(map.entries.map { .array([$0.key.taggedJSON, $0.value.taggedJSON]) })]
        case .timestamp(let t): return ["timestamp": .string(t.rfc3339)]
        case .duration(let d): return ["duration": .string(d.text)]
        case .type(let t): return ["type": .string(t.name)]
        }
    }
}
