import CGit2
import Foundation

/// What Lakegate needs from a commit.
public struct CommitInfo: Sendable, Equatable {
    public var id: ObjectID
    /// The full message, as stored.
    public var message: String
    public var authorName: String
    public var authorEmail: String
    public var committerEmail: String
    public var parents: [ObjectID]
}

extension Repository {
    /// Reads a commit's message, author and parents.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        var oid = id.raw
        var commit: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&commit, handle, &oid))
        defer { git_commit_free(commit) }
        let message = git_commit_message_raw(commit).map { String(cString: $0) } ?? ""
        let author = git_commit_author(commit)!.pointee
        let committer = git_commit_committer(commit)!.pointee
        var parents: [ObjectID] = []
        for index in 0..<git_commit_parentcount(commit) {
            if let parent = git_commit_parent_id(commit, index) { parents.append(ObjectID(parent.pointee)) }
        }
        return CommitInfo(
            id: id, message: message, authorName: String(cString: author.name),
            authorEmail: String(cString: author.email), committerEmail: String(cString: committer.email),
            parents: parents)
    }

    /// The signature and signed payload of a commit, or nil when it is not signed.
    public func commitSignature(_ id: ObjectID) throws -> (signature: Data, payload: Data)? {
        var oid = id.raw
        var signature = git_buf()
        var payload = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&payload)
        }
        let code = git_commit_extract_signature(&signature, &payload, handle, &oid, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_commit_extract_signature", code)
        return (Data(bytes: signature.ptr, count: signature.size), Data(bytes: payload.ptr, count: payload.size))
    }

    /// Commits reachable from `tip` but not from `hidden` (newest first); along first parents only when asked
    /// (a merge's own commit, not the commits it brought in).
    public func commits(from tip: ObjectID, excluding hidden: ObjectID?, firstParent: Bool = false) throws -> [ObjectID]
    {
        var walker: OpaquePointer?
        try check("git_revwalk_new", git_revwalk_new(&walker, handle))
        defer { git_revwalk_free(walker) }
        if firstParent { try check("git_revwalk_simplify_first_parent", git_revwalk_simplify_first_parent(walker)) }
        var tipOid = tip.raw
        try check("git_revwalk_push", git_revwalk_push(walker, &tipOid))
        if let hidden {
            var hiddenOid = hidden.raw
            try check("git_revwalk_hide", git_revwalk_hide(walker, &hiddenOid))
        }
        var result: [ObjectID] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check("git_revwalk_next", code)
            result.append(ObjectID(oid))
        }
        return result
    }
}
