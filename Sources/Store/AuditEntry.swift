import Foundation
import LakegateCore

/// One deployment attempt recorded in the append-only, hash-chained audit log.
///
/// `hash = sha256(previousHash ‖ canonicalJSON)`, where the canonical JSON holds every field below except the
/// two hashes. Editing, removing or reordering a stored entry breaks the chain at that entry.
public struct AuditEntry: Sendable, Hashable {
    /// An approval that counted for the deployment.
    public struct Approval: Sendable, Hashable {
        /// The approval tag, e.g. `approval/prod/v1.2.0/alice`.
        public var tag: String
        /// The signer identity taken from the verified signature.
        public var signer: String
        /// The signing key's fingerprint, when known.
        public var keyFingerprint: String?

        public init(tag: String, signer: String, keyFingerprint: String? = nil) {
            self.tag = tag
            self.signer = signer
            self.keyFingerprint = keyFingerprint
        }
    }

    /// One planned action and what happened when it ran.
    public struct Action: Sendable, Hashable {
        /// The action kind: `create`, `update`, `delete`, `replace`, `retain`.
        public var kind: String
        /// The resource key, e.g. `schemas.sales`.
        public var resource: String
        /// `ok`, `skipped` or `failed: <reason>`.
        public var result: String

        public init(kind: String, resource: String, result: String) {
            self.kind = kind
            self.resource = resource
            self.result = result
        }
    }

    /// Position in the log, from 1; assigned by ``StateStore/appendAudit(_:)``.
    public var sequence: Int64
    public var product: String
    public var target: String
    /// The release tag, when the target follows releases or approvals.
    public var release: String?
    /// The commit that was deployed.
    public var commit: String
    /// The release tag's object id, when there is one.
    public var tagObject: String?
    public var approvals: [Approval]
    /// sha256 of the policy report (canonical JSON) the gates were judged by, when a policy set ran.
    public var policyReportDigest: String?
    /// The governance repository commit the policy set was read at, when a policy set ran.
    public var governanceCommit: String?
    public var planDigest: String?
    public var actions: [Action]
    /// `applied`, `noChange`, `waiting`, `stalled` or `failed`.
    public var outcome: String
    /// A short human explanation (e.g. why a deployment stalled, or a hold's reason).
    public var message: String?
    /// Who did it, for operator actions such as `lakegate hold`; nil for the controller's own entries.
    public var actor: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// The hash of the entry before this one (64 zeros for the first entry).
    public var previousHash: String
    /// This entry's hash.
    public var hash: String
    /// The controller's armoured SSH signature over ``signedPayload`` (namespace `lakegate-audit`), or nil for
    /// entries written before the log was signed. Not part of the hash: it signs the hash.
    public var signature: String?

    /// A new entry to append; the sequence and hashes are filled in by the store.
    public init(
        product: String, target: String, release: String? = nil, commit: String, tagObject: String? = nil,
        approvals: [Approval] = [], policyReportDigest: String? = nil, governanceCommit: String? = nil,
        planDigest: String? = nil, actions: [Action] = [], outcome: String, message: String? = nil,
        actor: String? = nil, startedAt: Date, finishedAt: Date
    ) {
        self.sequence = 0
        self.product = product
        self.target = target
        self.release = release
        self.commit = commit
        self.tagObject = tagObject
        self.approvals = approvals
        self.policyReportDigest = policyReportDigest
        self.governanceCommit = governanceCommit
        self.planDigest = planDigest
        self.actions = actions
        self.outcome = outcome
        self.message = message
        self.actor = actor
        self.startedAt = StoreTime.date(StoreTime.milliseconds(startedAt))
        self.finishedAt = StoreTime.date(StoreTime.milliseconds(finishedAt))
        self.previousHash = AuditEntry.genesisHash
        self.hash = ""
        self.signature = nil
    }

    /// The SSH signature namespace of audit entries and checkpoints.
    public static let signatureNamespace = "lakegate-audit"

    /// What the controller signs for an entry: its sequence and hash, which covers its content and the chain.
    public var signedPayload: Data {
        AuditEntry.signedPayload(sequence: sequence, hash: hash)
    }

    /// The signed payload of entry `sequence` with `hash`.
    public static func signedPayload(sequence: Int64, hash: String) -> Data {
        Data("lakegate-audit entry v1\nsequence \(sequence)\nhash \(hash)\n".utf8)
    }

    /// The previous hash of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hashed content: every field except the hashes, with times in milliseconds since 1970. Fields added
    /// after the first schema (`governanceCommit`, `actor`) are hashed only when set, so older entries verify.
    public var canonicalJSON: String {
        hashedContent.canonicalJSON
    }

    /// The hash this entry should carry after `previousHash`.
    public func computedHash(previousHash: String) -> String {
        SHA256Digest.hex(of: previousHash + canonicalJSON)
    }

    var hashedContent: JSONValue {
        var members: [String: JSONValue] = [
            "sequence": .int(sequence),
            "product": .string(product),
            "target": .string(target),
            "release": release.map(JSONValue.string) ?? .null,
            "commit": .string(commit),
            "tagObject": tagObject.map(JSONValue.string) ?? .null,
            "approvals": approvalsJSON,
            "policyReportDigest": policyReportDigest.map(JSONValue.string) ?? .null,
            "planDigest": planDigest.map(JSONValue.string) ?? .null,
            "actions": actionsJSON,
            "outcome": .string(outcome),
            "message": message.map(JSONValue.string) ?? .null,
            "startedAtMs": .int(StoreTime.milliseconds(startedAt)),
            "finishedAtMs": .int(StoreTime.milliseconds(finishedAt)),
        ]
        if let governanceCommit { members["governanceCommit"] = .string(governanceCommit) }
        if let actor { members["actor"] = .string(actor) }
        return .object(members)
    }

    /// The whole entry, hashes included, for `--output json`.
    public var json: JSONValue {
        guard case .object(var members) = hashedContent else { return hashedContent }
        members["startedAt"] = .string(startedAt.formatted(.iso8601))
        members["finishedAt"] = .string(finishedAt.formatted(.iso8601))
        members["previousHash"] = .string(previousHash)
        members["hash"] = .string(hash)
        members["signature"] = signature.map(JSONValue.string) ?? .null
        return .object(members)
    }

    var approvalsJSON: JSONValue {
        .array(
            approvals.map {
                .object([
                    "tag": .string($0.tag), "signer": .string($0.signer),
                    "keyFingerprint": $0.keyFingerprint.map(JSONValue.string) ?? .null,
                ])
            })
    }

    var actionsJSON: JSONValue {
        .array(
            actions.map {
                .object(["kind": .string($0.kind), "resource": .string($0.resource), "result": .string($0.result)])
            })
    }

    static func approvals(from json: JSONValue) -> [Approval]? {
        guard let items = json.arrayValue else { return nil }
        var result: [Approval] = []
        for item in items {
            guard let tag = item["tag"]?.stringValue, let signer = item["signer"]?.stringValue else { return nil }
            result.append(Approval(tag: tag, signer: signer, keyFingerprint: item["keyFingerprint"]?.stringValue))
        }
        return result
    }

    static func actions(from json: JSONValue) -> [Action]? {
        guard let items = json.arrayValue else { return nil }
        var result: [Action] = []
        for item in items {
            guard let kind = item["kind"]?.stringValue, let resource = item["resource"]?.stringValue,
                let outcome = item["result"]?.stringValue
            else { return nil }
            result.append(Action(kind: kind, resource: resource, result: outcome))
        }
        return result
    }
}
