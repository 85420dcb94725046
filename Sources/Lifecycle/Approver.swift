import Descriptors
import Foundation
import GitSource
import Governance
import LakegateCore

/// `lakegate approve`: shows what is being approved, then creates the signed tag `approval/<env>/<release>/<who>`
/// on the release tag object.
public struct Approver: Sendable {
    public var productPath: String
    /// The release tag, e.g. `v1.2.0` or `dp/orders/v1.2.0`.
    public var release: String
    public var target: String
    /// The signing key, the approver's message and the environment git's identity comes from.
    public var authoring: TagAuthoring
    /// The policy directory; policies are evaluated only when it exists.
    public var policies: String?
    /// An allowed_signers file: names the approver (the principal of the signing key) and the release signer.
    public var allowedSigners: String?
    /// Revoked public keys: an approval by one of them is refused.
    public var revoked: String?
    /// Four eyes: the release's signer and the authors of its range may not approve it.
    public var fourEyes: Bool = true
    /// The governance verdict `serve` reaches for the release in the target (from `lakegate.yaml`): every failing
    /// gate refuses the approval but those an approval itself settles (the quorum, superseding a tampered
    /// deployed release).
    public var verdict: ReleaseVerdict?
    /// The digest of the plan serve would run for the release in the target (`gates.bindPlan`): recorded as the
    /// tag's `Approved-Plan:` trailer, so the approval counts only for that plan.
    public var planDigest: String?

    public init(
        productPath: String, release: String, target: String, key: String? = nil, policies: String? = nil,
        allowedSigners: String? = nil, message: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.productPath = productPath
        self.release = release
        self.target = target
        self.authoring = TagAuthoring(key: key, message: message, environment: environment)
        self.policies = policies
        self.allowedSigners = allowedSigners
    }

    /// What the approver is shown before signing.
    public struct Summary: Sendable {
        public var release: String
        public var target: String
        public var tagObject: ObjectID
        public var commit: ObjectID
        public var commitTitle: String
        /// The tagger line of the release (unauthenticated).
        public var tagger: String?
        /// The release signature checked against the allowed signers, when given.
        public var releaseSignature: SignatureVerdict?
        /// The digests recorded by `lakegate release`.
        public var record: ReleaseRecord
        /// The desired state of the target now rendered from the release commit.
        public var stateDigest: String
        /// The policy dry run recomputed from the release commit; nil when no policy directory was found.
        public var evaluation: ReleaseEvaluation?
        /// Why policies were not evaluated.
        public var policyNote: String?
        /// The approving principal and the tag that will be created.
        public var principal: String
        public var approvalTag: String
        /// Why the approval is refused (four eyes, a revoked key, a blocking policy, every failing gate of the
        /// verdict): ``Approver/approve(_:now:)`` creates no tag while there is one.
        public var refusals: [String]
        public var location: ProductLocation
        /// The state digest `release` recorded for the target, if any.
        public var recordedState: String? { record.states[target] }
        /// Whether the recomputed state digest equals the recorded one (nil when nothing was recorded).
        public var stateMatches: Bool? { recordedState.map { $0 == stateDigest } }
        /// Whether the recomputed policy report digest equals the recorded one (nil when either is missing).
        public var reportMatches: Bool? {
            guard let recorded = record.policyReport, let evaluation else { return nil }
            return recorded == evaluation.report.digest
        }
    }

