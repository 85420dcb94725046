import Foundation

/// A stop on automatic promotion to a target, for every product or for one.
public struct Hold: Sendable, Hashable {
    /// The environment held, e.g. `prod`.
    public var target: String
    /// The product held, or nil when the hold covers every product of the target.
    public var product: String?
    public var reason: String
    /// Who placed the hold.
    public var who: String
    public var createdAt: Date

    public init(target: String, product: String?, reason: String, who: String, createdAt: Date) {
        self.target = target
        self.product = product
        self.reason = reason
        self.who = who
        self.createdAt = StoreTime.date(StoreTime.milliseconds(createdAt))
    }

    /// The product recorded in the audit log for a hold on every product of a target.
    public static let everyProduct = "*"

    /// What the hold covers, e.g. `prod` or `prod/customer-360`.
    public var scope: String { product.map { "\(target)/\($0)" } ?? target }
}
