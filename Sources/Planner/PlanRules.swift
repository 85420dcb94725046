/// Environment rules the planner applies: what may be destroyed, how much may be deleted, adoption, pruning.
public struct PlanRules: Sendable, Hashable {
    /// Keys of stateful resources (or `tables.x.columns.y` for one column) that may be deleted.
    public var allowDestroy: Set<String>
    /// A plan deleting more than this share of the owned resources is refused.
    public var maxDeleteShare: Double
    /// Whether objects that exist but are not owned may be adopted.
    public var allowAdoption: Bool
    /// Whether owned resources that left the desired state are deleted; when false they are retained and
    /// reported, and the delete share limit does not apply to them.
    public var prune: Bool
    /// Whether live changes are reverted (two-way plans: live → desired). When false, plans are three-way: a
    /// field changes only when its desired value differs from what Lakegate last applied, and a live change to
    /// any other field stays and is reported as drift.
    public var selfHeal: Bool

    public init(
        allowDestroy: Set<String> = [], maxDeleteShare: Double = 0.25, allowAdoption: Bool = true, prune: Bool = true,
        selfHeal: Bool = true
    ) {
        self.allowDestroy = allowDestroy
        self.maxDeleteShare = maxDeleteShare
        self.allowAdoption = allowAdoption
        self.prune = prune
        self.selfHeal = selfHeal
    }
}
