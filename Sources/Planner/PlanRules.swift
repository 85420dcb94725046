/// Environment rules the planner applies: what may be destroyed, how much may be deleted, adoption.
public struct PlanRules: Sendable, Hashable {
    /// Keys of stateful resources (or `tables.x.columns.y` for one column) that may be deleted.
    public var allowDestroy: Set<String>
    /// A plan deleting more than this share of the owned resources is refused.
    public var maxDeleteShare: Double
    /// Whether objects that exist but are not owned may be adopted.
    public var allowAdoption: Bool

    public init(allowDestroy: Set<String> = [], maxDeleteShare: Double = 0.25, allowAdoption: Bool = true) {
        self.allowDestroy = allowDestroy
        self.maxDeleteShare = maxDeleteShare
        self.allowAdoption = allowAdoption
    }
}
