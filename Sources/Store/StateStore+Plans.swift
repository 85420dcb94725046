import Foundation

extension StateStore {
    /// Keeps `record` as the last plan of its product and target, unless it says nothing new:
    /// - the same plan (digest, commit, outcome, message) is already kept: nothing is written;
    /// - it changes nothing, is for the commit of the kept plan, and the kept plan was applied (or its apply
    ///   failed): the diff that ran stays visible rather than the in-sync pass after it.
    ///
    /// Returns whether it was written.
    @discardableResult
    public func recordPlan(_ record: PlanRecord) throws -> Bool {
        try database.transaction { tx in
            let kept = try tx.query(
                "SELECT plan_digest, commit_id, outcome, message FROM last_plans WHERE product = ? AND target = ?",
                [.text(record.product), .text(record.target)]
            ).first
            if let kept {
                let (digest, commit, outcome, message) = (kept[0].text, kept[1].text, kept[2].text, kept[3].text)
                if digest == record.planDigest, commit == record.commit, outcome == record.outcome,
                    message == record.message
                {
                    return false
                }
                if record.changes == 0, commit == record.commit, ["applied", "failed"].contains(outcome ?? "") {
                    return false
                }
            }
            try tx.query(
                """
                INSERT INTO last_plans (product, target, release, commit_id, plan_digest, outcome, message, changes,
                    computed_at_ms, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (product, target) DO UPDATE SET release = excluded.release,
                    commit_id = excluded.commit_id, plan_digest = excluded.plan_digest, outcome = excluded.outcome,
                    message = excluded.message, changes = excluded.changes, computed_at_ms = excluded.computed_at_ms,
                    plan = excluded.plan
                """,
                [
                    .text(record.product), .text(record.target), record.release.map(SQLiteValue.text) ?? .null,
                    .text(record.commit), .text(record.planDigest), .text(record.outcome), .text(record.message),
                    .integer(Int64(record.changes)), .integer(StoreTime.milliseconds(record.computedAt)),
                    .text(record.document),
                ])
            return true
        }
    }

    /// The last plan kept for `product` in `target`, or nil.
    public func lastPlan(product: String, target: String) throws -> PlanRecord? {
        try database.query(
            """
            SELECT product, target, release, commit_id, plan_digest, outcome, message, changes, computed_at_ms, plan
            FROM last_plans WHERE product = ? AND target = ?
            """, [.text(product), .text(target)]
        ).first.map { row in
            PlanRecord(
                product: row[0].text ?? "", target: row[1].text ?? "", release: row[2].text, commit: row[3].text ?? "",
                planDigest: row[4].text ?? "", outcome: row[5].text ?? "", message: row[6].text ?? "",
                changes: Int(row[7].integer ?? 0), computedAt: StoreTime.date(row[8].integer ?? 0),
                document: row[9].text ?? "{}")
        }
    }
}
