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

/// Reads product files from a directory on disk.
public struct DirectoryFileSource: FileSource {
    /// The product root.
    public let root: URL
    /// Files larger than this are refused.
    public let maxFileSize: Int

    public init(root: URL, maxFileSize: Int = 16 << 20) {
        self.root = root.standardizedFileURL
        self.maxFileSize = maxFileSize
    }

    public var displayName: String { root.path }

    public func read(_ path: String) throws -> Data {
        let url = root.appendingPathComponent(path)
        let resolved = url.resolvingSymlinksInPath().path
        let rootPath = root.resolvingSymlinksInPath().path
        guard resolved == rootPath || resolved.hasPrefix(rootPath + "/") else {
            throw FileSourceError(path: path, reason: "symbolic link leaves the product directory")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw FileSourceError(path: path, reason: "no such file")
        }
        if let size = attributes[.size] as? Int, size > maxFileSize {
            throw FileSourceError(path: path, reason: "file is \(size) bytes, over the limit of \(maxFileSize)")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FileSourceError(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
    }

    public func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    public func list(_ directory: String) throws -> [String] {
        let base = directory.isEmpty ? root : root.appendingPathComponent(directory)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var result: [String] = []
        let rootPath = root.path
        for case let url as URL in enumerator {
            let isFile = (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false
            guard isFile else { continue }
            var relative = url.standardizedFileURL.path
            if relative.hasPrefix(rootPath + "/") { relative.removeFirst(rootPath.count + 1) }
            result.append(relative)
        }
        return result.sorted()
    }
}
