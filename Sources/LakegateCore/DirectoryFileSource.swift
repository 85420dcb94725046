import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads product files from a directory on disk, refusing what a git tree refuses with the same messages:
/// symbolic links are followed while they stay inside the product directory (a link leaving it, an absolute
/// link or a loop is an error naming the link), and a file over ``maxFileSize`` is an error. Named pipes,
/// sockets and devices are refused by name, never opened, and never skipped silently.
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

    /// What a path is, without following a final symbolic link.
    enum Entry: Equatable {
        case file(size: Int)
        case directory
        case symlink(String)
        case other(String)
        case missing
    }

    func entry(_ components: [String]) -> Entry {
        let path = ([root.path] + components).joined(separator: "/")
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(size: Int(info.st_size))
        case S_IFDIR: return .directory
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count >= 0 else { return .missing }
            return .symlink(String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        case S_IFIFO: return .other("a named pipe")
        case S_IFSOCK: return .other("a socket")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        default: return .other("not a regular file")
        }
    }

    enum Resolved {
        case file(components: [String], size: Int)
        case directory([String])
    }

    /// Walks `path` to a file or directory inside the root, following symbolic links as ``GitTreeFileSource``
    /// does (at most 16, never out of the root).
    func resolve(_ path: String) throws -> Resolved {
        var pending = path.split(separator: "/").map(String.init)
        var done: [String] = []
        var links = 0
        var size: Int?
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                guard !done.isEmpty else {
                    throw FileSourceError(path: path, reason: "path leaves the product directory")
                }
                done.removeLast()
                continue
            }
            guard size == nil else { throw FileSourceError(path: path, reason: "no such file") }
            switch entry(done + [name]) {
            case .missing: throw FileSourceError(path: path, reason: "no such file")
            case .directory: done.append(name)
            case .file(let bytes):
                done.append(name)
                size = bytes
            case .other(let what):
                let inner = (done + [name]).joined(separator: "/")
                throw FileSourceError(
                    path: path, reason: (inner == path ? "" : "\(inner) ") + "is \(what); only regular files are read")
            case .symlink(let target):
                links += 1
                guard links <= 16 else { throw FileSourceError(path: path, reason: "too many symbolic links") }
                pending = try SymbolicLink.resolve(target, named: name, in: done, path: path) + pending
                done = []
            }
        }
        if let size { return .file(components: done, size: size) }
        return .directory(done)
    }

    public func read(_ path: String) throws -> Data {
        guard case .file(let components, let size) = try resolve(path) else {
            throw FileSourceError(path: path, reason: "is a directory")
        }
        guard size <= maxFileSize else {
            throw FileSourceError(path: path, reason: "file is \(size) bytes, over the limit of \(maxFileSize)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: ([root.path] + components).joined(separator: "/")))
        } catch {
            throw FileSourceError(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
    }

    public func exists(_ path: String) -> Bool {
        if case .file = try? resolve(path) { return true }
        return false
    }

    /// Every regular file below `directory`, symbolic links to files inside the root included (as the git tree
    /// lists them); a link leaving the root, a loop, a named pipe, socket or device anywhere is an error.
    public func list(_ directory: String) throws -> [String] {
        guard case .directory(let components) = try resolve(directory) else {
            throw FileSourceError(path: directory, reason: "is not a directory")
        }
        var result: [String] = []
        try collect(components, directory.split(separator: "/").joined(separator: "/"), &result)
        return result.sorted()
    }

    private func collect(_ components: [String], _ base: String, _ result: inout [String]) throws {
        let path = ([root.path] + components).joined(separator: "/")
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw FileSourceError(
                path: base.isEmpty ? "." : base, reason: "cannot be listed: \(error.localizedDescription)")
        }
        for name in names {
            let relative = base.isEmpty ? name : base + "/" + name
            switch entry(components + [name]) {
            case .file: result.append(relative)
            case .directory: try collect(components + [name], relative, &result)
            case .symlink: if case .file = try resolve(relative) { result.append(relative) }
            case .other(let what):
                throw FileSourceError(path: relative, reason: "is \(what); only regular files are read")
            case .missing: continue
            }
        }
    }
}
