import Foundation

extension StateStore {
    /// Places (or replaces) a hold on `target`, for `product` only when given, and records it in the audit log
    /// (who, when, why) in the same transaction.
    public func placeHold(_ hold: Hold) throws {
        let appended = try database.transaction { tx in
            try tx.query(
                """
                INSERT INTO holds (target, product, reason, who, created_at_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (target, product) DO UPDATE SET reason = excluded.reason, who = excluded.who,
                    created_at_ms = excluded.created_at_ms
                """,
                [
                    .text(hold.target), .text(hold.product ?? ""), .text(hold.reason), .text(hold.who),
                    .integer(StoreTime.milliseconds(hold.createdAt)),
                ])
            return try appendAudit(
                Self.holdEntry(
                    "hold", target: hold.target, product: hold.product, who: hold.who, reason: hold.reason,
                    at: hold.createdAt),
                in: tx)
        }
        auditSigner?.didAppend(appended)
    }

    /// Removes the hold on exactly `target` (and `product`) and records who lifted it (and why, when given) in the
    /// audit log; returns whether there was one (nothing is recorded when there was not).
    @discardableResult
    public func removeHold(
        target: String, product: String?, by who: String = "unknown", reason: String? = nil, at date: Date = Date()
    ) throws -> Bool {
        let appended: AuditEntry? = try database.transaction { tx in
            let existing = try tx.query(
                "SELECT 1 FROM holds WHERE target = ? AND product = ?", [.text(target), .text(product ?? "")])
            guard !existing.isEmpty else { return nil }
            try tx.query("DELETE FROM holds WHERE target = ? AND product = ?", [.text(target), .text(product ?? "")])
            return try appendAudit(
                Self.holdEntry("unhold", target: target, product: product, who: who, reason: reason, at: date), in: tx)
        }
        guard let appended else { return false }
        auditSigner?.didAppend(appended)
        return true
    }

    /// An audit entry for a hold or unhold: no commit, the reason as message, the operator as actor.
    private static func holdEntry(
        _ outcome: String, target: String, product: String?, who: String, reason: String?, at date: Date
    ) -> AuditEntry {
        AuditEntry(
            product: product ?? Hold.everyProduct, target: target, commit: "", outcome: outcome, message: reason,
            actor: who, startedAt: date, finishedAt: date)
    }

    /// Every hold, ordered by target then product.
    public func holds() throws -> [Hold] {
        try database.query("SELECT target, product, reason, who, created_at_ms FROM holds ORDER BY target, product")
            .map(Self.hold)
    }

    /// The hold that stops `product` in `target`: its own, else the target-wide one, else nil.
    public func activeHold(product: String, target: String) throws -> Hold? {
        let rows = try database.query(
            """
            SELECT target, product, reason, who, created_at_ms FROM holds
            WHERE target = ? AND (product = ? OR product = '') ORDER BY product DESC LIMIT 1
            """, [.text(target), .text(product)])
        return rows.first.map(Self.hold)
    }

    private static func hold(_ row: [SQLiteValue]) -> Hold {
        let product = row[1].text ?? ""
        return Hold(
            target: row[0].text ?? "", product: product.isEmpty ? nil : product, reason: row[2].text ?? "",
            who: row[3].text ?? "", createdAt: StoreTime.date(row[4].integer ?? 0))
    }
}
