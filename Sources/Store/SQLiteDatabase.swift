import CSQLite
import Foundation
import LakegateCore

/// An error from SQLite, with the statement or operation that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The SQLite result code.
    public var code: Int32
    /// What was being done (`open /path`, `prepare INSERT …`).
    public var operation: String
    /// SQLite's own message.
    public var message: String

    public var description: String { "sqlite: \(operation): \(message) (code \(code))" }
}

/// A value bound to or read from a statement column.
public enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The text, when this is text.
    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The integer, when this is an integer.
    public var integer: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }
}

/// One SQLite database file, opened in WAL mode.
///
/// A connection is used from one thread at a time: callers serialize access (the Store types wrap it in an
/// actor or a lock). Calls block; async callers run them through ``Blocking/run(_:)``.
public final class SQLiteDatabase: StateDatabase, @unchecked Sendable {
    // @unchecked: the handle is only touched under `lock`.
    private let handle: OpaquePointer
    private let lock = NSLock()
    /// The file path, or `:memory:`.
    public let path: String
    /// SQLite's dialect.
    public var dialect: SQLDialect { .sqlite }

    /// Opens (creating when missing) the database at `path` and turns on WAL and foreign keys.
    public init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw SQLiteError(code: rc, operation: "open \(path)", message: message)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA synchronous=NORMAL")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters and return no rows.
    public func execute(_ sql: String) throws {
        try locked {
            var errorMessage: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
            if rc != SQLITE_OK {
                let message = errorMessage.map { String(cString: $0) } ?? "error"
                sqlite3_free(errorMessage)
                throw SQLiteError(code: rc, operation: "execute \(sql.prefix(80))", message: message)
            }
        }
    }

    /// Runs one statement with `parameters` bound in order (`?`) and returns every row.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]] {
        try locked { try unlockedQuery(sql, parameters) }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    public func transaction<T>(_ body: (any StateTransaction) throws -> T) throws -> T {
        try locked {
            _ = try unlockedQuery("BEGIN IMMEDIATE", [])
            do {
                let result = try body(Transaction(database: self))
                _ = try unlockedQuery("COMMIT", [])
                return result
            } catch {
                _ = try? unlockedQuery("ROLLBACK", [])
                throw error
            }
        }
    }

    /// Statements run inside ``SQLiteDatabase/transaction(_:)``.
    public struct Transaction: StateTransaction {
        fileprivate let database: SQLiteDatabase

        /// Runs one statement inside the transaction.
        @discardableResult
        public func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]] {
            try database.unlockedQuery(sql, parameters)
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    fileprivate func unlockedQuery(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]] {
        var statement: OpaquePointer?
        var rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, operation: "prepare \(sql.prefix(80))", message: lastMessage)
        }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let i): rc = sqlite3_bind_int64(statement, index, i)
            case .real(let d): rc = sqlite3_bind_double(statement, index, d)
            case .text(let s): rc = csqlite_bind_text(statement, index, s, -1)
            case .blob(let b):
                rc = b.withUnsafeBytes { csqlite_bind_blob(statement, index, $0.baseAddress, Int32(b.count)) }
            }
            guard rc == SQLITE_OK else {
                throw SQLiteError(code: rc, operation: "bind \(index) in \(sql.prefix(80))", message: lastMessage)
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw SQLiteError(code: rc, operation: "step \(sql.prefix(80))", message: lastMessage)
            }
            let count = sqlite3_column_count(statement)
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(statement, column)))
                case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(statement, column))))
                case SQLITE_BLOB:
                    let length = Int(sqlite3_column_bytes(statement, column))
                    if let pointer = sqlite3_column_blob(statement, column) {
                        row.append(.blob(Array(UnsafeRawBufferPointer(start: pointer, count: length))))
                    } else {
                        row.append(.blob([]))
                    }
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
        return rows
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
