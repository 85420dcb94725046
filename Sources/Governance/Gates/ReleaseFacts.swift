import Foundation
import LakegateCore

/// Everything the gates of one environment judge a candidate release on, collected beforehand (from git, the
/// state store, the governance repository) so that ``ReleaseGates/judge(_:rules:)`` is a pure function.
public struct ReleaseFacts: Sendable {
    /// The environment judged for.
    public var target: String
    /// The release tag's short name (`v1.4.0`, `dp/orders/v1.4.0`); nil for a branch head.
    public var release: String?
    /// The commit to deploy; nil when the release tag is gone and no approval pins its commit.
    public var commit: String?
    /// The release tag as it is now; nil when the ref no longer exists.
    public var tag: TagFacts?
    /// The first mapping recorded for the release ref; nil when it was never seen before.
    public var firstSeen: FirstSeen?
    /// The commits of the release range (previous release, release].
    public var range: ReleaseRange?
    /// The approval tags of this release for ``target``.
    public var approvals: [ApprovalFacts]
    /// Whether the release converged in each environment this one requires.
    public var promotion: [PromotionFacts]
    /// What this environment runs now, and whether its release tag is still intact.
    public var deployed: DeployedFacts?
    /// The contracts of the candidate and of the releases consumers have now; nil when not compared.
    public var contracts: ContractFacts?
    /// The environment's policy set and what it is evaluated on.
    public var policies: PolicyFacts
    /// The release tag is about to be created (`lakegate release`): its tag gates do not apply yet.
    public var prospective = false

    public init(
        target: String, release: String?, commit: String?, tag: TagFacts? = nil, firstSeen: FirstSeen? = nil,
        range: ReleaseRange? = nil, approvals: [ApprovalFacts] = [], promotion: [PromotionFacts] = [],
        deployed: DeployedFacts? = nil, contracts: ContractFacts? = nil, policies: PolicyFacts = .notRequired
    ) {
        self.target = target
        self.release = release
        self.commit = commit
        self.tag = tag
        self.firstSeen = firstSeen
        self.range = range
        self.approvals = approvals
        self.promotion = promotion
        self.deployed = deployed
        self.contracts = contracts
        self.policies = policies
    }

    /// A tag ref and, when annotated, its tag object.
    public struct TagFacts: Sendable, Equatable {
        /// What the ref points at now (the tag object for annotated tags).
        public var object: String
        public var annotated: Bool
        /// The name written inside the tag object.
        public var name: String?
        /// The type of the object the tag object points at (`commit`, `tag`).
        public var targetType: String?
        /// The object the tag object points at.
        public var target: String?
        /// Checked against the environment's allowed signers; its principal is the signer (never the tagger line).
        public var signature: SignatureVerdict

        public init(
            object: String, annotated: Bool, name: String? = nil, targetType: String? = nil, target: String? = nil,
            signature: SignatureVerdict
        ) {
            self.object = object
            self.annotated = annotated
            self.name = name
            self.targetType = targetType
            self.target = target
            self.signature = signature
        }
    }

    /// The first recorded mapping of a ref: what it pointed at, when, and the commit that peels to.
    public struct FirstSeen: Sendable, Equatable {
        public var object: String
        public var at: Date
        /// The commit the first object peels to, when it is still readable.
        public var commit: String?

        public init(object: String, at: Date, commit: String? = nil) {
            self.object = object
            self.at = at
            self.commit = commit
        }
    }

    /// One commit of the release range.
    public struct CommitFacts: Sendable, Equatable {
        public var id: String
        public var message: String

        public init(id: String, message: String) {
            self.id = id
            self.message = message
        }

        /// The first line of the message.
        public var title: String { message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }
    }

    /// The release range (previous release, release].
    public struct ReleaseRange: Sendable, Equatable {
        /// The previous release (the rule: same prefix, the newest lower version); nil for the first release.
        public var previous: String?
        /// First-parent commits of the range, newest (the release commit) first.
        public var commits: [CommitFacts]
        /// Author e-mail (lower case) → one commit they authored, over every commit of the range (four eyes).
        public var authors: [String: String]

        public init(previous: String?, commits: [CommitFacts], authors: [String: String]) {
            self.previous = previous
            self.commits = commits
            self.authors = authors
        }
    }

    /// One approval tag of the release.
    public struct ApprovalFacts: Sendable, Equatable {
        /// The approval tag's short name, `approval/<env>/<release>/<who>`.
        public var tag: String
        /// The approval tag as read like the release tag; its target must be the release tag object as first seen.
        public var tagObject: TagFacts
        /// When the approval was first seen: orders approvals (the newest approval names the release).
        public var firstSeen: Date
        /// The plan digest the approval recorded (its `Approved-Plan:` trailer), if any.
        public var planDigest: String?

        public init(tag: String, tagObject: TagFacts, firstSeen: Date, planDigest: String? = nil) {
            self.planDigest = planDigest
            self.tag = tag
            self.tagObject = tagObject
            self.firstSeen = firstSeen
        }
    }

    /// Whether the release converged (applied or in sync, every gate passed) in one required environment.
    public struct PromotionFacts: Sendable, Equatable {
        public var environment: String
        public var converged: Bool
        /// What that environment runs now.
        public var running: String?

        public init(environment: String, converged: Bool, running: String?) {
            self.environment = environment
            self.converged = converged
            self.running = running
        }
    }

    /// The release this environment runs, and whether its tag still points where it did when deployed.
    public struct DeployedFacts: Sendable, Equatable {
        public var release: String
        /// Why the deployed release's tag is no longer intact (deleted, moved, re-signed); nil when intact.
        public var broken: String?
        /// Whether the candidate legitimately supersedes it: a newer release, or one named by a newer approval.
        public var candidateSupersedes: Bool

        public init(release: String, broken: String?, candidateSupersedes: Bool) {
            self.release = release
            self.broken = broken
            self.candidateSupersedes = candidateSupersedes
        }
    }

    /// ODCS contracts by path.
    public struct ContractSet: Sendable {
        /// The release these contracts were read at.
        public var release: String
        /// Path → whole contract document; nil with ``problem`` when they could not be read.
        public var contracts: [String: JSONValue]
        public var problem: String?

        public init(release: String, contracts: [String: JSONValue], problem: String? = nil) {
            self.release = release
            self.contracts = contracts
            self.problem = problem
        }
    }

    /// The candidate's contracts and those of every release consumers have now (deployed here and in the
    /// required environments; the previous release before any deployment).
    public struct ContractFacts: Sendable {
        public var candidate: ContractSet
        public var references: [ContractSet]
        /// The candidate converged in this environment before: going back to it (a rollback by a new approval)
        /// reports breaking changes against newer releases but is not blocked by them.
        public var ranHereBefore: Bool

        public init(candidate: ContractSet, references: [ContractSet], ranHereBefore: Bool = false) {
            self.candidate = candidate
            self.references = references
            self.ranHereBefore = ranHereBefore
        }
    }

    /// The environment's policy set, ready to evaluate, or why it cannot be.
    public enum PolicyFacts: Sendable {
        /// `policySet: none` (or a branch environment without one).
        case notRequired
        /// The set could not be read (missing, invalid files) or the candidate could not be loaded: a stall.
        case unusable(set: String, reason: String)
        /// The governance repository could not be reached: a failure retried later.
        case unavailable(set: String, reason: String)
        /// The policies of `set` at governance commit `commit`, and the candidate's inputs.
        case loaded(set: String, commit: String, policies: [Policy], inputs: PolicyTargetInputs)
    }
}
