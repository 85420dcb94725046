import ArgumentParser
import Foundation
import PostgresStore
import Store

/// `lakegate state migrate`: moves an embedded SQLite state into an empty PostgreSQL database.
struct StateMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract:
            "Copy a SQLite state (deployments, tags, holds, inventory, last applied, audit chain) into PostgreSQL.",
        discussion: """
            Stop every `lakegate serve` on the source first. The destination must hold no state; the copy runs in \
            one transaction and the audit chain is verified before and after to end at the same head. The password \
            comes from $PGPASSWORD or ~/.pgpass.
            """)

    @Option(help: "The state directory, or its lakegate.db file.") var from: String
    @Option(help: "The destination, postgres://user@host:port/database.") var to: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory) else {
            throw ValidationError("--from: \(from) does not exist")
        }
        let path = isDirectory.boolValue ? StateStore.databasePath(in: from) : from
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("--from: no state database at \(path)")
        }
        // The lock `serve` holds: a migration under a running controller would miss what it writes next.
        let lock: StateDirectoryLock
        do {
            lock = try StateDirectoryLock(stateDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch let error as StateDirectoryLockedError {
            throw ValidationError("--from: \(error.description)")
        }
        defer { withExtendedLifetime(lock) {} }
        let source = try StateStore(path: path)
        let destination = try StateDirectoryOption.open(url: to, password: nil, stateDirectory: from, auditSigner: nil)
        let counts = try source.copy(to: destination)
        let head = try destination.auditHead()
        for table in StateStore.copiedTableNames {
            print("\(table): \(counts[table] ?? 0) rows")
        }
        print(
            "migrated \(path) to \(PostgresDatabase.redacted(to)); audit chain verified: \(head.sequence) entries, "
                + "head \(head.hash)")
    }
}
