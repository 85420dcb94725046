import Foundation
import LakegateCore

/// Injected faults: latency on every API call, a share of 503s, a requests-per-second limit, and fixed answers
/// for chosen paths (``PathFault``).
public struct FaultSettings: Sendable, Equatable {
    /// Milliseconds added before every API response.
    public var latencyMilliseconds: Int
    /// The share (0…1) of API requests answered 503 `TEMPORARILY_UNAVAILABLE`.
    public var errorRate: Double
    /// API requests per second beyond which 429 `REQUEST_LIMIT_EXCEEDED` is answered; nil is unlimited.
    public var rateLimit: Int?
    /// Paths answered with a fixed failure; the first match wins.
    public var paths: [PathFault]
    /// Seeds the draws behind ``errorRate``: the same seed gives the same sequence of 503s; nil draws at random.
    public var seed: UInt64?
    /// Reading `system.access.audit` fails with `PERMISSION_DENIED`, as for a principal without `SELECT` on it.
    public var auditLogDenied = false

    public init(
        latencyMilliseconds: Int = 0, errorRate: Double = 0, rateLimit: Int? = nil, paths: [PathFault] = [],
        seed: UInt64? = nil
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.errorRate = errorRate
        self.rateLimit = rateLimit
        self.paths = paths
        self.seed = seed
    }

    /// Checks the ranges; the message names the offending field.
    public func validate() throws(APIError) {
        guard latencyMilliseconds >= 0 else { throw .invalid("latency_ms must be >= 0") }
        guard (0...1).contains(errorRate) else { throw .invalid("error_rate must be between 0 and 1") }
        if let rateLimit, rateLimit < 1 { throw .invalid("rate_limit must be >= 1, or 0 / null to turn it off") }
    }

    /// Applies the members of a `POST /_emulator/faults` body that are present.
    mutating func apply(_ body: [String: JSONValue]) throws(APIError) {
        var next = self
        if let value = body["latency_ms"] {
            guard let ms = value.intValue else { throw .invalid("latency_ms must be an integer") }
            next.latencyMilliseconds = Int(ms)
        }
        if let value = body["error_rate"] {
            switch value {
            case .int(let i): next.errorRate = Double(i)
            case .double(let d): next.errorRate = d
            default: throw .invalid("error_rate must be a number")
            }
        }
        if let value = body["rate_limit"] {
            switch value {
            case .null, .int(0): next.rateLimit = nil
            case .int(let i): next.rateLimit = Int(i)
            default: throw .invalid("rate_limit must be an integer or null")
            }
        }
        if let value = body["paths"] {
            guard let list = value.arrayValue else { throw .invalid("paths must be an array") }
            var paths: [PathFault] = []
            for item in list { paths.append(try PathFault(json: item)) }
            next.paths = paths
        }
        if let value = body["seed"] {
            switch value {
            case .null: next.seed = nil
            case .int(let i) where i >= 0: next.seed = UInt64(i)
            default: throw .invalid("seed must be a non-negative integer or null")
            }
        }
        if let value = body["audit_log_denied"] {
            guard case .bool(let denied) = value else { throw .invalid("audit_log_denied must be true or false") }
            next.auditLogDenied = denied
        }
        try next.validate()
        self = next
    }

    var json: JSONValue {
        [
            "latency_ms": .int(Int64(latencyMilliseconds)), "error_rate": .double(errorRate),
            "rate_limit": rateLimit.map { .int(Int64($0)) } ?? .null, "paths": .array(paths.map(\.json)),
            "seed": seed.map { .int(Int64(bitPattern: $0)) } ?? .null, "audit_log_denied": .bool(auditLogDenied),
        ]
    }
}
