import Foundation
import LakegateCore

/// The live state could not be read completely, so no plan may be made from it: an incomplete snapshot is
/// never "No changes". Each failure names what was read, the request, and the workspace's answer.
public struct IncompleteSnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One read that failed after its retries.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// What was being read (`read catalog sales`, `list tables of sales.gold`).
        public var what: String
        /// The workspace error, when the failure was a workspace call (method, path, status, attempts).
        public var error: DatabricksError?
        /// The failure in words, when it was not a workspace call.
        public var message: String

        public init(what: String, error: DatabricksError?, message: String = "") {
            self.what = what
            self.error = error
            self.message = message
        }

        /// The class of failure, for metrics and summaries: the ``DatabricksError/Kind`` raw value, `timeout`
        /// for a connection that failed or timed out, or `other`.
        public var reason: String {
            guard let error else { return "other" }
            switch error.kind {
            case .connectionFailed, .deadlineExceeded: return "timeout"
            default: return error.kind.rawValue
            }
        }

        public var description: String {
            if let error { return "\(what): \(error)" }
            return "\(what): \(message)"
        }
    }

    /// The product and target whose live state was read.
    public var product: String
    public var target: String
    /// Every read that failed, sorted.
    public var failures: [Failure]

    /// The reason of the first failure (see ``Failure/reason``); `other` when there is none.
    public var reason: String { failures.first?.reason ?? "other" }

    public var description: String {
        let count = failures.count
        var text =
            "the live state of \(product) (\(target)) could not be read completely, so nothing was planned "
            + "(\(count) failed read\(count == 1 ? "" : "s")): "
        // The first few name endpoint and status; the rest are only counted, a 401 fails every read alike.
        text += failures.prefix(5).map(\.description).joined(separator: "; ")
        if count > 5 { text += "; and \(count - 5) more" }
        return text
    }
}
