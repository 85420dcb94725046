import GitSource

/// Pushes tags to a remote of the repository (libgit2, credentials from `LAKEGATE_GIT_*`).
public enum TagPusher {
    /// Pushes `refs/tags/<tag>` for each tag to `remote` (default `origin`). Blocking.
    public static func push(
        tags: [String], repositoryPath: String, remote: String = "origin",
        credentials: GitCredentials = .fromEnvironment()
    ) throws {
        do {
            let repository = try Repository(openingAt: repositoryPath)
            let handle = try Remote(repository: repository, named: remote, credentials: credentials)
            try handle.push(refspecs: tags.map { "refs/tags/\($0):refs/tags/\($0)" })
        } catch {
            throw LifecycleError("pushing \(tags.joined(separator: ", ")) to \(remote): \(error)")
        }
    }
}