    /// Reads the release, recomputes its digests and policy report, and picks the approval tag name. Blocking.
    public func summarize(now: Date = Date()) throws -> Summary {
        let location = try ProductLocation(productPath: productPath)
        let repository = try location.open()
        let releaseName = release.hasPrefix("refs/tags/") ? String(release.dropFirst(10)) : release
        guard let tagObject = try repository.reference("refs/tags/\(releaseName)") else {
            throw LifecycleError("no release tag \(releaseName) in \(location.workTree)")
        }
        let raw = try repository.rawObject(tagObject)
        guard raw.kind == .tag else {
            throw LifecycleError(
                "\(releaseName) is a lightweight tag; only annotated release tags can be approved (lakegate release)")
        }
        let tag = try TagObject(raw: raw.data)
        let commit = try repository.peelToCommit(tagObject)
        let commitInfo = try repository.commit(commit)
        let record = ReleaseRecord(message: tag.message)
        let signers = try allowedSigners.map { try AllowedSigners(contentsOf: $0) }

        var refusals: [String] = []
        var releaseSignature: SignatureVerdict?
        if let signers {
            releaseSignature = SignatureVerifier(allowedSigners: signers).verify(
                signature: tag.signature, payload: tag.payload, at: now)
        }

        // The policy dry run, recomputed at the release commit.
        var evaluation: ReleaseEvaluation?
        var policyNote: String?
        var targets = record.policyTargets.isEmpty ? [target] : record.policyTargets
        if !targets.contains(target) { targets.append(target) }
        let stateDigest: String
        if let policies, FileManager.default.fileExists(atPath: policies) {
            let result = try ReleaseEvaluation.evaluate(
                repositoryPath: location.workTree, commit: commit, prefix: location.prefix, release: releaseName,
                policies: DirectoryFileSource(root: URL(fileURLWithPath: policies)), targets: targets)
            evaluation = result
            stateDigest = result.states[target]?.digest ?? ""
        } else {
            policyNote = "not evaluated: no policy directory \(policies ?? "") (--policies DIR or LAKEGATE_POLICIES)"
            let source = try GitTreeFileSource(
                repositoryPath: location.workTree, revision: commit.hex, prefix: location.prefix)
            do {
                stateDigest = try ProductLoader.load(source).render(target: target).digest
            } catch {
                throw LifecycleError("the release does not render for \(target):\n\(error)")
            }
        }

        // Who approves, and whether it will count.
        let signer = try authoring.signer(in: repository)
        let publicKey = try signer.publicKey()
        var principal: String
        if let signers {
            let fields = publicKey.split(separator: " ").map(String.init)
            let key = try SSHPublicKey(type: fields.first ?? "", base64: fields.count > 1 ? fields[1] : "")
            if let entry = signers.entries.first(where: { $0.key == key }) {
                principal = entry.principals
                if let revoked, try RevocationList(contentsOf: revoked).contains(key) {
                    refusals.append("the signing key \(key.fingerprint) of \(principal) is revoked (\(revoked))")
                }
            } else {
                principal = "unknown-key"
                refusals.append(
                    "the signing key \(key.fingerprint) is not in \(signers.path): the approval would not count")
            }
        } else {
            principal = try authoring.committer(in: repository).email
        }
        let releaseSigner = releaseSignature?.valid == true ? releaseSignature?.principal : nil
        let authors = try repository.releaseRange(of: releaseName, commit: commit).authors
        if let problem = ReleaseGates.fourEyesProblem(
            principal, releaseSigner: releaseSigner, authors: authors, rules: GateRules(fourEyes: fourEyes))
        {
            refusals.append("four eyes: \(problem)")
        }
        if let report = evaluation?.report.targets.first(where: { $0.target == target }), !report.passed {
            refusals.append("the policy dry run for \(target) is BLOCKED (see below)")
        }
        // The quorum is what this approval is for; a newer approval is also what lets a release supersede a
        // tampered deployed one (the way back after a security event).
        for gate in verdict?.failing ?? [] where gate.name != "quorum" && gate.name != "deployed-release-intact" {
            refusals.append("gate \(gate.name): \(gate.reason)")
        }
        let name = principal.split(separator: ",").first.map(String.init) ?? principal
        let base = "approval/\(target)/\(releaseName)/\(name)"
        var approvalTag = base
        var counter = 2
        while try repository.reference("refs/tags/\(approvalTag)") != nil {
            approvalTag = "\(base)-\(counter)"
            counter += 1
        }
        guard Repository.isValidReferenceName("refs/tags/\(approvalTag)") else {
            throw LifecycleError("'\(approvalTag)' is not a valid tag name (principal \(principal))")
        }
        return Summary(
            release: releaseName, target: target, tagObject: tagObject, commit: commit,
            commitTitle: commitInfo.message.split(separator: "\n").first.map(String.init) ?? "", tagger: tag.tagger,
            releaseSignature: releaseSignature, record: record, stateDigest: stateDigest, evaluation: evaluation,
            policyNote: policyNote, principal: principal, approvalTag: approvalTag, refusals: refusals,
            location: location)
    }

    /// Creates the signed approval tag on the release tag object. Blocking. Refuses (creating nothing) while the
    /// summary lists a refusal.
    public func approve(_ summary: Summary, now: Date = Date()) throws -> ObjectID {
        guard summary.refusals.isEmpty else {
            throw LifecycleError(
                "refused: no approval tag was created:\n  " + summary.refusals.joined(separator: "\n  "))
        }
        let repository = try summary.location.open()
        var trailers =
            "Approved-Env: \(target)\nApproved-Release: \(summary.release)\nApproved-Commit: \(summary.commit.hex)\n"
        trailers += "\(ReleaseRecord.statePrefix)\(target): \(summary.stateDigest)\n"
        if let evaluation = summary.evaluation {
            trailers += "\(ReleaseRecord.policyReportKey): \(evaluation.report.digest)\n"
        }
        if let planDigest { trailers += "\(ReleaseGates.planTrailer): \(planDigest)\n" }
        return try authoring.createTag(
            summary.approvalTag, target: summary.tagObject,
            text: authoring.text(title: "Approve \(summary.release) for \(target)", trailers: trailers),
            signer: try authoring.signer(in: repository), in: repository, now: now)
    }
}
