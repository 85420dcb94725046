import Foundation
import LakegateCore

/// A bare mirror of one remote repository under the state directory (`<state>/mirrors/<hash>.git`).
///
/// A poll lists the remote's refs once and fetches only when a followed ref (a branch or a tag) changed,
/// with forced refspecs and pruning, so the mirror equals the remote; tag moves are recorded in the
/// ``TagObservationStore``, which keeps every first mapping.
public struct GitMirror: Sendable {
    /// The remote: a local path, `file://`, `https://` or `ssh://` / scp-like URL.
    public var url: String
    /// Where the bare mirror lives.
    public var path: String
    public var credentials: GitCredentials

    /// The refspecs a mirror fetches with: forced, so moved tags and rewritten branches follow the remote.
    public static let refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]

    public init(url: String, stateDirectory: String, credentials: GitCredentials = GitCredentials()) {
        self.url = url
        self.credentials = credentials
        let name = SHA256Digest.hex(of: url).prefix(16)
        self.path = (stateDirectory as NSString).appendingPathComponent("mirrors/\(name).git")
    }

    /// What one poll found.
    public struct PollResult: Sendable, Equatable {
        /// Whether a followed ref differed from the mirror.
        public var changed: Bool
        /// The remote's branches and tags.
        public var references: [String: ObjectID]
        /// Tags that appeared or moved since the last recorded observation.
        public var events: [TagEvent]
    }

    /// Lists the remote's refs, fetches if a followed ref changed, and records tag observations.
    /// Blocking: call it through ``poll(store:now:)`` from async code.
    public func pollBlocking(store: (any TagObservationStore)?, now: Date = Date()) throws -> PollResult {
        // Reinitialising an existing repository rewrites its config; open it when it is there.
        let repository =
            FileManager.default.fileExists(atPath: path + "/HEAD")
            ? try Repository(openingAt: path) : try Repository(creatingBareAt: path)
        let remoteRefs = try Remote(url: url, credentials: credentials).listReferences().filter {
            $0.key.hasPrefix("refs/heads/") || $0.key.hasPrefix("refs/tags/")
        }
        var localRefs: [String: ObjectID] = [:]
        for (name, target) in try repository.references(matching: "refs/heads/*") { localRefs[name] = target }
        for (name, target) in try repository.references(matching: "refs/tags/*") { localRefs[name] = target }
        guard remoteRefs != localRefs else {
            return PollResult(changed: false, references: remoteRefs, events: [])
        }
        try Remote(repository: repository, url: url, credentials: credentials).fetch(
            refspecs: Self.refspecs, prune: true)
        let tags = remoteRefs.filter { $0.key.hasPrefix("refs/tags/") }
        let events = try store?.record(repository: url, tags: tags, at: now) ?? []
        return PollResult(changed: true, references: remoteRefs, events: events)
    }

    /// ``pollBlocking(store:now:)`` off the cooperative pool.
    public func poll(store: (any TagObservationStore)?, now: Date = Date()) async throws -> PollResult {
        let mirror = self
        return try await Blocking.run { try mirror.pollBlocking(store: store, now: now) }
    }
}
