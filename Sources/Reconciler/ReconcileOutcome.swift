/// What one reconcile of a product in an environment came to, after Flux's taxonomy.
public enum ReconcileOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Changes were applied and every action succeeded.
    case applied
    /// The workspace already matches the selected revision.
    case noChange
    /// A gate is pending (approvals 1 of 2, a hold, manual sync): no failure, try again next poll.
    case waiting
    /// A new commit is needed: invalid files, a moved release tag, a blocking policy, a refused plan.
    case stalled
    /// Something failed that may pass later (workspace unreachable, an action failed); retried with backoff.
    case failed
}

/// The controller's view of one product in one environment, served at `/api/v1/status`.
public struct ProductStatus: Sendable, Hashable, Codable {
    public var product: String
    public var target: String
    /// The release (tag) the environment should run, when it follows releases or approvals.
    public var desiredRelease: String?
    /// The commit the environment should run.
    public var desiredCommit: String?
    /// The release last deployed successfully.
    public var deployedRelease: String?
    /// The commit last deployed successfully.
    public var deployedCommit: String?
    /// Every gate's verdict for the desired revision.
    public var gates: [GateVerdict]
    public var outcome: ReconcileOutcome
    /// Why, in one line.
    public var message: String
    /// Owned resources that differ from the deployed revision (reported in environments without self-heal).
    public var drift: Int
    public var lastReconciled: String
    /// When the controller looks at it again: the next pass while waiting, the backoff's end after a failure.
    public var retryAt: String?

    /// One gate and its verdict.
    public struct GateVerdict: Sendable, Hashable, Codable {
        public var name: String
        public var passed: Bool
        public var reason: String
    }

    public init(
        product: String, target: String, desiredRelease: String? = nil, desiredCommit: String? = nil,
        deployedRelease: String? = nil, deployedCommit: String? = nil, gates: [GateVerdict] = [],
        outcome: ReconcileOutcome, message: String, drift: Int = 0, lastReconciled: String
    ) {
        self.product = product
        self.target = target
        self.desiredRelease = desiredRelease
        self.desiredCommit = desiredCommit
        self.deployedRelease = deployedRelease
        self.deployedCommit = deployedCommit
        self.gates = gates
        self.outcome = outcome
        self.message = message
        self.drift = drift
        self.lastReconciled = lastReconciled
    }
}
