import Foundation
import LakegateCore
import Store
import TestSupport
import Testing

@Suite struct LastAppliedTests {
    static let table: JSONValue = [
        "name": "orders", "comment": "One row per order",
        "columns": [["name": "id", "type_text": "bigint", "nullable": false]],
        "grants": [["principal": "analysts", "privileges": ["SELECT"]]],
    ]

    @Test func recordsAreKeptPerProductTargetAndKeyReplacedAndRemoved() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        try store.recordLastApplied(
            product: "p", target: "dev", record: ["tables.orders": Self.table, "schemas.sales": ["name": "sales"]],
            remove: [])
        try store.recordLastApplied(product: "p", target: "prod", record: ["tables.orders": ["name": "o"]], remove: [])
        try store.recordLastApplied(product: "q", target: "dev", record: ["tables.orders": ["name": "q"]], remove: [])
        #expect(
            try store.lastApplied(product: "p", target: "dev") == [
                "tables.orders": Self.table, "schemas.sales": ["name": "sales"],
            ])
        // The inventory's view reads the same rows (the planner reads them with the inventory).
        #expect(try store.inventory.lastApplied(product: "p", target: "dev").count == 2)
        // Replaced, and removed in the same transaction; other pairs untouched.
        try store.recordLastApplied(
            product: "p", target: "dev", record: ["tables.orders": ["name": "orders", "comment": "new"]],
            remove: ["schemas.sales", "never.recorded"])
        #expect(
            try store.lastApplied(product: "p", target: "dev") == [
                "tables.orders": ["name": "orders", "comment": "new"]
            ])
        #expect(try store.lastApplied(product: "p", target: "prod") == ["tables.orders": ["name": "o"]])
        #expect(try store.lastApplied(product: "q", target: "dev") == ["tables.orders": ["name": "q"]])
        // Survives a reopen: it is in the state database.
        let reopened = try StateStore(stateDirectory: dir.path)
        #expect(try reopened.lastApplied(product: "p", target: "dev").keys.sorted() == ["tables.orders"])
    }

    @Test func aRowThatIsNotAnObjectFailsTheReadWithItsKeyAndAValueThatIsNotOneIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        try store.database.query(
            "INSERT INTO last_applied (product, target, key, fields, applied_at_ms) VALUES ('p', 'dev', 'tables.x', '[1', 0)"
        )
        let error = #expect(throws: LastAppliedError.self) { try store.lastApplied(product: "p", target: "dev") }
        #expect(error?.description.contains("tables.x") == true)
        #expect(throws: LastAppliedError.self) {
            try store.recordLastApplied(product: "p", target: "qa", record: ["k": .string("no")], remove: [])
        }
        #expect(try store.lastApplied(product: "p", target: "qa").isEmpty)
    }

    @Test func aFencedStoreRecordsOnlyUnderItsLease() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let lease = try #require(
            try store.acquireLease(product: "p", target: "dev", holder: "a", duration: .seconds(30)))
        let fenced = store.fenced(by: lease)
        try fenced.recordLastApplied(product: "p", target: "dev", record: ["tables.orders": Self.table], remove: [])
        try store.releaseLease(lease)
        _ = try #require(try store.acquireLease(product: "p", target: "dev", holder: "b", duration: .seconds(30)))
        #expect(throws: LeaseLostError.self) {
            try fenced.recordLastApplied(product: "p", target: "dev", record: [:], remove: ["tables.orders"])
        }
        #expect(try store.lastApplied(product: "p", target: "dev") == ["tables.orders": Self.table])
    }

    @Test func stateMigrateCopiesTheRecords() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = try StateStore(stateDirectory: dir.url.appendingPathComponent("a").path)
        try source.recordLastApplied(product: "p", target: "dev", record: ["tables.orders": Self.table], remove: [])
        let destination = try StateStore(stateDirectory: dir.url.appendingPathComponent("b").path)
        let counts = try source.copy(to: destination)
        #expect(counts["last_applied"] == 1)
        #expect(try destination.lastApplied(product: "p", target: "dev") == ["tables.orders": Self.table])
    }
}
