import CGit2
import Foundation

/// One entry of a git tree.
struct TreeEntry {
    enum Kind { case file, symlink, directory, submodule }
    var name: String
    var kind: Kind
    var id: ObjectID
}

extension Repository {
    /// The root tree of a commit.
    func rootTree(ofCommit id: ObjectID) throws -> ObjectID {
        var oid = id.raw
        var commit: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&commit, handle, &oid))
        defer { git_commit_free(commit) }
        return ObjectID(git_commit_tree_id(commit).pointee)
    }

    /// The entries of a tree object.
    func treeEntries(_ id: ObjectID) throws -> [TreeEntry] {
        var oid = id.raw
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &oid))
        defer { git_tree_free(tree) }
        var result: [TreeEntry] = []
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let kind: TreeEntry.Kind
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE: kind = .directory
            case GIT_FILEMODE_LINK: kind = .symlink
            case GIT_FILEMODE_COMMIT: kind = .submodule
            default: kind = .file
            }
            result.append(
                TreeEntry(
                    name: String(cString: git_tree_entry_name(entry)), kind: kind,
                    id: ObjectID(git_tree_entry_id(entry).pointee)))
        }
        return result
    }

    /// The size of an object without reading its content.
    func objectSize(_ id: ObjectID) throws -> Int {
        var odb: OpaquePointer?
        try check("git_repository_odb", git_repository_odb(&odb, handle))
        defer { git_odb_free(odb) }
        var oid = id.raw
        var size = 0
        var type = GIT_OBJECT_ANY
        try check("git_odb_read_header", git_odb_read_header(&size, &type, odb, &oid))
        return size
    }
}
