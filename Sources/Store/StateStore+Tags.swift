import Foundation

extension StateStore {
    /// Records that tag `name` in `repo` points at `objectID` at `seenAt`, and returns the first mapping seen.
    ///
    /// The first observation is kept forever; later ones only update the last-seen columns, so a moved tag is
    /// reported (``TagObservation/moved``) for as long as it stays moved.
    @discardableResult
    public func recordTag(repo: String, name: String, objectID: String, seenAt: Date) throws -> TagObservation {
        let ms = StoreTime.milliseconds(seenAt)
        return try database.transaction { tx in
            try tx.query(
                """
                INSERT INTO tag_observations (repo, name, object_id, first_seen_ms, last_object_id, last_seen_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (repo, name) DO UPDATE SET last_object_id = excluded.last_object_id,
                    last_seen_ms = excluded.last_seen_ms
                """,
                [.text(repo), .text(name), .text(objectID), .integer(ms), .text(objectID), .integer(ms)])
            let rows = try tx.query(
                """
                SELECT object_id, first_seen_ms, last_object_id, last_seen_ms FROM tag_observations
                WHERE repo = ? AND name = ?
                """, [.text(repo), .text(name)])
            return Self.observation(repo: repo, name: name, row: rows[0])
        }
    }

    /// The stored observation of a tag, or nil when it was never seen.
    public func tagObservation(repo: String, name: String) throws -> TagObservation? {
        let rows = try database.query(
            """
            SELECT object_id, first_seen_ms, last_object_id, last_seen_ms FROM tag_observations
            WHERE repo = ? AND name = ?
            """, [.text(repo), .text(name)])
        return rows.first.map { Self.observation(repo: repo, name: name, row: $0) }
    }

    private static func observation(repo: String, name: String, row: [SQLiteValue]) -> TagObservation {
        TagObservation(
            repo: repo, name: name, firstObjectID: row[0].text ?? "",
            firstSeenAt: StoreTime.date(row[1].integer ?? 0), lastObjectID: row[2].text ?? "",
            lastSeenAt: StoreTime.date(row[3].integer ?? 0))
    }
}

extension StateStore {
    /// Every tag observation of `repo`, by tag name.
    public func tagObservations(repo: String) throws -> [TagObservation] {
        let rows = try database.query(
            """
            SELECT name, object_id, first_seen_ms, last_object_id, last_seen_ms FROM tag_observations
            WHERE repo = ? ORDER BY name
            """, [.text(repo)])
        return rows.map { row in
            TagObservation(
                repo: repo, name: row[0].text ?? "", firstObjectID: row[1].text ?? "",
                firstSeenAt: StoreTime.date(row[2].integer ?? 0), lastObjectID: row[3].text ?? "",
                lastSeenAt: StoreTime.date(row[4].integer ?? 0))
        }
    }
}
