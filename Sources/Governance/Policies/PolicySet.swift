/// A policy set as an environment uses it: its name, the governance commit it was read at, its policies.
public struct PolicySet: Sendable {
    public var name: String
    public var commit: String
    public var policies: [Policy]

    public init(name: String, commit: String, policies: [Policy]) {
        self.name = name
        self.commit = commit
        self.policies = policies
    }
}
