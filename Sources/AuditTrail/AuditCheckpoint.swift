import Foundation
import LakegateCore

/// A signed statement of the audit log's head: "entry `sequence` has hash `head`", made at `time`.
///
/// Checkpoints are kept outside the state database (a file on another volume, a git ref), so removing entries
/// from the end of the log, or rewriting it, is caught by comparing with the newest checkpoint.
public struct AuditCheckpoint: Sendable, Hashable {
    /// The sequence of the head entry when the checkpoint was made (0 for an empty log).
    public var sequence: Int64
    /// The hash of that entry (the genesis hash for an empty log).
    public var head: String
    /// When the checkpoint was made, to the millisecond.
    public var time: Date
    /// The controller's armoured SSH signature over ``payload`` (namespace `lakegate-audit`).
    public var signature: String

    public init(sequence: Int64, head: String, time: Date, signature: String) {
        self.sequence = sequence
        self.head = head
        self.time = Date(timeIntervalSince1970: (time.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.signature = signature
    }

    /// Milliseconds since 1970.
    public var timeMilliseconds: Int64 { Int64((time.timeIntervalSince1970 * 1000).rounded()) }

    /// The signed text.
    public var payload: Data {
        Self.payload(sequence: sequence, head: head, timeMilliseconds: timeMilliseconds)
    }

    /// The signed text of a checkpoint.
    public static func payload(sequence: Int64, head: String, timeMilliseconds: Int64) -> Data {
        Data("lakegate-audit checkpoint v1\nsequence \(sequence)\nhead \(head)\ntime-ms \(timeMilliseconds)\n".utf8)
    }

    /// One line of JSON, as kept in a checkpoint file.
    public var jsonLine: String {
        JSONValue.object([
            "sequence": .int(sequence), "head": .string(head), "timeMs": .int(timeMilliseconds),
            "time": .string(time.formatted(.iso8601)), "signature": .string(signature),
        ]).canonicalJSON
    }

    /// Reads a line written by ``jsonLine``; `location` (file:line) names it in errors.
    public init(jsonLine: String, location: String) throws {
        guard let json = try? JSONValue(parsing: jsonLine) else {
            throw AuditTrailError(what: location, reason: "not a JSON checkpoint")
        }
        guard let sequence = json["sequence"]?.intValue, let head = json["head"]?.stringValue,
            let milliseconds = json["timeMs"]?.intValue, let signature = json["signature"]?.stringValue
        else {
            throw AuditTrailError(what: location, reason: "a checkpoint needs sequence, head, timeMs and signature")
        }
        self.init(
            sequence: sequence, head: head, time: Date(timeIntervalSince1970: Double(milliseconds) / 1000),
            signature: signature)
    }
}

extension AuditCheckpoint {
    /// The checkpoints of a JSON-lines text, in order; a line that cannot be read is an error naming
    /// `source:line`, so a damaged checkpoint record is never silently skipped.
    static func parse(lines text: String, source: String) throws -> [AuditCheckpoint] {
        var result: [AuditCheckpoint] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            result.append(try AuditCheckpoint(jsonLine: String(line), location: "\(source):\(index + 1)"))
        }
        return result
    }
}
