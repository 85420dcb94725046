import Foundation

/// Where product files are read from: a directory now, a git tree at a commit later.
///
/// Paths are relative to the product root and use `/`. Nothing outside this protocol may assume a checkout.
public protocol FileSource: Sendable {
    /// A short description for messages (`/path/to/dir`, `repo@abc1234:path`).
    var displayName: String { get }
    /// Bytes of the file at `path`; throws ``FileSourceError`` when missing or unreadable.
    func read(_ path: String) throws -> Data
    /// Whether a regular file exists at `path`.
    func exists(_ path: String) -> Bool
    /// Every regular file below `directory` (recursively), relative to the root, sorted. `""` is the root.
    func list(_ directory: String) throws -> [String]
}

/// Why a product file could not be read.
public struct FileSourceError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
