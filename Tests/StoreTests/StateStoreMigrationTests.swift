import Foundation
import LakegateCore
import Store
import TestSupport
import Testing

@Suite struct StateStoreMigrationTests {
    /// An `inventory.sqlite` as Lakegate wrote it before the inventory joined `lakegate.db`.
    static func writeLegacyInventory(in dir: URL, rows: [(key: String, liveID: String)]) throws {
        let legacy = try SQLiteDatabase(path: dir.appendingPathComponent("inventory.sqlite").path)
        try legacy.execute(
            """
            CREATE TABLE inventory (
                product TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL,
                name TEXT NOT NULL, live_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (product, target, key))
            """)
        for row in rows {
            try legacy.query(
                "INSERT INTO inventory VALUES ('c360', 'dev', ?, 'tables', ?, ?, '2026-01-01T00:00:00Z')",
                [.text(row.key), .text("c.s.\(row.key)"), .text(row.liveID)])
        }
    }

    @Test func anExistingInventoryFileIsImportedOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.writeLegacyInventory(in: dir.url, rows: [("tables.a", "1"), ("tables.b", "2")])
        let store = try StateStore(stateDirectory: dir.path)
        #expect(try store.inventory.entries(product: "c360", target: "dev").map(\.key) == ["tables.a", "tables.b"])
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("inventory.sqlite").path))
        #expect(
            FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("inventory.sqlite.imported").path))
        #expect(
            try store.database.query("SELECT source, rows FROM imports") == [[.text("inventory.sqlite"), .integer(2)]])

        // Rows removed since are not brought back, and a stray old file is not imported a second time.
        try store.inventory.remove(product: "c360", target: "dev", key: "tables.a")
        try Self.writeLegacyInventory(in: dir.url, rows: [("tables.a", "1"), ("tables.c", "3")])
        let reopened = try StateStore(stateDirectory: dir.path)
        #expect(try reopened.inventory.entries(product: "c360", target: "dev").map(\.key) == ["tables.b"])
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("inventory.sqlite").path))
        #expect(try reopened.currentSchemaVersion() == StateStore.schemaVersion)
    }

    @Test func theInventoryLivesInTheStateDatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let inventory = try InventoryStore(stateDirectory: dir.url)
        try inventory.record(
            InventoryEntry(product: "p", target: "qa", key: "schemas.s", kind: .schema, name: "c.s", liveID: "c.s"))
        #expect(inventory.path == StateStore.databasePath(in: dir.path))
        #expect(try StateStore(stateDirectory: dir.path).inventory.entries(product: "p", target: "qa").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("inventory.sqlite").path))
    }

    @Test func aVersionOneDatabaseIsMigratedAndItsChainStillVerifies() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Schema 1 as released, with one entry hashed by the schema-1 rules.
        let path = StateStore.databasePath(in: dir.path)
        let old = try SQLiteDatabase(path: path)
        try old.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)")
        try old.execute(
            """
            CREATE TABLE audit_log (
                sequence INTEGER PRIMARY KEY, product TEXT NOT NULL, target TEXT NOT NULL, release TEXT,
                commit_id TEXT NOT NULL, tag_object TEXT, approvals TEXT NOT NULL, policy_report_digest TEXT,
                plan_digest TEXT, actions TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT,
                started_at_ms INTEGER NOT NULL, finished_at_ms INTEGER NOT NULL, previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL);
            CREATE TABLE deployments (product TEXT NOT NULL, target TEXT NOT NULL, release TEXT,
                commit_id TEXT NOT NULL, tag_object TEXT, plan_digest TEXT, outcome TEXT NOT NULL,
                deployed_at_ms INTEGER NOT NULL, PRIMARY KEY (product, target));
            CREATE TABLE tag_observations (repo TEXT NOT NULL, name TEXT NOT NULL, object_id TEXT NOT NULL,
                first_seen_ms INTEGER NOT NULL, last_object_id TEXT NOT NULL, last_seen_ms INTEGER NOT NULL,
                PRIMARY KEY (repo, name));
            CREATE TABLE holds (target TEXT NOT NULL, product TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL,
                who TEXT NOT NULL, created_at_ms INTEGER NOT NULL, PRIMARY KEY (target, product));
            INSERT INTO schema_version VALUES (1, 0);
            """)
        let content =
            #"{"actions":[],"approvals":[],"commit":"c1","finishedAtMs":2000,"message":null,"outcome":"applied","#
            + #""planDigest":null,"policyReportDigest":null,"product":"p","release":null,"sequence":1,"#
            + #""startedAtMs":1000,"tagObject":null,"target":"dev"}"#
        let hash = SHA256Digest.hex(of: AuditEntry.genesisHash + content)
        try old.query(
            """
            INSERT INTO audit_log VALUES (1, 'p', 'dev', NULL, 'c1', NULL, '[]', NULL, NULL, '[]', 'applied', NULL,
                1000, 2000, ?, ?)
            """, [.text(AuditEntry.genesisHash), .text(hash)])

        let store = try StateStore(path: path)
        #expect(try store.currentSchemaVersion() == StateStore.schemaVersion)
        #expect(try store.auditEntries().first?.canonicalJSON == content)
        try store.placeHold(Hold(target: "dev", product: nil, reason: "freeze", who: "ann", createdAt: Date()))
        let verification = try store.verifyAudit()
        #expect(verification.firstBreak == nil && verification.entryCount == 2)
    }

    @Test func holdsAndUnholdsAreAuditedWithWhoAndWhy() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        try store.placeHold(Hold(target: "prod", product: "shop", reason: "incident 7", who: "bob", createdAt: t0))
        try store.placeHold(Hold(target: "qa", product: nil, reason: "freeze", who: "carol", createdAt: t0 + 1))
        #expect(try store.removeHold(target: "prod", product: "shop", by: "dave", reason: "fixed", at: t0 + 2))
        #expect(try !store.removeHold(target: "prod", product: "shop", by: "dave", at: t0 + 3))
        let entries = try store.auditEntries()
        #expect(entries.map(\.outcome) == ["hold", "hold", "unhold"])
        #expect(entries.map(\.actor) == ["bob", "carol", "dave"])
        #expect(entries.map(\.message) == ["incident 7", "freeze", "fixed"])
        #expect(entries.map(\.product) == ["shop", Hold.everyProduct, "shop"])
        #expect(entries[2].finishedAt == t0 + 2)
        // A product's history includes the holds on its whole target.
        #expect(try store.auditEntries(product: "other").map(\.target) == ["qa"])
        #expect(try store.verifyAudit().firstBreak == nil)

        // The actor is hashed: rewriting who lifted the hold breaks the chain.
        try store.database.execute("DROP TRIGGER audit_log_no_update")
        try store.database.query("UPDATE audit_log SET actor = 'mallory' WHERE sequence = 3")
        #expect(try store.verifyAudit().firstBreak?.sequence == 3)
    }
}
