/// A held lease on one product in one target: who holds it and its fencing token.
///
/// The token grows each time the lease changes hands (or is taken again after it expired), so a write that
/// carries an older token is recognisably from a replica that lost the lease.
public struct LeaseFence: Sendable, Hashable, CustomStringConvertible {
    public var product: String
    public var target: String
    /// The replica holding the lease.
    public var holder: String
    /// The fencing token.
    public var token: Int64

    public var description: String { "\(product)/\(target) lease \(token) of \(holder)" }
}

/// A write or an apply was refused: the lease it depended on expired or was taken over.
public struct LeaseLostError: Error, CustomStringConvertible, Sendable {
    public var fence: LeaseFence

    public var description: String {
        "\(fence) is no longer current (expired or taken over by another replica); nothing was written"
    }
}
