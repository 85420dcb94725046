import Foundation
import Governance

/// Collects the git facts of a candidate release for the governance verdict: the release tag and its first
/// mapping, its signature, the commits of its range, and its approvals with their signatures.
///
/// Signatures are checked here (key validity at the time each tag was first seen, from the
/// ``TagObservationStore``); judging them is ``ReleaseGates``' job.
public struct ReleaseFactsCollector {
    public var repository: Repository
    /// The key under which the repository's tags are recorded (its URL or path).
    public var repositoryKey: String
    public var store: any TagObservationStore
    public var verifier: SignatureVerifier

    public init(
        repository: Repository, repositoryKey: String, store: any TagObservationStore, verifier: SignatureVerifier
    ) {
        self.repository = repository
        self.repositoryKey = repositoryKey
        self.store = store
        self.verifier = verifier
    }

    /// Records the repository's current tags as seen `now` and returns what changed.
    @discardableResult
    public func observeTags(now: Date) throws -> [TagEvent] {
        var tags: [String: ObjectID] = [:]
        for (name, target) in try repository.references(matching: "refs/tags/*") { tags[name] = target }
        return try store.record(repository: repositoryKey, tags: tags, at: now)
    }

    /// The git facts of release `release` (short name or `refs/tags/…`) for `target`. The tag may be gone: its
    /// first recorded mapping and its approvals still tell what it was.
    public func collect(target: String, release: String, now: Date) throws -> ReleaseFacts {
        let name = release.hasPrefix("refs/tags/") ? String(release.dropFirst(10)) : release
        let ref = "refs/tags/\(name)"
        var facts = ReleaseFacts(target: target, release: name, commit: nil)
        let first = try store.first(repository: repositoryKey, tag: ref)
        if let first {
            facts.firstSeen = .init(
                object: first.object.hex, at: first.firstSeen, commit: try? repository.peelToCommit(first.object).hex)
        }
        if let object = try repository.reference(ref) {
            let seen = try firstSeen(ref, object, now: now)
            if facts.firstSeen == nil {
                facts.firstSeen = .init(object: object.hex, at: seen, commit: try? repository.peelToCommit(object).hex)
            }
            facts.tag = try tagFacts(object, seen: seen)
            facts.commit = try repository.peelToCommit(object).hex
        } else {
            facts.commit = facts.firstSeen?.commit
        }
        if let commit = facts.commit.flatMap(ObjectID.init(hex:)) {
            facts.range = try repository.releaseRange(of: name, commit: commit)
        }
        facts.approvals = try approvalRefs(target: target, release: name).map { ref, object in
            try approvalFacts(ref: ref, object: object, now: now)
        }
        return facts
    }

    /// The releases with at least one approval tag for `target`, tag present or not.
    public func approvedReleases(target: String) throws -> [String] {
        let prefix = "refs/tags/approval/\(target)/"
        var names: [String] = []
        for (ref, _) in try repository.references(matching: "\(prefix)*") {
            let rest = ref.dropFirst(prefix.count)
            guard let slash = rest.lastIndex(of: "/") else { continue }
            let release = String(rest[..<slash])
            if !names.contains(release) { names.append(release) }
        }
        return names
    }

    /// The first-seen time of `ref` → `object`, recording it now when unknown.
    private func firstSeen(_ ref: String, _ object: ObjectID, now: Date) throws -> Date {
        if let date = try store.firstSeen(repository: repositoryKey, tag: ref, object: object) { return date }
        _ = try store.record(repository: repositoryKey, tags: [ref: object], at: now)
        return try store.firstSeen(repository: repositoryKey, tag: ref, object: object) ?? now
    }

    private func tagFacts(_ object: ObjectID, seen: Date) throws -> ReleaseFacts.TagFacts {
        let raw = try repository.rawObject(object)
        guard raw.kind == .tag else {
            return .init(
                object: object.hex, annotated: false,
                signature: .init(signed: false, valid: false, reason: "a lightweight tag carries no signature"))
        }
        let tag = try TagObject(raw: raw.data)
        return .init(
            object: object.hex, annotated: true, name: tag.name, targetType: tag.type, target: tag.object.hex,
            signature: verifier.verify(signature: tag.signature, payload: tag.payload, at: seen))
    }

    private func approvalFacts(ref: String, object: ObjectID, now: Date) throws -> ReleaseFacts.ApprovalFacts {
        let short = String(ref.dropFirst("refs/tags/".count))
        let seen = try firstSeen(ref, object, now: now)
        let tag = try tagFacts(object, seen: seen)
        return .init(
            tag: short, tagObject: tag, firstSeen: seen, planDigest: tag.annotated ? try planDigest(object) : nil)
    }

    private func approvalRefs(target: String, release: String) throws -> [(name: String, target: ObjectID)] {
        try repository.references(matching: "refs/tags/approval/\(target)/\(release)/*")
    }
}
