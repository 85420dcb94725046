import Foundation
import LakegateCore

/// Lakegate's state: deployments, first-seen tags, the inventory, holds and the audit log, in one SQLite file
/// (WAL) shared by `lakegate serve`, `plan`, `apply`, `hold` and `history`.
///
/// Every call blocks on SQLite; async callers go through ``Blocking/run(_:)``. The type is safe to share:
/// the underlying connection serializes its own access.
public final class StateStore: Sendable {
    /// The database file name inside a state directory.
    public static let fileName = "lakegate.db"

    /// The open database.
    public let database: SQLiteDatabase
    /// Signs each appended audit entry; nil appends unsigned entries, which is refused once the log is signed.
    public let auditSigner: (any AuditSigner)?

    /// Opens (creating when missing) the database at `path` and brings its schema up to date, importing an
    /// `inventory.sqlite` found next to it once.
    public init(path: String, auditSigner: (any AuditSigner)? = nil) throws {
        database = try SQLiteDatabase(path: path)
        self.auditSigner = auditSigner
        try migrate()
        try importLegacyInventory()
    }

    /// The inventory of owned objects, in this database.
    public var inventory: InventoryStore { InventoryStore(database: database) }

    /// Opens the database in `stateDirectory`, creating the directory when missing.
    public convenience init(stateDirectory: String, auditSigner: (any AuditSigner)? = nil) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try self.init(path: StateStore.databasePath(in: stateDirectory), auditSigner: auditSigner)
    }

    /// The database file inside `stateDirectory`.
    public static func databasePath(in stateDirectory: String) -> String {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent(fileName).path
    }
}

/// Milliseconds since 1970 for a date, the resolution the store keeps.
enum StoreTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
