import Foundation

/// The drift clock of one workspace: when its change log was last read, when every product on it was last read
/// in full, and the audit events already acted on (the queries overlap by the delivery delay).
struct DriftClock: Sendable {
    /// When the last drift check ran (or the first full read began): the next query starts here, less the delay.
    var checkedAt: Date
    /// When the last full read of every product on the workspace began.
    var fullReadAt: Date
    /// Event ids already acted on, with their event time, for as long as a query can return them again.
    var seen: [String: Date] = [:]
    /// The SQL warehouse the audit query runs on, once found.
    var warehouseID: String?
}
