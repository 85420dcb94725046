/// Every gate's verdict for one release and target, in the shape `lakegate gates --output json` prints.
public struct GateReport: Sendable, Equatable, Codable {
    public struct Gate: Sendable, Equatable, Codable {
        public var name: String
        public var passed: Bool
        public var reason: String
    }

    public struct Approval: Sendable, Equatable, Codable {
        /// The approval tag's short name.
        public var tag: String
        public var principal: String?
        public var valid: Bool
        public var reason: String
    }

    public struct Quorum: Sendable, Equatable, Codable {
        public var required: Int
        public var valid: Int

        public init(required: Int, valid: Int) {
            self.required = required
            self.valid = valid
        }
    }

    public var target: String
    public var release: String
    /// The release commit (peeled), nil when the release could not be resolved to one.
    public var commit: String?
    public var gates: [Gate]
    public var approvals: [Approval]
    public var quorum: Quorum

    /// Whether every gate passed.
    public var passed: Bool { gates.allSatisfy(\.passed) }
}
