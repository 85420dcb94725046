import Foundation

extension StateStore {
    /// The tables `lakegate state migrate` copies, with their columns: everything but the runtime coordination
    /// (leases, replicas, poll requests), which a new cluster starts afresh.
    static let copiedTables: [(table: String, columns: [String], order: String)] = [
        (
            "deployments",
            ["product", "target", "release", "commit_id", "tag_object", "plan_digest", "outcome", "deployed_at_ms"],
            "product, target"
        ),
        (
            "tag_observations",
            ["repo", "name", "object_id", "first_seen_ms", "last_object_id", "last_seen_ms"], "repo, name"
        ),
        ("holds", ["target", "product", "reason", "who", "created_at_ms"], "target, product"),
        (
            "audit_log",
            [
                "sequence", "product", "target", "release", "commit_id", "tag_object", "approvals",
                "policy_report_digest", "plan_digest", "actions", "outcome", "message", "started_at_ms",
                "finished_at_ms", "previous_hash", "hash", "governance_commit", "actor", "signature",
            ], "sequence"
        ),
        (
            "inventory", ["product", "target", "key", "kind", "name", "live_id", "recorded_at"],
            "product, target, key"
        ),
        ("imports", ["source", "rows", "imported_at_ms"], "source"),
        // Pending notifications are delivered by the new cluster; the conditions keep it from repeating sent ones.
        (
            "notification_outbox",
            [
                "event_id", "provider", "kind", "product", "target", "payload", "created_at_ms", "attempts",
                "next_attempt_ms", "state", "last_error", "finished_at_ms",
            ], "created_at_ms, event_id, provider"
        ),
        (
            "notification_conditions", ["product", "target", "family", "fingerprint", "updated_at_ms"],
            "product, target, family"
        ),
        (
            "last_plans",
            [
                "product", "target", "release", "commit_id", "plan_digest", "outcome", "message", "changes",
                "computed_at_ms", "plan",
            ], "product, target"
        ),
        ("last_applied", ["product", "target", "key", "fields", "applied_at_ms"], "product, target, key"),
    ]

    /// The names of the copied tables, in copy order.
    public static var copiedTableNames: [String] { copiedTables.map(\.table) }

    /// Copies every row of this store into `destination`, which must hold no state yet, in one transaction; the
    /// audit log is copied row for row (hashes and signatures unchanged) and both chains are verified, before and
    /// after, to end at the same head.
    ///
    /// - Returns: the number of rows copied per table.
    /// - Throws: ``StateCopyError`` when the source chain is broken, the destination is not empty, or the copied
    ///   chain does not verify to the same head; nothing is left half-copied.
    public func copy(to destination: StateStore) throws -> [String: Int] {
        let source = try verifyAudit()
        if let broken = source.firstBreak {
            throw StateCopyError(reason: "the source audit chain is broken at entry \(broken.sequence); not copied")
        }
        var counts: [String: Int] = [:]
        try destination.database.transaction { tx in
            for (table, _, _) in Self.copiedTables {
                let existing = try tx.query("SELECT count(*) FROM \(table)").first?.first?.integer ?? 0
                guard existing == 0 else {
                    throw StateCopyError(
                        reason: "\(destination.database.path) already holds state (\(existing) rows in \(table)); "
                            + "migrate into an empty database")
                }
            }
            for (table, columns, order) in Self.copiedTables {
                let list = columns.joined(separator: ", ")
                let placeholders = columns.map { _ in "?" }.joined(separator: ", ")
                let rows = try database.query("SELECT \(list) FROM \(table) ORDER BY \(order)")
                for row in rows {
                    try tx.query("INSERT INTO \(table) (\(list)) VALUES (\(placeholders))", row)
                }
                counts[table] = rows.count
            }
        }
        let copied = try destination.verifyAudit()
        guard copied.firstBreak == nil, copied.headHash == source.headHash, copied.entryCount == source.entryCount
        else {
            throw StateCopyError(
                reason: "the copied audit chain does not verify to the source's head (\(source.headHash)); "
                    + "the destination now holds a partial copy: drop its tables before retrying")
        }
        return counts
    }
}

/// `lakegate state migrate` refused or failed.
public struct StateCopyError: Error, CustomStringConvertible, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "state migrate: \(reason)" }
}
