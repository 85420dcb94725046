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

    /// The previous release of `releaseName`: the newest tag with the same prefix and a lower version
    /// (prereleases only when the release is one). The one rule for "the previous release": release ranges,
    /// four eyes, `prev` of the policies and contract integrity before a first deployment all use it.
    public func previousRelease(of releaseName: String) throws -> ReleaseTag? {
        guard let split = SemanticVersion.split(tag: releaseName) else { return nil }
        return try releaseTags(prefix: split.prefix, includePrereleases: split.version.isPrerelease)
            .last { $0.version < split.version }
    }

    /// Author e-mails (lower case) of the commits of release `releaseName` since the previous release, with one
    /// commit each: the four-eyes rule's authors.
    public func authorsSincePreviousRelease(_ releaseName: String, _ releaseCommit: ObjectID) throws -> [String:
        ObjectID]
    {
        let previous = try previousRelease(of: releaseName).map { try peelToCommit($0.object) }
        var result: [String: ObjectID] = [:]
        for id in try commits(from: releaseCommit, excluding: previous) {
            let email = try commit(id).authorEmail.lowercased()
            if result[email] == nil { result[email] = id }
        }
        return result
    }
}
