import Foundation
import Store
import TestSupport
import Testing

@Suite struct SQLiteDatabaseTests {
    @Test func rowsSurviveReopeningTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.url.appendingPathComponent("state.db").path
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, b BLOB)")
            try db.query("INSERT INTO t VALUES (?, ?, ?)", [.text("a'b"), .integer(42), .blob([0, 1, 255])])
        }
        let reopened = try SQLiteDatabase(path: path)
        let rows = try reopened.query("SELECT k, v, b FROM t")
        #expect(rows == [[.text("a'b"), .integer(42), .blob([0, 1, 255])]])
        #expect(try reopened.query("PRAGMA journal_mode") == [[.text("wal")]])
    }

    @Test func aThrowingTransactionRollsBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try SQLiteDatabase(path: dir.url.appendingPathComponent("s.db").path)
        try db.execute("CREATE TABLE t (k TEXT)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { tx in
                try tx.query("INSERT INTO t VALUES ('x')")
                throw Boom()
            }
        }
        #expect(try db.query("SELECT count(*) FROM t") == [[.integer(0)]])
    }

    @Test func aBadStatementNamesItself() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        do {
            try db.query("SELEC nonsense")
            Issue.record("expected an error")
        } catch let error as SQLiteError {
            #expect(error.description.contains("SELEC nonsense"))
        }
    }
}
