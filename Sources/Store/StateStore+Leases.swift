import Foundation

extension StateStore {
    /// Takes (or keeps) the lease on `product` in `target` for `holder` for `duration`, and returns it; nil when
    /// another holder's lease has not expired. Taking a lease that changed hands or expired increments its token.
    public func acquireLease(product: String, target: String, holder: String, duration: Duration) throws
        -> LeaseFence?
    {
        let now = database.nowMilliseconds
        let rows = try database.query(
            """
            INSERT INTO leases (product, target, holder, token, expires_at_ms) VALUES (?, ?, ?, 1, \(now) + ?)
            ON CONFLICT (product, target) DO UPDATE SET
                token = CASE WHEN leases.holder = excluded.holder AND leases.expires_at_ms > \(now)
                    THEN leases.token ELSE leases.token + 1 END,
                holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
            WHERE leases.holder = excluded.holder OR leases.expires_at_ms <= \(now)
            RETURNING token
            """,
            [.text(product), .text(target), .text(holder), .integer(Self.milliseconds(duration))])
        guard let token = rows.first?.first?.integer else { return nil }
        return LeaseFence(product: product, target: target, holder: holder, token: token)
    }

    /// Extends `fence` by `duration` from now; false when it is no longer current (expired or taken).
    public func renewLease(_ fence: LeaseFence, duration: Duration) throws -> Bool {
        let now = database.nowMilliseconds
        return try !database.query(
            """
            UPDATE leases SET expires_at_ms = \(now) + ? WHERE product = ? AND target = ? AND holder = ?
                AND token = ? AND expires_at_ms > \(now) RETURNING token
            """,
            [
                .integer(Self.milliseconds(duration)), .text(fence.product), .text(fence.target), .text(fence.holder),
                .integer(fence.token),
            ]
        ).isEmpty
    }

    /// Gives `fence` up at once (the next holder need not wait for it to expire); the token stays, so the next
    /// holder's is higher.
    public func releaseLease(_ fence: LeaseFence) throws {
        try database.query(
            "UPDATE leases SET expires_at_ms = 0 WHERE product = ? AND target = ? AND holder = ? AND token = ?",
            [.text(fence.product), .text(fence.target), .text(fence.holder), .integer(fence.token)])
    }

    /// Throws ``LeaseLostError`` unless this store's ``fence`` is still the current, unexpired lease (a store
    /// without a fence passes). Called right before an apply and inside every fenced write.
    public func checkFence() throws {
        guard fence != nil else { return }
        try database.transaction { tx in try checkFence(in: tx) }
    }

    /// The fence check inside a write transaction; on PostgreSQL the lease row stays locked until the write
    /// commits, so a replica taking the lease over waits for it rather than overtaking it.
    func checkFence(in tx: any StateTransaction) throws {
        guard let fence else { return }
        let lock = database.dialect == .postgres ? " FOR UPDATE" : ""
        let rows = try tx.query(
            """
            SELECT 1 FROM leases WHERE product = ? AND target = ? AND holder = ? AND token = ?
                AND expires_at_ms > \(database.nowMilliseconds)\(lock)
            """, [.text(fence.product), .text(fence.target), .text(fence.holder), .integer(fence.token)])
        guard !rows.isEmpty else { throw LeaseLostError(fence: fence) }
    }

    /// Every lease, for status and tests: product, target, holder, token and whether it is current.
    public func leases() throws -> [(fence: LeaseFence, current: Bool)] {
        try database.query(
            """
            SELECT product, target, holder, token, expires_at_ms > \(database.nowMilliseconds) FROM leases
            ORDER BY product, target
            """
        ).map { row in
            (
                LeaseFence(
                    product: row[0].text ?? "", target: row[1].text ?? "", holder: row[2].text ?? "",
                    token: row[3].integer ?? 0),
                row[4].integer == 1
            )
        }
    }

    // MARK: Replicas

    /// Records that replica `id` is alive now.
    public func heartbeat(replica id: String) throws {
        let now = database.nowMilliseconds
        try database.query(
            """
            INSERT INTO replicas (id, started_at_ms, heartbeat_at_ms) VALUES (?, \(now), \(now))
            ON CONFLICT (id) DO UPDATE SET heartbeat_at_ms = excluded.heartbeat_at_ms
            """, [.text(id)])
    }

    /// The replicas whose last heartbeat is younger than `within`, sorted; rows an hour dead are removed.
    public func liveReplicas(within: Duration) throws -> [String] {
        let now = database.nowMilliseconds
        let window = Self.milliseconds(within)
        // Rows of replicas gone for an hour (or 100 windows) go; a pause of a live one never comes close.
        try database.query(
            "DELETE FROM replicas WHERE heartbeat_at_ms < \(now) - ?", [.integer(max(window * 100, 3_600_000))])
        return try database.query(
            "SELECT id FROM replicas WHERE heartbeat_at_ms > \(now) - ? ORDER BY id", [.integer(window)]
        ).compactMap { $0.first?.text }
    }

    /// Forgets replica `id` (a clean shutdown): the others take its work without waiting for it to expire.
    public func removeReplica(_ id: String) throws {
        try database.query("DELETE FROM replicas WHERE id = ?", [.text(id)])
    }

    // MARK: Poll triggers

    /// Asks whichever replica owns `repo` to poll it now (a webhook that reached another replica).
    public func requestPoll(repo: String) throws {
        try database.query(
            """
            INSERT INTO poll_triggers (repo, requested_at_ms) VALUES (?, \(database.nowMilliseconds))
            ON CONFLICT (repo) DO NOTHING
            """, [.text(repo)])
    }

    /// Takes the waiting poll requests among `repos`, oldest first, and removes them.
    public func takePollRequests(among repos: [String]) throws -> [String] {
        guard !repos.isEmpty else { return [] }
        let placeholders = repos.map { _ in "?" }.joined(separator: ", ")
        return try database.transaction { tx in
            let rows = try tx.query(
                "SELECT repo FROM poll_triggers WHERE repo IN (\(placeholders)) ORDER BY requested_at_ms, repo",
                repos.map(SQLiteValue.text))
            let taken = rows.compactMap { $0.first?.text }
            for repo in taken { try tx.query("DELETE FROM poll_triggers WHERE repo = ?", [.text(repo)]) }
            return taken
        }
    }

    /// Records `commit` as the head its owner listed for `repo` (the governance repository), so the other
    /// replicas fetch it only when it moved rather than list it themselves.
    public func recordRepositoryHead(repo: String, commit: String) throws {
        try database.query(
            """
            INSERT INTO repository_heads (repo, commit_id, listed_at_ms) VALUES (?, ?, \(database.nowMilliseconds))
            ON CONFLICT (repo) DO UPDATE SET commit_id = excluded.commit_id, listed_at_ms = excluded.listed_at_ms
            """, [.text(repo), .text(commit)])
    }

    /// The head last recorded for `repo` by its owner; nil before the first.
    public func repositoryHead(repo: String) throws -> String? {
        try database.query("SELECT commit_id FROM repository_heads WHERE repo = ?", [.text(repo)]).first?.first?.text
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
