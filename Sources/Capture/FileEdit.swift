import Foundation

/// A new or changed product file.
public struct FileEdit: Sendable, Hashable {
    /// Product-relative path.
    public var path: String
    /// The content before, nil for a new file.
    public var before: Data?
    /// The content after.
    public var after: Data

    public init(path: String, before: Data?, after: Data) {
        self.path = path
        self.before = before
        self.after = after
    }

    /// `git diff`-style unified diff of the edit, with three lines of context.
    public var unifiedDiff: String {
        UnifiedDiff.render(
            old: before.map { String(decoding: $0, as: UTF8.self) }, new: String(decoding: after, as: UTF8.self),
            path: path)
    }
}
