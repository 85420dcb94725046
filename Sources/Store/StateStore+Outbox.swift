import Foundation

extension StateStore {
    /// Writes `events` (one row per provider) in the current transaction.
    func enqueue(_ events: [OutboxEvent], in tx: SQLiteDatabase.Transaction) throws {
        for event in events {
            for provider in event.providers {
                try tx.query(
                    """
                    INSERT INTO notification_outbox (event_id, provider, kind, product, target, payload,
                        created_at_ms, attempts, next_attempt_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'pending')
                    """,
                    [
                        .text(event.id), .text(provider), .text(event.kind), .text(event.product), .text(event.target),
                        .text(event.payload), .integer(StoreTime.milliseconds(event.createdAt)),
                        .integer(StoreTime.milliseconds(event.createdAt)),
                    ])
            }
        }
    }

    /// Writes `events` to the outbox on their own (a record with no other row, such as a moved tag's audit entry,
    /// goes through ``appendAudit(_:deployment:events:)`` instead).
    public func enqueue(_ events: [OutboxEvent]) throws {
        guard events.contains(where: { !$0.providers.isEmpty }) else { return }
        try database.transaction { tx in try enqueue(events, in: tx) }
    }

    /// Appends `entry`, records `deployment` when given, and writes `events`, all in one transaction: a crash
    /// leaves either all of them or none.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry, deployment: Deployment?, events: [OutboxEvent]) throws -> AuditEntry {
        let appended = try database.transaction { tx in
            let appended = try appendAudit(entry, in: tx)
            if let deployment { try recordDeployment(deployment, in: tx) }
            try enqueue(events, in: tx)
            return appended
        }
        auditSigner?.didAppend(appended)
        return appended
    }

    /// Moves the condition `family` of `product` in `target` to `fingerprint`. When it changed, `events` is asked
    /// for the events to send (given the previous fingerprint, nil the first time) and they are written in the
    /// same transaction; an unchanged condition writes nothing. Returns whether the condition changed.
    @discardableResult
    public func updateCondition(
        product: String, target: String, family: String, fingerprint: String, at date: Date,
        events: (_ previous: String?) -> [OutboxEvent]
    ) throws -> Bool {
        // Most passes change nothing: read first, and take the write lock only for a change.
        guard try condition(product: product, target: target, family: family) != fingerprint else { return false }
        return try database.transaction { tx in
            let previous = try tx.query(
                "SELECT fingerprint FROM notification_conditions WHERE product = ? AND target = ? AND family = ?",
                [.text(product), .text(target), .text(family)]
            ).first?[0].text
            guard previous != fingerprint else { return false }
            try tx.query(
                """
                INSERT INTO notification_conditions (product, target, family, fingerprint, updated_at_ms)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (product, target, family) DO UPDATE SET fingerprint = excluded.fingerprint,
                    updated_at_ms = excluded.updated_at_ms
                """,
                [
                    .text(product), .text(target), .text(family), .text(fingerprint),
                    .integer(StoreTime.milliseconds(date)),
                ])
            try enqueue(events(previous), in: tx)
            return true
        }
    }

    /// The last notified fingerprint of a condition, nil when none was recorded.
    public func condition(product: String, target: String, family: String) throws -> String? {
        try database.query(
            "SELECT fingerprint FROM notification_conditions WHERE product = ? AND target = ? AND family = ?",
            [.text(product), .text(target), .text(family)]
        ).first?[0].text
    }

    private static let deliveryColumns = """
        event_id, provider, kind, product, target, payload, created_at_ms, attempts, next_attempt_ms, state, \
        last_error, finished_at_ms
        """

    /// Pending deliveries due at `now`, oldest first, at most `limit`.
    public func dueDeliveries(now: Date, limit: Int = 100) throws -> [OutboxDelivery] {
        try database.query(
            """
            SELECT \(Self.deliveryColumns) FROM notification_outbox WHERE state = 'pending' AND next_attempt_ms <= ?
            ORDER BY created_at_ms, event_id, provider LIMIT ?
            """, [.integer(StoreTime.milliseconds(now)), .integer(Int64(limit))]
        ).map(Self.decodeDelivery)
    }

    /// Deliveries of any state, newest first (the console), optionally only one state.
    public func deliveries(state: OutboxDelivery.State? = nil, limit: Int = 100) throws -> [OutboxDelivery] {
        let condition = state == nil ? "" : " WHERE state = ?"
        let parameters: [SQLiteValue] = (state.map { [.text($0.rawValue)] } ?? []) + [.integer(Int64(limit))]
        return try database.query(
            """
            SELECT \(Self.deliveryColumns) FROM notification_outbox\(condition)
            ORDER BY created_at_ms DESC, event_id, provider LIMIT ?
            """, parameters
        ).map(Self.decodeDelivery)
    }

    /// Deliveries by state (`pending`, `delivered`, `failed`), and how many pending ones failed at least once.
    public func deliveryCounts() throws -> (byState: [String: Int], retrying: Int) {
        var counts: [String: Int] = [:]
        for row in try database.query("SELECT state, count(*) FROM notification_outbox GROUP BY state") {
            counts[row[0].text ?? ""] = Int(row[1].integer ?? 0)
        }
        let retrying =
            try database.query(
                "SELECT count(*) FROM notification_outbox WHERE state = 'pending' AND attempts > 0"
            ).first?[0].integer ?? 0
        return (counts, Int(retrying))
    }

    /// Marks one delivery as accepted by its provider.
    public func markDelivered(eventID: String, provider: String, at date: Date) throws {
        try database.query(
            """
            UPDATE notification_outbox SET state = 'delivered', attempts = attempts + 1, finished_at_ms = ?,
                last_error = NULL WHERE event_id = ? AND provider = ?
            """, [.integer(StoreTime.milliseconds(date)), .text(eventID), .text(provider)])
    }

    /// Records a failed attempt: tried again at `retryAt`, or given up (`failed`) when `retryAt` is nil.
    public func markAttemptFailed(eventID: String, provider: String, error: String, retryAt: Date?, at date: Date)
        throws
    {
        try database.query(
            """
            UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, state = ?, next_attempt_ms = ?,
                finished_at_ms = ? WHERE event_id = ? AND provider = ?
            """,
            [
                .text(error), .text(retryAt == nil ? "failed" : "pending"),
                .integer(StoreTime.milliseconds(retryAt ?? date)),
                retryAt == nil ? .integer(StoreTime.milliseconds(date)) : .null, .text(eventID), .text(provider),
            ])
    }

    private static func decodeDelivery(_ row: [SQLiteValue]) -> OutboxDelivery {
        OutboxDelivery(
            eventID: row[0].text ?? "", provider: row[1].text ?? "", kind: row[2].text ?? "",
            product: row[3].text ?? "", target: row[4].text ?? "", payload: row[5].text ?? "{}",
            createdAt: StoreTime.date(row[6].integer ?? 0), attempts: Int(row[7].integer ?? 0),
            nextAttemptAt: StoreTime.date(row[8].integer ?? 0),
            state: OutboxDelivery.State(rawValue: row[9].text ?? "") ?? .failed, lastError: row[10].text,
            finishedAt: row[11].integer.map(StoreTime.date))
    }
}
