/// The SQL dialect of a ``StateDatabase``: the few statements that differ (schema, clock, row locks).
public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// A database holding Lakegate's state: the embedded SQLite file or a shared PostgreSQL server.
///
/// Statements use `?` placeholders whatever the backend; values travel as ``SQLiteValue``. Every call blocks:
/// async callers go through `Blocking.run`. Implementations serialize their own access and are safe to share.
public protocol StateDatabase: AnyObject, Sendable {
    /// Where the state lives, for messages: a file path, or a PostgreSQL URL without its password.
    var path: String { get }
    /// Which SQL the statements must be written in where dialects differ.
    var dialect: SQLDialect { get }
    /// Runs one or more statements that take no parameters and return no rows.
    func execute(_ sql: String) throws
    /// Runs one statement with `parameters` bound in order (`?`) and returns every row.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]]
    /// Runs `body` in one transaction (SQLite `BEGIN IMMEDIATE`), committing when it returns and rolling back
    /// when it throws.
    func transaction<T>(_ body: (any StateTransaction) throws -> T) throws -> T
}

/// Statements run inside ``StateDatabase/transaction(_:)``.
public protocol StateTransaction {
    /// Runs one statement inside the transaction.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]]
}

extension StateDatabase {
    /// Runs one statement without parameters.
    @discardableResult
    public func query(_ sql: String) throws -> [[SQLiteValue]] { try query(sql, []) }

    /// The database clock in milliseconds since 1970, as an SQL expression: lease expiries compare against
    /// one clock, the database's, so replicas with skewed clocks still agree on who holds what.
    public var nowMilliseconds: String {
        switch dialect {
        case .sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
        case .postgres: "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
        }
    }
}

extension StateTransaction {
    /// Runs one statement without parameters.
    @discardableResult
    public func query(_ sql: String) throws -> [[SQLiteValue]] { try query(sql, []) }
}
