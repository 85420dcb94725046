import CGit2
import Foundation

extension Repository {
    /// Creates a repository with a work tree at `path` whose unborn `HEAD` names `initialBranch`.
    public convenience init(initializingWorkTreeAt path: String, initialBranch: String = "main") throws {
        LibGit2.ensureInitialised()
        var options = git_repository_init_options()
        try check(
            "git_repository_init_options_init",
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)))
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var pointer: OpaquePointer?
        try initialBranch.withCString { branch in
            options.initial_head = branch
            try check("git_repository_init_ext", git_repository_init_ext(&pointer, path, &options))
        }
        guard let pointer else { throw GitError(function: "git_repository_init_ext", code: -1, message: "no handle") }
        self.init(handle: pointer, path: path)
    }

    /// Opens the repository holding `path`, searching parent directories as `git` does.
    public static func discover(from path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var pointer: OpaquePointer?
        try check("git_repository_open_ext", git_repository_open_ext(&pointer, path, 0, nil))
        guard let pointer else { throw GitError(function: "git_repository_open_ext", code: -1, message: "no handle") }
        let workdir = git_repository_workdir(pointer).map { String(cString: $0) } ?? path
        return Repository(handle: pointer, path: workdir)
    }

    /// The work tree directory (with a trailing `/`), nil for a bare repository.
    public var workTree: String? {
        git_repository_workdir(handle).map { String(cString: $0) }
    }

    /// Paths that differ from `HEAD`: staged, modified, deleted, renamed or untracked (ignored files excluded),
    /// as `git status --porcelain` lists them. Empty when the tree is clean.
    public func uncommittedChanges() throws -> [String] {
        var options = git_status_options()
        try check("git_status_options_init", git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags =
            GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try check("git_status_list_new", git_status_list_new(&list, handle, &options))
        defer { git_status_list_free(list) }
        var paths: [String] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee, entry.status != GIT_STATUS_CURRENT else {
                continue
            }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            if let delta, let path = delta.pointee.new_file.path ?? delta.pointee.old_file.path {
                paths.append(String(cString: path))
            }
        }
        return paths.sorted()
    }

    /// Stages every file of the work tree (as `git add -A`) and commits it on `HEAD`; returns the commit.
    public func commitAll(message: String, author: GitIdentity, committer: GitIdentity) throws -> ObjectID {
        var index: OpaquePointer?
        try check("git_repository_index", git_repository_index(&index, handle))
        defer { git_index_free(index) }
        var everything = strdup("*")
        defer { free(everything) }
        try withUnsafeMutablePointer(to: &everything) { pointer in
            var paths = git_strarray(strings: pointer, count: 1)
            try check("git_index_add_all", git_index_add_all(index, &paths, 0, nil, nil))
        }
        let parent = try headCommit()
        defer { git_commit_free(parent) }
        let authorSignature = try signature(author)
        defer { git_signature_free(authorSignature) }
        let committerSignature = try signature(committer)
        defer { git_signature_free(committerSignature) }
        return try commit(
            index: index, parent: parent, message: message, author: authorSignature,
            committer: committerSignature)
    }

    /// The commit `HEAD` names, nil on an unborn branch; free it with `git_commit_free`.
    private func headCommit() throws -> OpaquePointer? {
        var parentID = git_oid()
        guard git_reference_name_to_id(&parentID, handle, "HEAD") == 0 else { return nil }
        var parent: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&parent, handle, &parentID))
        return parent
    }

    /// Writes `index` and commits its tree on `HEAD` with `parent`.
    private func commit(
        index: OpaquePointer?, parent: OpaquePointer?, message: String, author: UnsafeMutablePointer<git_signature>?,
        committer: UnsafeMutablePointer<git_signature>?
    ) throws -> ObjectID {
        try check("git_index_write", git_index_write(index))
        var treeID = git_oid()
        try check("git_index_write_tree", git_index_write_tree(&treeID, index))
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &treeID))
        defer { git_tree_free(tree) }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        try check(
            "git_commit_create",
            git_commit_create(&commitID, handle, "HEAD", author, committer, nil, message, tree, parents.count, &parents)
        )
        return ObjectID(commitID)
    }

    /// A libgit2 signature for `identity` now; free it with `git_signature_free`.
    func signature(_ identity: GitIdentity, at date: Date = Date()) throws -> UnsafeMutablePointer<git_signature> {
        var signature: UnsafeMutablePointer<git_signature>?
        let offset = TimeZone.current.secondsFromGMT(for: date) / 60
        try check(
            "git_signature_new",
            git_signature_new(
                &signature, identity.name, identity.email, git_time_t(date.timeIntervalSince1970), Int32(offset)))
        return signature!
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

        let parent = try headCommit()
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
        var signature: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&signature, handle) == 0 else {
            throw GitError(
                function: "git_signature_default", code: -1,
                message: "no committer identity: set git config user.name and user.email")
        }
        defer { git_signature_free(signature) }
        return try commit(index: index, parent: parent, message: message, author: signature, committer: signature)
    }
}
