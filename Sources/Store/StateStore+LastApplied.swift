import Foundation
import LakegateCore

extension StateStore {
    /// What Lakegate last applied to each resource of `product` in `target`: resource key → its normalized
    /// desired fields (an object), as recorded after the last apply or in-sync pass that reached it.
    ///
    /// - Throws: ``LastAppliedError`` for a row whose fields are not a JSON object (nothing is guessed).
    public func lastApplied(product: String, target: String) throws -> [String: JSONValue] {
        try Self.lastApplied(in: database, product: product, target: target)
    }

    static func lastApplied(in database: any StateDatabase, product: String, target: String) throws
        -> [String: JSONValue]
    {
        let rows = try database.query(
            "SELECT key, fields FROM last_applied WHERE product = ? AND target = ? ORDER BY key",
            [.text(product), .text(target)])
        var result: [String: JSONValue] = [:]
        for row in rows {
            guard let key = row[0].text, let text = row[1].text else {
                throw LastAppliedError(product: product, target: target, key: "?", reason: "a row has a missing column")
            }
            guard let fields = try? JSONValue(parsing: text), fields.objectValue != nil else {
                throw LastAppliedError(
                    product: product, target: target, key: key, reason: "its fields are not a JSON object")
            }
            result[key] = fields
        }
        return result
    }

    /// Records `record` (resource key → normalized desired fields) and removes the keys in `remove`, for
    /// `product` in `target`, in one transaction; a fenced view writes only while its lease is current
    /// (``LeaseLostError`` otherwise, nothing written).
    public func recordLastApplied(
        product: String, target: String, record: [String: JSONValue], remove: [String], at date: Date = Date()
    ) throws {
        guard !record.isEmpty || !remove.isEmpty else { return }
        try database.transaction { tx in
            try checkFence(in: tx)
            for key in remove.sorted() {
                try tx.query(
                    "DELETE FROM last_applied WHERE product = ? AND target = ? AND key = ?",
                    [.text(product), .text(target), .text(key)])
            }
            for key in record.keys.sorted() {
                guard let fields = record[key], fields.objectValue != nil else {
                    throw LastAppliedError(
                        product: product, target: target, key: key, reason: "the fields to record are not an object")
                }
                try tx.query(
                    """
                    INSERT INTO last_applied (product, target, key, fields, applied_at_ms) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (product, target, key) DO UPDATE SET fields = excluded.fields,
                        applied_at_ms = excluded.applied_at_ms
                    """,
                    [
                        .text(product), .text(target), .text(key), .text(fields.canonicalJSON),
                        .integer(StoreTime.milliseconds(date)),
                    ])
            }
        }
    }
}

extension InventoryStore {
    /// What Lakegate last applied to each resource of `product` in `target` (see
    /// ``StateStore/lastApplied(product:target:)``): read with the inventory when a plan is made.
    public func lastApplied(product: String, target: String) throws -> [String: JSONValue] {
        try StateStore.lastApplied(in: database, product: product, target: target)
    }
}

/// A last-applied record that cannot be read or written as it is.
public struct LastAppliedError: Error, Sendable, CustomStringConvertible {
    public var product: String
    public var target: String
    public var key: String
    public var reason: String

    public var description: String {
        "last-applied record of \(key) (\(product), \(target)): \(reason)"
    }
}
