import Foundation

/// What is deployed for one product in one target: the latest recorded deployment.
public struct Deployment: Sendable, Hashable {
    public var product: String
    public var target: String
    /// The release tag, when the target follows releases or approvals.
    public var release: String?
    public var commit: String
    public var tagObject: String?
    public var planDigest: String?
    /// The outcome of the reconcile that recorded it (`applied`, `noChange`).
    public var outcome: String
    public var deployedAt: Date

    public init(
        product: String, target: String, release: String?, commit: String, tagObject: String? = nil,
        planDigest: String? = nil, outcome: String, deployedAt: Date
    ) {
        self.product = product
        self.target = target
        self.release = release
        self.commit = commit
        self.tagObject = tagObject
        self.planDigest = planDigest
        self.outcome = outcome
        self.deployedAt = StoreTime.date(StoreTime.milliseconds(deployedAt))
    }
}
