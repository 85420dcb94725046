import Foundation

extension StateStore {
    /// Records `deployment` as the current one for its product and target.
    public func recordDeployment(_ deployment: Deployment) throws {
        try database.transaction { tx in try recordDeployment(deployment, in: tx) }
    }

    /// Records `deployment` inside a transaction that also appends its audit entry and notifications.
    func recordDeployment(_ deployment: Deployment, in tx: SQLiteDatabase.Transaction) throws {
        try tx.query(
            """
            INSERT INTO deployments (product, target, release, commit_id, tag_object, plan_digest, outcome,
                deployed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (product, target) DO UPDATE SET release = excluded.release, commit_id = excluded.commit_id,
                tag_object = excluded.tag_object, plan_digest = excluded.plan_digest, outcome = excluded.outcome,
                deployed_at_ms = excluded.deployed_at_ms
            """,
            [
                .text(deployment.product), .text(deployment.target), deployment.release.map(SQLiteValue.text) ?? .null,
                .text(deployment.commit), deployment.tagObject.map(SQLiteValue.text) ?? .null,
                deployment.planDigest.map(SQLiteValue.text) ?? .null, .text(deployment.outcome),
                .integer(StoreTime.milliseconds(deployment.deployedAt)),
            ])
    }

    /// The current deployment of `product` in `target`, or nil.
    public func deployment(product: String, target: String) throws -> Deployment? {
        try deployments().first { $0.product == product && $0.target == target }
    }

    /// Every current deployment, ordered by product then target.
    public func deployments() throws -> [Deployment] {
        try database.query(
            """
            SELECT product, target, release, commit_id, tag_object, plan_digest, outcome, deployed_at_ms
            FROM deployments ORDER BY product, target
            """
        ).map { row in
            Deployment(
                product: row[0].text ?? "", target: row[1].text ?? "", release: row[2].text,
                commit: row[3].text ?? "", tagObject: row[4].text, planDigest: row[5].text,
                outcome: row[6].text ?? "", deployedAt: StoreTime.date(row[7].integer ?? 0))
        }
    }
}

extension StateStore {
    /// Whether `release` at `commit` ever converged in `target` (an `applied` or `noChange` audit entry, written
    /// only after every gate passed): the record the promotion order reads.
    public func converged(product: String, target: String, release: String, commit: String) throws -> Bool {
        try !database.query(
            """
            SELECT 1 FROM audit_log WHERE product = ? AND target = ? AND release = ? AND commit_id = ?
                AND outcome IN ('applied', 'noChange') LIMIT 1
            """, [.text(product), .text(target), .text(release), .text(commit)]
        ).isEmpty
    }
}
