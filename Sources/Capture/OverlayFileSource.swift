import Foundation
import LakegateCore

/// A file source with some files replaced or added: the product as it would be after a capture.
public struct OverlayFileSource: FileSource {
    let base: any FileSource
    let files: [String: Data]

    /// - Parameter files: product-relative path → new content.
    public init(base: any FileSource, files: [String: Data]) {
        self.base = base
        self.files = files
    }

    public var displayName: String { base.displayName }

    public func read(_ path: String) throws -> Data {
        if let data = files[path] { return data }
        return try base.read(path)
    }

    public func exists(_ path: String) -> Bool {
        files[path] != nil || base.exists(path)
    }

    public func list(_ directory: String) throws -> [String] {
        let prefix = directory.isEmpty ? "" : directory + "/"
        let added = files.keys.filter { $0.hasPrefix(prefix) }
        return Array(Set(try base.list(directory)).union(added)).sorted()
    }
}
