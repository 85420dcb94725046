import Governance

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

    /// The release range (previous release, release]: first-parent commits for trailers, and every commit's
    /// author for four eyes.
    public func releaseRange(of release: String, commit: ObjectID) throws -> ReleaseFacts.ReleaseRange {
        let previous = try previousRelease(of: release)
        let hidden = try previous.map { try peelToCommit($0.object) }
        let commits = try commits(from: commit, excluding: hidden, firstParent: true).map {
            ReleaseFacts.CommitFacts(id: $0.hex, message: try self.commit($0).message)
        }
        var authors: [String: String] = [:]
        for id in try self.commits(from: commit, excluding: hidden) {
            let email = try self.commit(id).authorEmail.lowercased()
            if authors[email] == nil { authors[email] = id.hex }
        }
        return .init(previous: previous?.name, commits: commits, authors: authors)
    }
}
