import Foundation
import LakegateCore

extension StateStore {
    private static let auditColumns = """
        sequence, product, target, release, commit_id, tag_object, approvals, policy_report_digest, plan_digest, \
        actions, outcome, message, started_at_ms, finished_at_ms, previous_hash, hash, governance_commit, actor, \
        signature
        """

    /// Appends `entry` after the current head and returns it with its sequence and hashes filled in.
    ///
    /// With an ``auditSigner`` the entry is signed inside the same transaction; without one, appending to a signed
    /// log is refused. The signer hears of the entry once it is committed.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) throws -> AuditEntry {
        let appended = try database.transaction { tx in try appendAudit(entry, in: tx) }
        auditSigner?.didAppend(appended)
        return appended
    }

    /// Appends `entry` inside a transaction that also changes other state (a hold and its audit entry); the
    /// caller tells ``auditSigner`` after the commit.
    func appendAudit(_ entry: AuditEntry, in tx: any StateTransaction) throws -> AuditEntry {
        if database.dialect == .postgres {
            // One chain across replicas: appends wait for each other until the appending transaction commits.
            try tx.query("SELECT pg_advisory_xact_lock(\(Self.auditChainLockKey))")
        }
        try checkFence(in: tx)
        let head = try tx.query("SELECT sequence, hash, signature FROM audit_log ORDER BY sequence DESC LIMIT 1")
        var entry = entry
        entry.sequence = (head.first?[0].integer ?? 0) + 1
        entry.previousHash = head.first?[1].text ?? AuditEntry.genesisHash
        entry.hash = entry.computedHash(previousHash: entry.previousHash)
        if let auditSigner {
            do {
                entry.signature = try auditSigner.sign(entry.signedPayload)
            } catch {
                throw AuditAppendError(reason: "signing entry \(entry.sequence) failed: \(error)")
            }
        } else if head.first?[2].text != nil {
            // An unsigned entry after signed ones would read as tampering; refuse instead of weakening the log.
            throw AuditAppendError(
                reason: "the audit log is signed and no signing key is configured (audit.signingKey in lakegate.yaml)")
        }
        try tx.query(
            "INSERT INTO audit_log (\(Self.auditColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .integer(entry.sequence), .text(entry.product), .text(entry.target), Self.optional(entry.release),
                .text(entry.commit), Self.optional(entry.tagObject), .text(entry.approvalsJSON.canonicalJSON),
                Self.optional(entry.policyReportDigest), Self.optional(entry.planDigest),
                .text(entry.actionsJSON.canonicalJSON), .text(entry.outcome), Self.optional(entry.message),
                .integer(StoreTime.milliseconds(entry.startedAt)),
                .integer(StoreTime.milliseconds(entry.finishedAt)), .text(entry.previousHash), .text(entry.hash),
                Self.optional(entry.governanceCommit), Self.optional(entry.actor), Self.optional(entry.signature),
            ])
        return entry
    }

    /// The newest audit entry of `product` in `target`, if any.
    public func lastAuditEntry(product: String, target: String) throws -> AuditEntry? {
        let rows = try database.query(
            "SELECT \(Self.auditColumns) FROM audit_log WHERE product = ? AND target = ? ORDER BY sequence DESC LIMIT 1",
            [.text(product), .text(target)])
        return try rows.first.map { row in
            switch Self.decodeAudit(row) {
            case .success(let entry): return entry
            case .failure(let error): throw error
            }
        }
    }

    /// The audit entries in order, optionally only those of `product` (with the target-wide holds) and/or
    /// `target`.
    public func auditEntries(product: String? = nil, target: String? = nil) throws -> [AuditEntry] {
        var conditions: [String] = []
        var parameters: [SQLiteValue] = []
        if let product {
            // Target-wide holds (product `*`) concern every product of the target.
            conditions.append("(product = ? OR product = '\(Hold.everyProduct)')")
            parameters.append(.text(product))
        }
        if let target {
            conditions.append("target = ?")
            parameters.append(.text(target))
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try database.query(
            "SELECT \(Self.auditColumns) FROM audit_log\(whereClause) ORDER BY sequence", parameters)
        return try rows.map { row in
            switch Self.decodeAudit(row) {
            case .success(let entry): return entry
            case .failure(let error): throw error
            }
        }
    }

    /// Checks the whole chain and names the first entry that breaks it.
    ///
    /// Edits, deletions and reorderings are caught even when someone dropped the triggers: the hashes are
    /// recomputed from the stored columns. Entries before the first signed one are a legacy prefix (counted in
    /// ``AuditVerification/unsignedPrefix``); after it every entry must be signed, and `checkSignature` (when given)
    /// judges each signature, returning why it fails or nil. A removed tail and a rehashed, re-signed forgery need
    /// the key and a checkpoint kept elsewhere: see the `AuditTrail` module.
    public func verifyAudit(checkSignature: ((AuditEntry) -> String?)? = nil) throws -> AuditVerification {
        let rows = try database.query("SELECT \(Self.auditColumns) FROM audit_log ORDER BY sequence")
        var result = AuditVerification(entryCount: rows.count, headHash: AuditEntry.genesisHash, firstBreak: nil)
        var expectedSequence: Int64 = 1
        var signedSeen = false
        for row in rows {
            let sequence = row[0].integer ?? -1
            let entry: AuditEntry
            switch Self.decodeAudit(row) {
            case .success(let decoded): entry = decoded
            case .failure(let error):
                result.firstBreak = .init(sequence: sequence, problem: .unreadable(error.description))
                return result
            }
            func broken(_ problem: AuditVerification.Problem) -> AuditVerification {
                var broken = result
                broken.firstBreak = .init(sequence: entry.sequence, problem: problem)
                return broken
            }
            if entry.sequence != expectedSequence {
                return broken(.missingEntries(expected: expectedSequence, found: entry.sequence))
            }
            if entry.previousHash != result.headHash {
                return broken(.previousHashMismatch(stored: entry.previousHash, expected: result.headHash))
            }
            let computed = entry.computedHash(previousHash: result.headHash)
            if computed != entry.hash {
                return broken(.contentMismatch(stored: entry.hash, computed: computed))
            }
            if entry.signature == nil {
                if signedSeen { return broken(.unsigned) }
                result.unsignedPrefix += 1
            } else {
                signedSeen = true
                if let checkSignature, let problem = checkSignature(entry) {
                    return broken(.badSignature(problem))
                }
            }
            result.headHash = entry.hash
            result.headSequence = entry.sequence
            expectedSequence += 1
        }
        return result
    }

    /// Whether an entry of `product` in `target` with exactly this outcome and message exists (an event recorded
    /// once per cause).
    public func hasAuditEntry(product: String, target: String, outcome: String, message: String) throws -> Bool {
        try !database.query(
            "SELECT 1 FROM audit_log WHERE product = ? AND target = ? AND outcome = ? AND message = ? LIMIT 1",
            [.text(product), .text(target), .text(outcome), .text(message)]
        ).isEmpty
    }

    /// The newest entry's sequence and hash: `(0, genesis hash)` for an empty log.
    public func auditHead() throws -> (sequence: Int64, hash: String) {
        let rows = try database.query("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1")
        guard let row = rows.first, let sequence = row[0].integer, let hash = row[1].text else {
            return (0, AuditEntry.genesisHash)
        }
        return (sequence, hash)
    }

    /// The hash of audit entry `sequence`, or nil when there is no such entry.
    public func auditHash(sequence: Int64) throws -> String? {
        try database.query("SELECT hash FROM audit_log WHERE sequence = ?", [.integer(sequence)]).first?[0].text
    }

    /// A stored audit row that cannot be read back.
    public struct AuditDecodeError: Error, CustomStringConvertible, Sendable {
        public var sequence: Int64
        public var column: String
        public var description: String { "audit entry \(sequence): column \(column) is not readable" }
    }

    /// The PostgreSQL advisory lock key that serializes audit appends.
    static let auditChainLockKey: Int64 = 0x6C61_6B65_6175_6474

    private static func optional(_ value: String?) -> SQLiteValue {
        value.map(SQLiteValue.text) ?? .null
    }

    private static func decodeAudit(_ row: [SQLiteValue]) -> Result<AuditEntry, AuditDecodeError> {
        let sequence = row[0].integer ?? -1
        func fail(_ column: String) -> Result<AuditEntry, AuditDecodeError> {
            .failure(AuditDecodeError(sequence: sequence, column: column))
        }
        guard row.count == 19, row[0].integer != nil else { return fail("sequence") }
        guard let product = row[1].text else { return fail("product") }
        guard let target = row[2].text else { return fail("target") }
        guard let commit = row[4].text else { return fail("commit_id") }
        guard let approvalsText = row[6].text, let approvalsJSON = try? JSONValue(parsing: approvalsText),
            let approvals = AuditEntry.approvals(from: approvalsJSON)
        else { return fail("approvals") }
        guard let actionsText = row[9].text, let actionsJSON = try? JSONValue(parsing: actionsText),
            let actions = AuditEntry.actions(from: actionsJSON)
        else { return fail("actions") }
        guard let outcome = row[10].text else { return fail("outcome") }
        guard let started = row[12].integer else { return fail("started_at_ms") }
        guard let finished = row[13].integer else { return fail("finished_at_ms") }
        guard let previousHash = row[14].text else { return fail("previous_hash") }
        guard let hash = row[15].text else { return fail("hash") }
        var entry = AuditEntry(
            product: product, target: target, release: row[3].text, commit: commit, tagObject: row[5].text,
            approvals: approvals, policyReportDigest: row[7].text, governanceCommit: row[16].text,
            planDigest: row[8].text, actions: actions, outcome: outcome, message: row[11].text, actor: row[17].text,
            startedAt: StoreTime.date(started), finishedAt: StoreTime.date(finished))
        entry.sequence = sequence
        entry.previousHash = previousHash
        entry.hash = hash
        entry.signature = row[18].text
        return .success(entry)
    }
}
