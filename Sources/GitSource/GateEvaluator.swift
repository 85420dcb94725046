import Foundation
import Governance

/// Evaluates the release gates for one target environment against a repository.
///
/// Key validity is judged at the time Lakegate first saw each tag (from the ``TagObservationStore``), the
/// signer's identity is the allowed-signers principal, and approvals bind to the release's tag object.
public struct GateEvaluator {
    public var repository: Repository
    /// The key under which the repository's tags are recorded (its URL or path).
    public var repositoryKey: String
    public var store: any TagObservationStore
    public var policy: GatePolicy

    public init(repository: Repository, repositoryKey: String, store: any TagObservationStore, policy: GatePolicy) {
        self.repository = repository
        self.repositoryKey = repositoryKey
        self.store = store
        self.policy = policy
    }

    /// Records the repository's current tags as seen `now` and returns what changed.
    @discardableResult
    public func observeTags(now: Date) throws -> [TagEvent] {
        var tags: [String: ObjectID] = [:]
        for (name, target) in try repository.references(matching: "refs/tags/*") { tags[name] = target }
        return try store.record(repository: repositoryKey, tags: tags, at: now)
    }

    private var verifier: SignatureVerifier {
        SignatureVerifier(
            allowedSigners: policy.allowedSigners
                ?? AllowedSigners(path: "(no allowed signers configured)", entries: []),
            revoked: policy.revoked, gpgHome: policy.gpgHome)
    }

    /// The first-seen time of `ref` → `object`, recording it now when unknown.
    private func firstSeen(_ ref: String, _ object: ObjectID, now: Date) throws -> Date {
        if let date = try store.firstSeen(repository: repositoryKey, tag: ref, object: object) { return date }
        _ = try store.record(repository: repositoryKey, tags: [ref: object], at: now)
        return now
    }

    /// Evaluates every gate for release tag `release` (short name or `refs/tags/…`) and `target`.
    public func evaluate(target: String, release: String, now: Date = Date()) throws -> GateReport {
        try observeTags(now: now)
        let releaseName = release.hasPrefix("refs/tags/") ? String(release.dropFirst(10)) : release
        let releaseRef = "refs/tags/\(releaseName)"
        guard let releaseObject = try repository.reference(releaseRef) else {
            throw GitError(function: "git_reference_name_to_id", code: -3, message: "no tag named \(releaseName)")
        }
        var report = GateReport(
            target: target, release: releaseName, commit: nil, gates: [], approvals: [],
            quorum: .init(required: policy.quorum, valid: 0))
        let releaseCommit = try repository.peelToCommit(releaseObject)
        report.commit = releaseCommit.hex
        let raw = try repository.rawObject(releaseObject)

        // Annotated, named as its ref.
        var releaseTag: TagObject?
        if raw.kind != .tag {
            report.gates.append(
                .init(
                    name: "release-tag-annotated", passed: false,
                    reason: "\(releaseName) is a lightweight tag (points straight at \(raw.kind.rawValue) "
                        + "\(releaseObject.short)); releases must be annotated, signed tags"))
        } else {
            let tag = try TagObject(raw: raw.data)
            releaseTag = tag
            if tag.name != releaseName {
                report.gates.append(
                    .init(
                        name: "release-tag-annotated", passed: false,
                        reason: "the tag object is named \(tag.name) but is found under \(releaseName)"))
            } else if tag.type != "commit" {
                report.gates.append(
                    .init(
                        name: "release-tag-annotated", passed: false,
                        reason: "the tag points at a \(tag.type), not a commit"))
            } else {
                report.gates.append(
                    .init(
                        name: "release-tag-annotated", passed: true,
                        reason: "annotated tag object \(releaseObject.short)"))
            }
        }

        // Not moved since first seen.
        let first = try store.first(repository: repositoryKey, tag: releaseRef)
        if let first, first.object != releaseObject {
            report.gates.append(
                .init(
                    name: "release-tag-not-moved", passed: false,
                    reason: "\(releaseName) moved: first seen at \(SignatureVerifier.format(first.firstSeen)) "
                        + "pointing at \(first.object.short), now at \(releaseObject.short)"))
        } else {
            report.gates.append(
                .init(name: "release-tag-not-moved", passed: true, reason: "points where it was first seen"))
        }

        // Signed.
        var releaseSigner: String?
        if let releaseTag {
            let seen = try firstSeen(releaseRef, releaseObject, now: now)
            let verdict = verifier.verify(signature: releaseTag.signature, payload: releaseTag.payload, at: seen)
            if verdict.valid { releaseSigner = verdict.principal }
            if policy.requireSignedRelease {
                report.gates.append(.init(name: "release-tag-signed", passed: verdict.valid, reason: verdict.reason))
            } else {
                report.gates.append(
                    .init(name: "release-tag-signed", passed: true, reason: "not required (\(verdict.reason))"))
            }
        } else if policy.requireSignedRelease {
            report.gates.append(
                .init(name: "release-tag-signed", passed: false, reason: "a lightweight tag carries no signature"))
        }

        // Required trailers on the release commit.
        let commit = try repository.commit(releaseCommit)
        let trailers = TrailerParser().parse(commit.message)
        for required in policy.requiredTrailers {
            report.gates.append(Self.check(required, trailers))
        }

        // Approvals.
        let hasApprovals = try !approvalRefs(target: target, release: releaseName).isEmpty
        if policy.quorum > 0 || hasApprovals {
            let authors = policy.fourEyes ? try repository.authorsSincePreviousRelease(releaseName, releaseCommit) : [:]
            var counted: [String: String] = [:]
            for (ref, object) in try approvalRefs(target: target, release: releaseName) {
                var approval = try judgeApproval(
                    ref: ref, object: object, releaseName: releaseName, releaseObject: releaseObject,
                    releaseSigner: releaseSigner, authors: authors, now: now)
                if approval.valid, let principal = approval.principal {
                    if let earlier = counted[principal] {
                        approval.valid = false
                        approval.reason = "\(principal) already approved with \(earlier); counted once"
                    } else {
                        counted[principal] = approval.tag
                    }
                }
                report.approvals.append(approval)
            }
            report.quorum.valid = counted.count
            report.gates.append(
                .init(
                    name: "quorum", passed: counted.count >= policy.quorum,
                    reason: "\(counted.count) of \(policy.quorum) distinct valid approvals for \(target)"))
        }
        return report
    }

