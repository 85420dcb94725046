import Foundation
import LakegateCore

/// The inventory: which objects Lakegate created or adopted, per product, target and resource key.
///
/// A table of the state database (`lakegate.db`, WAL) in the state directory (`.lakegate/` by default); before
/// schema 2 it was a file of its own, `inventory.sqlite`, which ``StateStore`` imports once. A row is written
/// after each successful create or adopt and removed after each delete, so a killed apply loses nothing.
public final class InventoryStore: Sendable {
    /// The inventory's own file before it joined the state database.
    public static let legacyFileName = "inventory.sqlite"

    let database: any StateDatabase

    init(database: any StateDatabase) {
        self.database = database
    }

    /// Opens (creating when missing) the state database in `stateDirectory` and returns its inventory.
    public convenience init(stateDirectory: URL) throws {
        self.init(database: try StateStore(stateDirectory: stateDirectory.path).database)
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

    /// Every entry of every product in `targets`, sorted by product, target and key (which products own an object
    /// the workspace's change log names).
    public func entries(targets: Set<String>) throws -> [InventoryEntry] {
        let rows = try database.query(
            "SELECT product, target, key, kind, name, live_id FROM inventory ORDER BY product, target, key", [])
        return try rows.compactMap { row in
            guard let product = row[0].text, let target = row[1].text, let key = row[2].text,
                let kindText = row[3].text, let name = row[4].text, let liveID = row[5].text
            else { throw InventoryError(path: path, reason: "a row has a missing column") }
            guard targets.contains(target) else { return nil }
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
