import Foundation
import LakegateCore
import Store
import TestSupport
import Testing

@Suite("Inventory store")
struct InventoryStoreTests {
    func entry(_ key: String, product: String = "c360", target: String = "dev", id: String = "1") -> InventoryEntry {
        InventoryEntry(product: product, target: target, key: key, kind: .table, name: "c.s.\(key)", liveID: id)
    }

    @Test func recordsListsAndRemoves() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try InventoryStore(stateDirectory: dir.url.appendingPathComponent(".lakegate"))
        try store.record(entry("tables.b"))
        try store.record(entry("tables.a"))
        try store.record(entry("tables.a", target: "prod"))
        try store.record(entry("tables.a", product: "other"))
        #expect(try store.entries(product: "c360", target: "dev").map(\.key) == ["tables.a", "tables.b"])
        try store.record(entry("tables.a", id: "2"))
        #expect(try store.entries(product: "c360", target: "dev").first?.liveID == "2")
        try store.remove(product: "c360", target: "dev", key: "tables.a")
        try store.remove(product: "c360", target: "dev", key: "tables.missing")
        #expect(try store.entries(product: "c360", target: "dev").map(\.key) == ["tables.b"])
        #expect(try store.entries(product: "c360", target: "prod").count == 1)
    }

    @Test func survivesReopeningAndUsesWAL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            let store = try InventoryStore(stateDirectory: dir.url)
            try store.record(entry("tables.kept"))
        }
        let reopened = try InventoryStore(stateDirectory: dir.url)
        #expect(try reopened.entries(product: "c360", target: "dev") == [entry("tables.kept")])
        let database = try SQLiteDatabase(path: reopened.path)
        #expect(try database.query("PRAGMA journal_mode").first?.first?.text == "wal")
    }

    @Test func rejectsAnUnknownKind() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try InventoryStore(stateDirectory: dir.url)
        let database = try SQLiteDatabase(path: store.path)
        try database.query(
            "INSERT INTO inventory VALUES ('c360', 'dev', 'x.y', 'gadgets', 'n', 'i', '2026-01-01T00:00:00Z')")
        #expect(throws: InventoryError.self) { try store.entries(product: "c360", target: "dev") }
    }
}
