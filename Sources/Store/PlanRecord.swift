import Foundation

/// The last plan the controller computed for one product in one environment, kept for the console: what it
/// would change (or changed) and what became of it.
public struct PlanRecord: Sendable, Hashable {
    public var product: String
    public var target: String
    /// The release the plan is for, when the environment follows releases or approvals.
    public var release: String?
    /// The commit the plan is for.
    public var commit: String
    /// The plan's digest (`sha256:…`).
    public var planDigest: String
    /// The reconcile's outcome with this plan (`applied`, `waiting`, `noChange`, `failed`).
    public var outcome: String
    /// Why (`manual sync: …`, `awaiting approvals: 1 of 2`, the apply's summary).
    public var message: String
    /// How many actions change something (retained objects do not).
    public var changes: Int
    /// When this plan was first recorded with this outcome.
    public var computedAt: Date
    /// The rendered, redacted plan as JSON (`PlanRenderer.document`); never the operations.
    public var document: String

    public init(
        product: String, target: String, release: String?, commit: String, planDigest: String, outcome: String,
        message: String, changes: Int, computedAt: Date, document: String
    ) {
        self.product = product
        self.target = target
        self.release = release
        self.commit = commit
        self.planDigest = planDigest
        self.outcome = outcome
        self.message = message
        self.changes = changes
        self.computedAt = StoreTime.date(StoreTime.milliseconds(computedAt))
        self.document = document
    }
}