    private func approvalRefs(target: String, release: String) throws -> [(name: String, target: ObjectID)] {
        try repository.references(matching: "refs/tags/approval/\(target)/\(release)/*")
    }

    static func check(_ required: GatePolicy.RequiredTrailer, _ trailers: [Trailer]) -> GateReport.Gate {
        let name = "trailer:\(required.key)"
        let matching = trailers.filter { $0.key.lowercased() == required.key.lowercased() }
        guard !matching.isEmpty else {
            return .init(
                name: name, passed: false,
                reason: "the release commit has no \(required.key) trailer in its final paragraph")
        }
        guard let pattern = required.pattern else {
            return .init(name: name, passed: true, reason: "\(required.key): \(matching[0].value)")
        }
        guard let regex = try? Regex(pattern) else {
            return .init(name: name, passed: false, reason: "invalid regular expression \(pattern)")
        }
        if let hit = matching.first(where: { $0.value.wholeMatch(of: regex) != nil }) {
            return .init(name: name, passed: true, reason: "\(required.key): \(hit.value)")
        }
        return .init(
            name: name, passed: false,
            reason: "\(required.key) is \"\(matching[0].value)\", which does not match \(pattern)")
    }

    private func judgeApproval(
        ref: String, object: ObjectID, releaseName: String, releaseObject: ObjectID, releaseSigner: String?,
        authors: [String: ObjectID], now: Date
    ) throws -> GateReport.Approval {
        let short = String(ref.dropFirst("refs/tags/".count))
        var approval = GateReport.Approval(tag: short, principal: nil, valid: false, reason: "")
        let raw = try repository.rawObject(object)
        guard raw.kind == .tag else {
            approval.reason = "lightweight tag: an approval must be a signed annotated tag"
            return approval
        }
        let tag = try TagObject(raw: raw.data)
        guard tag.name == short else {
            approval.reason =
                "the tag object is named \(tag.name), not \(short): an approval re-used under another name"
            return approval
        }
        guard tag.type == "tag", tag.object == releaseObject else {
            approval.reason =
                "approves \(tag.type) \(tag.object.short), not the tag object \(releaseObject.short) of \(releaseName)"
            return approval
        }
        let seen = try firstSeen(ref, object, now: now)
        let verdict = verifier.verify(signature: tag.signature, payload: tag.payload, at: seen)
        approval.principal = verdict.principal
        guard verdict.valid, let principal = verdict.principal else {
            approval.reason = verdict.signed ? verdict.reason : "not signed: an approval must be a signed tag"
            return approval
        }
        if policy.fourEyes {
            if let releaseSigner, Self.samePrincipal(principal, releaseSigner) {
                approval.reason = "\(principal) signed the release; an approver must be someone else"
                return approval
            }
            for email in principal.split(separator: ",").map({ $0.lowercased() }) {
                if let commit = authors[email] {
                    approval.reason = "\(principal) authored commit \(commit.short) of this release"
                    return approval
                }
            }
        }
        approval.valid = true
        approval.reason = verdict.reason
        return approval
    }

    /// Whether two principals fields (comma-separated) share a principal, case-insensitively.
    public static func samePrincipal(_ a: String, _ b: String) -> Bool {
        let left = Set(a.lowercased().split(separator: ","))
        return !left.isDisjoint(with: b.lowercased().split(separator: ","))
    }

    /// The newest release (by semver, under `prefix`) whose gates for `target` all pass.
    public func approvedRelease(target: String, prefix: String, now: Date = Date()) throws -> GateReport? {
        for release in try repository.releaseTags(prefix: prefix).reversed() {
            let report = try evaluate(target: target, release: release.name, now: now)
            if report.passed { return report }
        }
        return nil
    }
}
