import Foundation
import LakegateCore
import Synchronization

/// Reads product files at a commit straight from the object database (no work tree), optionally below a
/// path prefix. Symbolic links are followed while they stay inside the prefix; a link leaving it, a
/// submodule, or a file over ``maxFileSize`` is an error naming the path.
public final class GitTreeFileSource: FileSource {
    /// The commit the files are read at.
    public let commit: ObjectID
    /// The product root inside the repository (`""` for the repository root), without a trailing `/`.
    public let prefix: String
    public let maxFileSize: Int
    private let repositoryPath: String
    private let root: ObjectID
    private let repository: Mutex<Repository>

    /// Opens `repositoryPath` and resolves `revision` (a branch, tag or id) to a commit.
    public init(repositoryPath: String, revision: String, prefix: String = "", maxFileSize: Int = 16 << 20) throws {
        let repository = try Repository(openingAt: repositoryPath)
        let commit = try repository.peelToCommit(try repository.resolve(revision))
        self.root = try repository.rootTree(ofCommit: commit)
        self.commit = commit
        self.repositoryPath = repositoryPath
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
        self.maxFileSize = maxFileSize
        self.repository = Mutex(repository)
    }

    public var displayName: String {
        "\(repositoryPath)@\(commit.short)" + (prefix.isEmpty ? "" : ":\(prefix)")
    }

    private enum Resolved {
        case file(ObjectID)
        case directory(ObjectID)
    }

    /// Walks `path` (relative to the prefix) to a file or directory, following in-tree symbolic links.
    private func resolve(_ path: String, in repository: Repository) throws -> Resolved {
        var pending =
            (prefix.isEmpty ? [] : prefix.split(separator: "/").map(String.init))
            + path.split(separator: "/").map(String.init)
        let prefixDepth = prefix.isEmpty ? 0 : prefix.split(separator: "/").count
        var done: [String] = []
        var current = root
        var isDirectory = true
        var links = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                guard done.count > prefixDepth else {
                    throw FileSourceError(path: path, reason: "path leaves the product directory")
                }
                done.removeLast()
                pending = done + pending
                done = []
                current = root
                continue
            }
            guard isDirectory else { throw FileSourceError(path: path, reason: "no such file") }
            guard let entry = try repository.treeEntries(current).first(where: { $0.name == name }) else {
                throw FileSourceError(path: path, reason: "no such file at commit \(commit.short)")
            }
            switch entry.kind {
            case .directory:
                current = entry.id
                isDirectory = true
                done.append(name)
            case .file:
                current = entry.id
                isDirectory = false
                done.append(name)
            case .submodule:
                throw FileSourceError(
                    path: path,
                    reason: "\((done + [name]).joined(separator: "/")) is a submodule; submodules are not read")
            case .symlink:
                links += 1
                guard links <= 16 else { throw FileSourceError(path: path, reason: "too many symbolic links") }
                let target = String(decoding: try repository.rawObject(entry.id).data, as: UTF8.self)
                pending =
                    try SymbolicLink.resolve(target, named: name, in: done, rootDepth: prefixDepth, path: path)
                    + pending
                done = []
                current = root
                isDirectory = true
            }
        }
        return isDirectory ? .directory(current) : .file(current)
    }

    public func read(_ path: String) throws -> Data {
        try repository.withLock { repository in
            guard case .file(let id) = try resolve(path, in: repository) else {
                throw FileSourceError(path: path, reason: "is a directory")
            }
            let size = try repository.objectSize(id)
            guard size <= maxFileSize else {
                throw FileSourceError(path: path, reason: "file is \(size) bytes, over the limit of \(maxFileSize)")
            }
            return try repository.rawObject(id).data
        }
    }

    public func exists(_ path: String) -> Bool {
        repository.withLock { repository in
            if case .file = try? resolve(path, in: repository) { return true }
            return false
        }
    }

    public func list(_ directory: String) throws -> [String] {
        try repository.withLock { repository in
            guard case .directory(let tree) = try resolve(directory, in: repository) else {
                throw FileSourceError(path: directory, reason: "is not a directory")
            }
            var result: [String] = []
            let base = directory.split(separator: "/").joined(separator: "/")
            try collect(tree, base, repository, &result)
            return result.sorted()
        }
    }

    private func collect(_ tree: ObjectID, _ base: String, _ repository: Repository, _ result: inout [String]) throws {
        for entry in try repository.treeEntries(tree) {
            let path = base.isEmpty ? entry.name : base + "/" + entry.name
            switch entry.kind {
            case .file: result.append(path)
            case .directory: try collect(entry.id, path, repository, &result)
            case .symlink: if case .file = try resolve(path, in: repository) { result.append(path) }
            case .submodule:
                throw FileSourceError(path: path, reason: "is a submodule; submodules are not read")
            }
        }
    }
}
