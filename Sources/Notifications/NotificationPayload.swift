import Foundation

/// The JSON body of every event: what the generic webhook receives verbatim and what Slack, Teams and commit
/// statuses are made from. Field names are part of the documented interface (docs/notifications.md).
public struct NotificationPayload: Codable, Sendable, Hashable {
    /// The event id (also the `X-Lakegate-Event-Id` header): the same on every delivery attempt.
    public var id: String
    /// `approval.requested`, `approval.recorded`, `deployed`, `stalled`, `failed`, `drift.detected`, `security`.
    public var kind: String
    public var product: String
    public var environment: String
    /// The product's Git remote as configured.
    public var repository: String
    public var release: String?
    /// The commit the event is about (the release commit).
    public var commit: String?
    /// When it happened, ISO 8601 UTC.
    public var occurredAt: String
    /// Why, in one line (the reconcile's message).
    public var message: String
    /// Valid approvals against the quorum (approval events).
    public var quorum: Quorum?
    /// The approvals that counted so far.
    public var approvals: [Approval]?
    /// What applying the release would change (approval.requested) or changed (deployed).
    public var plan: Plan?
    /// Every gate's verdict; failing `policy:` gates are the blocking policies.
    public var gates: [Gate]?
    /// sha256 of the policy report the gates were judged by.
    public var policyReportDigest: String?
    /// The exact command an approver runs (approval.requested, approval.recorded).
    public var approveCommand: String?
    /// Owned resources that differ (drift.detected).
    public var drift: Int?
    /// A link for people (the console's page of the product), when the console's URL is known.
    public var link: String?

    public struct Quorum: Codable, Sendable, Hashable {
        public var required: Int
        public var valid: Int

        public init(required: Int, valid: Int) {
            self.required = required
            self.valid = valid
        }
    }

    public struct Approval: Codable, Sendable, Hashable {
        public var tag: String
        public var signer: String

        public init(tag: String, signer: String) {
            self.tag = tag
            self.signer = signer
        }
    }

    public struct Plan: Codable, Sendable, Hashable {
        /// The plan's summary line, e.g. `2 to create, 1 to update`.
        public var summary: String
        /// One line per action: `+ schemas.sales`, `~ tables.sales.leads`.
        public var changes: [String]

        public init(summary: String, changes: [String]) {
            self.summary = summary
            self.changes = changes
        }
    }

    public struct Gate: Codable, Sendable, Hashable {
        public var name: String
        public var passed: Bool
        public var reason: String

        public init(name: String, passed: Bool, reason: String) {
            self.name = name
            self.passed = passed
            self.reason = reason
        }
    }

    public init(
        id: String, kind: String, product: String, environment: String, repository: String, release: String?,
        commit: String?, occurredAt: String, message: String
    ) {
        self.id = id
        self.kind = kind
        self.product = product
        self.environment = environment
        self.repository = repository
        self.release = release
        self.commit = commit
        self.occurredAt = occurredAt
        self.message = message
    }

    /// Reads a stored payload.
    public init(json: String) throws {
        do {
            self = try JSONDecoder().decode(NotificationPayload.self, from: Data(json.utf8))
        } catch {
            throw NotificationError("the stored event is not readable: \(error)")
        }
    }

    /// The canonical JSON text stored in the outbox and sent by the generic webhook (sorted keys, no spaces).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The blocking policies: failing `policy:` gates.
    public var blockingPolicies: [String] {
        (gates ?? []).filter { !$0.passed && $0.name.hasPrefix("policy:") }.map { String($0.name.dropFirst(7)) }
    }

    /// One line for a chat message or a commit status.
    public var title: String {
        let what = release ?? commit.map { String($0.prefix(12)) } ?? "?"
        switch kind {
        case "approval.requested":
            return "\(product) \(what) awaits approval for \(environment)"
                + (quorum.map { " (\($0.valid) of \($0.required))" } ?? "")
        case "approval.recorded":
            return "\(product) \(what): approval recorded for \(environment)"
                + (quorum.map { " (\($0.valid) of \($0.required))" } ?? "")
        case "deployed": return "\(product) \(what) deployed to \(environment)"
        case "stalled": return "\(product) \(what) stalled in \(environment)"
        case "failed": return "\(product) \(what) failed in \(environment)"
        case "drift.detected": return "\(product): drift in \(environment) (\(drift ?? 0) resource(s))"
        case "security": return "\(product): security event in \(environment)"
        default: return "\(product) \(environment): \(kind)"
        }
    }

    /// The lines under the title: the message, the plan, the blocking policies.
    public var details: [String] {
        var lines = [message]
        if let plan {
            lines.append("Plan: \(plan.summary)")
            lines += plan.changes.prefix(20).map { "  \($0)" }
            if plan.changes.count > 20 { lines.append("  … and \(plan.changes.count - 20) more") }
        }
        if !blockingPolicies.isEmpty { lines.append("Blocking policies: " + blockingPolicies.joined(separator: ", ")) }
        if let approvals, !approvals.isEmpty {
            lines.append("Approved by: " + approvals.map(\.signer).joined(separator: ", "))
        }
        return lines
    }

    /// Name and value pairs (the Teams fact set).
    public var facts: [(String, String)] {
        var facts: [(String, String)] = [("Product", product), ("Environment", environment)]
        if let release { facts.append(("Release", release)) }
        if let commit { facts.append(("Commit", String(commit.prefix(12)))) }
        if let quorum { facts.append(("Approvals", "\(quorum.valid) of \(quorum.required)")) }
        facts.append(("Event", "\(kind) · \(id)"))
        return facts
    }
}
