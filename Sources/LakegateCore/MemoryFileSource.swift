import Foundation

/// Product files held in memory: a blueprint's rendered output validated before anything is written, or test
/// mutations that never touch the disk.
public struct MemoryFileSource: FileSource {
    /// File contents by path relative to the root (`/`-separated).
    public var files: [String: Data]
    public var displayName: String

    public init(files: [String: Data], displayName: String = "memory") {
        self.files = files
        self.displayName = displayName
    }

    public func read(_ path: String) throws -> Data {
        guard let data = files[Self.normalize(path)] else { throw FileSourceError(path: path, reason: "no such file") }
        return data
    }

    public func exists(_ path: String) -> Bool {
        files[Self.normalize(path)] != nil
    }

    public func list(_ directory: String) throws -> [String] {
        let prefix = Self.normalize(directory)
        return files.keys.filter { prefix.isEmpty || $0.hasPrefix(prefix + "/") }.sorted()
    }

    /// `a/./b/` → `a/b`.
    static func normalize(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
