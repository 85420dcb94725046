import Foundation

extension GitTreeFileSource {
    /// Fetches `url` into a new bare repository at `scratch` and reads the files below `prefix` at `revision`
    /// (default: the branch the remote's `HEAD` names). Blocking.
    public static func fetching(
        url: String, revision: String?, prefix: String, scratch: String, credentials: GitCredentials = GitCredentials()
    ) throws -> GitTreeFileSource {
        let repository = try Repository(creatingBareAt: scratch)
        let remote = try Remote(repository: repository, url: url, credentials: credentials)
        let wanted = try revision ?? remote.defaultBranch()
        try remote.fetch(refspecs: GitMirror.refspecs, prune: false)
        return try GitTreeFileSource(repositoryPath: scratch, revision: wanted, prefix: prefix)
    }
}
