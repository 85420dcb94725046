/// A release tag found by version.
public struct ReleaseTag: Sendable, Equatable {
    /// Short tag name, e.g. `dp/orders/v1.4.0`.
    public var name: String
    public var version: SemanticVersion
    /// What the ref points at (the tag object for annotated tags).
    public var object: ObjectID
}

extension Repository {
    /// The commit at the head of `branch`.
    public func branchHead(_ branch: String) throws -> ObjectID {
        guard let id = try reference("refs/heads/\(branch)") else {
            throw GitError(function: "git_reference_name_to_id", code: -3, message: "no branch named \(branch)")
        }
        return id
    }

    /// Release tags `<prefix><semver>`, oldest version first; prereleases only when asked.
    public func releaseTags(prefix: String, includePrereleases: Bool = false) throws -> [ReleaseTag] {
        var result: [ReleaseTag] = []
        for (name, target) in try references(matching: "refs/tags/\(prefix)*") {
            let short = String(name.dropFirst("refs/tags/".count))
            guard short.hasPrefix(prefix), let version = SemanticVersion(String(short.dropFirst(prefix.count))) else {
                continue
            }
            if version.isPrerelease && !includePrereleases { continue }
            result.append(ReleaseTag(name: short, version: version, object: target))
        }
        return result.sorted { $0.version < $1.version }
    }

    /// The newest release tag by semver, or nil when there is none.
    public func newestRelease(prefix: String, includePrereleases: Bool = false) throws -> ReleaseTag? {
        try releaseTags(prefix: prefix, includePrereleases: includePrereleases).last
    }

    /// Author e-mails (lower case) of the commits of release `releaseName` since the previous release (the newest
    /// tag with the same prefix and a lower version), with one commit each: the four-eyes rule's authors.
    public func authorsSincePreviousRelease(_ releaseName: String, _ releaseCommit: ObjectID) throws -> [String:
        ObjectID]
    {
        var previous: ObjectID?
        if let split = SemanticVersion.split(tag: releaseName) {
            let earlier = try releaseTags(prefix: split.prefix, includePrereleases: split.version.isPrerelease)
                .filter { $0.version < split.version }
            if let last = earlier.last { previous = try peelToCommit(last.object) }
        }
        var result: [String: ObjectID] = [:]
        for id in try commits(from: releaseCommit, excluding: previous) {
            let email = try commit(id).authorEmail.lowercased()
            if result[email] == nil { result[email] = id }
        }
        return result
    }
}
