import CPostgres
import Foundation
import Store
import Synchronization

/// Lakegate's state in a PostgreSQL database, through libpq: the ``StateDatabase`` several `serve` replicas
/// share.
///
/// libpq's blocking calls fit the store's model exactly as SQLite's do (callers are already off the cooperative
/// pool). A small pool of connections lets the reconciles of one replica query in parallel; a transaction keeps
/// its connection from `BEGIN` to `COMMIT`. A connection that broke is dropped and a new one opened on demand.
public final class PostgresDatabase: StateDatabase, @unchecked Sendable {
    // @unchecked: `idle` and `open` are only touched under `condition`; a PGconn is used by one caller at a time.
    /// The URL without its password, for messages.
    public let path: String
    /// PostgreSQL's dialect.
    public var dialect: SQLDialect { .postgres }
    private let keywords: [String]
    private let values: [String]
    private let maximumConnections: Int
    private let condition = NSCondition()
    private var idle: [OpaquePointer] = []
    private var open = 0
    private let queries = Atomic<Int>(0)

    /// Connects to `url` (`postgres://user@host:port/database?sslmode=…`, or a libpq key=value string) with
    /// `password` when given, so that a wrong URL fails here, at start.
    public init(url: String, password: String? = nil, maximumConnections: Int = 8) throws {
        path = Self.redacted(url)
        // Notices ("relation … already exists, skipping") would go to stderr: only warnings and errors do.
        var keywords = ["dbname", "connect_timeout", "application_name", "options"]
        var values = [url, "10", "lakegate", "-c client_min_messages=warning"]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        self.keywords = keywords
        self.values = values
        self.maximumConnections = max(1, maximumConnections)
        let connection = try connect()
        condition.lock()
        open = 1
        idle.append(connection)
        condition.unlock()
    }

    deinit {
        for connection in idle { PQfinish(connection) }
    }

    /// How many statements this database has run (the benchmark's queries per cycle).
    public var queryCount: Int { queries.load(ordering: .relaxed) }

    public func execute(_ sql: String) throws {
        _ = try withConnection { try run(sql, [], on: $0) }
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]] {
        try withConnection { try run(sql, parameters, on: $0) }
    }

    public func transaction<T>(_ body: (any StateTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            try run("BEGIN", [], on: connection)
            do {
                let result = try body(Transaction(database: self, connection: connection))
                try run("COMMIT", [], on: connection)
                return result
            } catch {
                _ = try? run("ROLLBACK", [], on: connection)
                throw error
            }
        }
    }

    /// Statements inside ``transaction(_:)``, on the transaction's connection.
    struct Transaction: StateTransaction {
        let database: PostgresDatabase
        let connection: OpaquePointer

        @discardableResult
        func query(_ sql: String, _ parameters: [SQLiteValue]) throws -> [[SQLiteValue]] {
            try database.run(sql, parameters, on: connection)
        }
    }

    // MARK: Connections

    private func connect() throws -> OpaquePointer {
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else {
            throw PostgresError(operation: "connect \(path)", message: "out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(operation: "connect \(path)", message: message)
        }
        return connection
    }

    private func withConnection<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        condition.lock()
        while idle.isEmpty && open >= maximumConnections { condition.wait() }
        let reused = idle.popLast()
        if reused == nil { open += 1 }
        condition.unlock()
        let connection: OpaquePointer
        if let reused {
            connection = reused
        } else {
            do {
                connection = try connect()
            } catch {
                give(back: nil)
                throw error
            }
        }
        defer {
            // A broken connection (server restart, network) is closed; the next caller opens a new one.
            if PQstatus(connection) == CONNECTION_OK {
                give(back: connection)
            } else {
                PQfinish(connection)
                give(back: nil)
            }
        }
        return try body(connection)
    }

    private func give(back connection: OpaquePointer?) {
        condition.lock()
        if let connection { idle.append(connection) } else { open -= 1 }
        condition.signal()
        condition.unlock()
    }

    // MARK: Statements

    @discardableResult
    fileprivate func run(_ sql: String, _ parameters: [SQLiteValue], on connection: OpaquePointer) throws
        -> [[SQLiteValue]]
    {
        queries.add(1, ordering: .relaxed)
        let result: OpaquePointer?
        if parameters.isEmpty {
            // The simple protocol: a migration script runs as one multi-statement query.
            result = PQexec(connection, sql)
        } else {
            let texts: [String?] = parameters.map(Self.text)
            let types: [Oid] = parameters.map(Self.type)
            result = withOptionalCStrings(texts) { values in
                PQexecParams(
                    connection, Self.numbered(sql), Int32(parameters.count), types, values, nil, nil, 0)
            }
        }
        guard let result else {
            throw PostgresError(operation: "query \(sql.prefix(80))", message: Self.trimmed(PQerrorMessage(connection)))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw PostgresError(
                sqlState: cpq_sqlstate(result).map { String(cString: $0) }, operation: "query \(sql.prefix(80))",
                message: Self.trimmed(PQresultErrorMessage(result)))
        }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [[SQLiteValue]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLiteValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(.null)
                    continue
                }
                let text = String(cString: PQgetvalue(result, row, column))
                values.append(Self.value(text, type: PQftype(result, column)))
            }
            rows.append(values)
        }
        return rows
    }

    /// `?` placeholders become `$1`, `$2`, … (outside quoted strings).
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.count + 8)
        var index = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func text(_ value: SQLiteValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .text(let s): s
        case .blob(let bytes): "\\x" + bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// Parameter types the server would otherwise infer (0: let it).
    private static func type(_ value: SQLiteValue) -> Oid {
        switch value {
        case .null: 0
        case .integer: 20
        case .real: 701
        case .text: 25
        case .blob: 17
        }
    }

    /// A text-format column value as the store reads it: integers and booleans as integers, the rest as text.
    private static func value(_ text: String, type: Oid) -> SQLiteValue {
        switch type {
        case 20, 21, 23: Int64(text).map(SQLiteValue.integer) ?? .text(text)
        case 16: .integer(text == "t" ? 1 : 0)
        case 700, 701, 1700: Double(text).map(SQLiteValue.real) ?? .text(text)
        case 17 where text.hasPrefix("\\x"):
            .blob(
                stride(from: 2, to: text.utf8.count, by: 2).compactMap { offset in
                    let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
                    let end = text.utf8.index(start, offsetBy: 2, limitedBy: text.utf8.endIndex) ?? text.utf8.endIndex
                    return UInt8(String(text.utf8[start..<end]) ?? "", radix: 16)
                })
        default: .text(text)
        }
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }

    /// The URL with any password removed (`postgres://user:secret@host` → `postgres://user@host`).
    public static func redacted(_ url: String) -> String {
        var text = url.replacingOccurrences(
            of: "://([^:@/]*):[^@/]*@", with: "://$1@", options: .regularExpression)
        text = text.replacingOccurrences(
            of: "password=[^&\\s]*", with: "password=(redacted)", options: .regularExpression)
        return text
    }
}

private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    withOptionalCStrings(strings) { pointers in body(pointers + [nil]) }
}

/// Keeps `strings` alive as C strings for the duration of `body` (nil stays nil).
private func withOptionalCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
