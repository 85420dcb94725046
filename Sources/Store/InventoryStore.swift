import Foundation
import LakegateCore

/// The inventory: which objects Lakegate created or adopted, per product, target and resource key.
///
/// Stored in `inventory.sqlite` (WAL) in the state directory (`.lakegate/` by default). A row is written
/// after each successful create or adopt and removed after each delete, so a killed apply loses nothing.
public final class InventoryStore: Sendable {
    /// The file name inside the state directory.
    public static let fileName = "inventory.sqlite"

    private let database: SQLiteDatabase

    /// Opens (creating when missing) the inventory in `stateDirectory`.
    public init(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: stateDirectory.appendingPathComponent(Self.fileName).path)
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS inventory (
                product TEXT NOT NULL,
                target TEXT NOT NULL,
                key TEXT NOT NULL,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                live_id TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (product, target, key)
            )
            """)
    }

    /// The path of the database file.
    public var path: String { database.path }

    /// Every entry of `product` and `target`, sorted by key.
    public func entries(product: String, target: String) throws -> [InventoryEntry] {
        let rows = try database.query(
            "SELECT key, kind, name, live_id FROM inventory WHERE product = ? AND target = ? ORDER BY key",
            [.text(product), .text(target)])
        return try rows.map { row in
            guard let key = row[0].text, let kindText = row[1].text, let name = row[2].text, let liveID = row[3].text
            else { throw InventoryError(path: path, reason: "a row has a missing column") }
            guard let kind = ResourceKind(rawValue: kindText) else {
                throw InventoryError(path: path, reason: "row \(key) has an unknown kind '\(kindText)'")
            }
            return InventoryEntry(product: product, target: target, key: key, kind: kind, name: name, liveID: liveID)
        }
    }

    /// Records (or replaces) `entry`.
    public func record(_ entry: InventoryEntry) throws {
        try database.query(
            """
            INSERT INTO inventory (product, target, key, kind, name, live_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (product, target, key) DO UPDATE SET
                kind = excluded.kind, name = excluded.name, live_id = excluded.live_id,
                recorded_at = excluded.recorded_at
            """,
            [
                .text(entry.product), .text(entry.target), .text(entry.key), .text(entry.kind.rawValue),
                .text(entry.name), .text(entry.liveID), .text(Self.timestamp()),
            ])
    }

    /// Removes the entry for `key`; a missing entry is not an error.
    public func remove(product: String, target: String, key: String) throws {
        try database.query(
            "DELETE FROM inventory WHERE product = ? AND target = ? AND key = ?",
            [.text(product), .text(target), .text(key)])
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }
}

/// The inventory file holds something it should not.
public struct InventoryError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
