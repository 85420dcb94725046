import Foundation

/// Every gate's result for one candidate release in one environment, and what the controller does about it.
///
/// The shape `lakegate gates --output json` prints and `serve` reaches: one function computes it.
public struct ReleaseVerdict: Sendable, Equatable, Codable {
    /// Why a gate failed, which decides what happens next.
    public enum Failure: String, Sendable, Equatable, Codable {
        /// Something that can still arrive without a new commit: approvals, promotion through earlier environments.
        case pending
        /// A rule refuses the release: a new release is needed.
        case blocking
        /// A release tag moved, was deleted or re-signed: refused, reported, audited.
        case security
        /// A needed input could not be read now (the governance repository): retried.
        case unavailable
    }

    /// One gate and its result.
    public struct Gate: Sendable, Equatable, Codable {
        public var name: String
        public var passed: Bool
        public var reason: String
        /// How a failure counts; nil when passed.
        public var failure: Failure?

        public init(name: String, passed: Bool, reason: String, failure: Failure? = nil) {
            self.name = name
            self.passed = passed
            self.reason = reason
            self.failure = passed ? nil : (failure ?? .blocking)
        }
    }

    /// One approval tag and whether it counts.
    public struct Approval: Sendable, Equatable, Codable {
        public var tag: String
        public var principal: String?
        public var valid: Bool
        public var reason: String
        /// The plan digest the approval recorded (`Approved-Plan:`), if any.
        public var planDigest: String? = nil
        /// A valid re-approval by a principal who already approved: not counted again for the quorum, but it is
        /// what binds that principal to a new plan (`gates.bindPlan`).
        public var repeated: Bool = false

        public init(tag: String, principal: String?, valid: Bool, reason: String) {
            self.tag = tag
            self.principal = principal
            self.valid = valid
            self.reason = reason
        }
    }

    /// Distinct valid approvers against the quorum.
    public struct Quorum: Sendable, Equatable, Codable {
        public var required: Int
        public var valid: Int

        public init(required: Int, valid: Int) {
            self.required = required
            self.valid = valid
        }
    }

    /// What the controller does with the candidate.
    public enum Decision: String, Sendable, Equatable, Codable {
        /// Every gate passed: plan and apply.
        case proceed
        /// Pending gates only: try again next poll.
        case wait
        /// Refused until something changes in git: recorded in the audit once per cause.
        case stall
        /// An input could not be read: retried with backoff.
        case fail
    }

    public var target: String
    public var release: String?
    public var commit: String?
    public var gates: [Gate]
    public var approvals: [Approval]
    public var quorum: Quorum
    public var decision: Decision
    /// Why, in one line: the failing gates that decided (for a stall its security and blocking causes, so the
    /// reason stays the same while pending gates come and go); ``failing`` lists every failing gate.
    public var reason: String
    /// Whether a release tag was tampered with (moved, deleted, re-signed).
    public var securityEvent: Bool
    /// When the newest approval counted for the quorum was first seen (approvals environments).
    public var approvedAt: Date?
    /// sha256 of the policy report, when the policy set was evaluated.
    public var policyReportDigest: String?
    /// The governance commit the policy set was read at.
    public var governanceCommit: String?

    public init(
        target: String, release: String?, commit: String?, gates: [Gate], approvals: [Approval], quorum: Quorum,
        decision: Decision, reason: String, securityEvent: Bool, approvedAt: Date? = nil,
        policyReportDigest: String? = nil, governanceCommit: String? = nil
    ) {
        self.target = target
        self.release = release
        self.commit = commit
        self.gates = gates
        self.approvals = approvals
        self.quorum = quorum
        self.decision = decision
        self.reason = reason
        self.securityEvent = securityEvent
        self.approvedAt = approvedAt
        self.policyReportDigest = policyReportDigest
        self.governanceCommit = governanceCommit
    }

    /// Whether every gate passed.
    public var passed: Bool { gates.allSatisfy(\.passed) }

    /// The failing gates.
    public var failing: [Gate] { gates.filter { !$0.passed } }
}
