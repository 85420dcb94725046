/// A plan file that cannot be used: unreadable, of another version, edited, or stale.
public struct SavedPlanError: Error, CustomStringConvertible, Sendable {
    /// The plan file.
    public var path: String
    /// What is wrong.
    public var reason: String
    /// For a stale plan: each thing that changed since it was made.
    public var changes: [String]

    public init(path: String, _ reason: String, changes: [String] = []) {
        self.path = path
        self.reason = reason
        self.changes = changes
    }

    public var description: String {
        "\(path): \(reason)" + changes.map { "\n  - \($0)" }.joined()
    }
}
