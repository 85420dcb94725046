import CGit2
import Foundation

extension Repository {
    /// Opens the repository whose work tree contains `path`, searching parent directories as `git` does.
    public static func discover(from path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check("git_repository_discover", git_repository_discover(&buffer, path, 0, nil))
        return try Repository(openingAt: String(cString: buffer.ptr))
    }

    /// The work tree directory (ending with `/`), nil for a bare repository.
    public var workTree: String? {
        git_repository_workdir(handle).map { String(cString: $0) }
    }

    /// Commits the work-tree files `paths` (relative to the work tree; a missing file is a deletion) on top of
    /// `HEAD`, as `git add PATHS && git commit -m MESSAGE` does, with author and committer from `user.name` and
    /// `user.email`.
    ///
    /// - Throws: ``GitError`` when other changes are already staged (they would be committed too), when the
    ///   identity is not configured, or when libgit2 fails.
    @discardableResult
    public func commitFiles(_ paths: [String], message: String) throws -> ObjectID {
        var index: OpaquePointer?
        try check("git_repository_index", git_repository_index(&index, handle))
        defer { git_index_free(index) }

        var parent: OpaquePointer?
        var parentID = git_oid()
        let hasParent = git_reference_name_to_id(&parentID, handle, "HEAD") == 0
        if hasParent { try check("git_commit_lookup", git_commit_lookup(&parent, handle, &parentID)) }
        defer { git_commit_free(parent) }

        var headTree: OpaquePointer?
        if let parent { try check("git_commit_tree", git_commit_tree(&headTree, parent)) }
        defer { git_tree_free(headTree) }
        var staged: OpaquePointer?
        try check("git_diff_tree_to_index", git_diff_tree_to_index(&staged, handle, headTree, index, nil))
        let stagedCount = git_diff_num_deltas(staged)
        git_diff_free(staged)
        guard stagedCount == 0 else {
            throw GitError(
                function: "commit", code: -1,
                message: "\(stagedCount) other change(s) are already staged; commit or unstage them first")
        }

        for path in paths {
            let exists = workTree.map { FileManager.default.fileExists(atPath: $0 + path) } ?? false
            if exists {
                try check("git_index_add_bypath", git_index_add_bypath(index, path))
            } else {
                try check("git_index_remove_bypath", git_index_remove_bypath(index, path))
            }
        }
        try check("git_index_write", git_index_write(index))
        var treeID = git_oid()
        try check("git_index_write_tree", git_index_write_tree(&treeID, index))
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &treeID))
        defer { git_tree_free(tree) }

        var signature: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&signature, handle) == 0 else {
            throw GitError(
                function: "git_signature_default", code: -1,
                message: "no committer identity: set git config user.name and user.email")
        }
        defer { git_signature_free(signature) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        try check(
            "git_commit_create",
            git_commit_create(
                &commitID, handle, "HEAD", signature, signature, nil, message, tree, parents.count, &parents))
        return ObjectID(commitID)
    }
}
