import Foundation

/// Signs audit entries as they are appended, and hears of each one once it is committed.
///
/// The store knows nothing of SSH; the `AuditTrail` module supplies the controller's key. A store opened without
/// a signer refuses to append to a log whose head is signed, so an unsigned entry never follows a signed one.
public protocol AuditSigner: Sendable {
    /// An armoured signature over `payload` (``AuditEntry/signedPayload``).
    func sign(_ payload: Data) throws -> String

    /// Called after `entry` is committed (e.g. to write a checkpoint every N entries); must not throw.
    func didAppend(_ entry: AuditEntry)
}

extension AuditSigner {
    /// Does nothing.
    public func didAppend(_ entry: AuditEntry) {}
}

/// Why an audit entry could not be appended.
public struct AuditAppendError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in words for the operator.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "cannot append to the audit log: \(reason)" }
}
