/// Why no plan could be made: every problem found, so that all can be fixed at once.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The resource key concerned, or `""` for the whole plan.
        public var key: String
        /// What is wrong and what to do about it.
        public var message: String

        public var description: String { key.isEmpty ? message : "\(key): \(message)" }
    }

    public var problems: [Problem]

    public init(_ problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "plan refused:\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}
