/// A problem with the audit trail's key, checkpoints or their sinks, naming what failed and why.
public struct AuditTrailError: Error, CustomStringConvertible, Sendable {
    /// The file, ref or key concerned (with a line number where there is one).
    public var what: String
    public var reason: String

    public var description: String { "\(what): \(reason)" }
}
