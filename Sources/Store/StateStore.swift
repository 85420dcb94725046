import Foundation
import LakegateCore

/// Lakegate's state: deployments, first-seen tags, the inventory, holds, the audit log and the work leases, in
/// one SQLite file (WAL) shared by `lakegate serve`, `plan`, `apply`, `hold` and `history`, or in a PostgreSQL
/// database shared by several `serve` replicas.
///
/// Every call blocks on the database; async callers go through ``Blocking/run(_:)``. The type is safe to share:
/// the underlying connection serializes its own access.
public final class StateStore: Sendable {
    /// The database file name inside a state directory.
    public static let fileName = "lakegate.db"

    /// The open database.
    public let database: any StateDatabase
    /// Signs each appended audit entry; nil appends unsigned entries, which is refused once the log is signed.
    public let auditSigner: (any AuditSigner)?
    /// The lease every deployment record and audit append of this view is conditional on; nil writes freely
    /// (one process, or an operator command).
    public let fence: LeaseFence?

    /// Opens (creating when missing) the database at `path` and brings its schema up to date, importing an
    /// `inventory.sqlite` found next to it once.
    public convenience init(path: String, auditSigner: (any AuditSigner)? = nil) throws {
        try self.init(database: try SQLiteDatabase(path: path), auditSigner: auditSigner)
    }

    /// Uses `database` (SQLite or PostgreSQL) and brings its schema up to date.
    public init(database: any StateDatabase, auditSigner: (any AuditSigner)? = nil) throws {
        self.database = database
        self.auditSigner = auditSigner
        self.fence = nil
        try migrate()
        if database.dialect == .sqlite { try importLegacyInventory() }
    }

    private init(sharing store: StateStore, fence: LeaseFence) {
        database = store.database
        auditSigner = store.auditSigner
        self.fence = fence
    }

    /// The same store, with every deployment record and audit append conditional on `fence` still being the
    /// current lease of its product and target.
    public func fenced(by fence: LeaseFence) -> StateStore {
        StateStore(sharing: self, fence: fence)
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
