import CGit2
import Foundation

extension Repository {
    /// The content of `path` in the commit `reference` names; nil when the reference or the file does not exist.
    public func fileContent(reference: String, path: String) throws -> Data? {
        guard let tip = try self.reference(reference) else { return nil }
        var oid = tip.raw
        var commit: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&commit, handle, &oid))
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check("git_commit_tree", git_commit_tree(&tree, commit))
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let found = git_tree_entry_bypath(&entry, tree, path)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_tree_entry_bypath", found)
        defer { git_tree_entry_free(entry) }
        var blob: OpaquePointer?
        try check("git_blob_lookup", git_blob_lookup(&blob, handle, git_tree_entry_id(entry)))
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// Commits a tree holding only `path` with `contents` on top of `reference` (creating it when missing), as
    /// `author`, and moves the reference; returns the commit. libgit2 refuses when the reference moved meanwhile.
    @discardableResult
    public func commitFile(
        _ path: String, contents: Data, reference: String, message: String, author: GitIdentity
    ) throws -> ObjectID {
        var blobID = git_oid()
        try contents.withUnsafeBytes { buffer in
            _ = try check(
                "git_blob_create_from_buffer",
                git_blob_create_from_buffer(&blobID, handle, buffer.baseAddress, buffer.count))
        }
        var builder: OpaquePointer?
        try check("git_treebuilder_new", git_treebuilder_new(&builder, handle, nil))
        defer { git_treebuilder_free(builder) }
        try check(
            "git_treebuilder_insert", git_treebuilder_insert(nil, builder, path, &blobID, GIT_FILEMODE_BLOB))
        var treeID = git_oid()
        try check("git_treebuilder_write", git_treebuilder_write(&treeID, builder))
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &treeID))
        defer { git_tree_free(tree) }
        var parent: OpaquePointer?
        if let tip = try self.reference(reference) {
            var oid = tip.raw
            try check("git_commit_lookup", git_commit_lookup(&parent, handle, &oid))
        }
        defer { git_commit_free(parent) }
        let signature = try signature(author)
        defer { git_signature_free(signature) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        try check(
            "git_commit_create",
            git_commit_create(
                &commitID, handle, reference, signature, signature, nil, message, tree, parents.count, &parents))
        return ObjectID(commitID)
    }
}
