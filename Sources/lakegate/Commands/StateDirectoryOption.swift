import ArgumentParser
import Foundation
import OperatorConfig
import PostgresStore
import Store

/// `--state-dir` and `--state-url`, shared by the commands that read or write Lakegate's state database.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: "The state directory (default: $LAKEGATE_STATE_DIR, else .lakegate).")
    var stateDirectory: String?

    @Option(
        name: .customLong("state-url"),
        help: """
            Shared PostgreSQL state, postgres://user@host/db (default: $LAKEGATE_STATE_URL); the password comes \
            from $PGPASSWORD or ~/.pgpass.
            """)
    var stateURL: String?

    /// The directory to use.
    var resolved: String {
        stateDirectory ?? ProcessInfo.processInfo.environment["LAKEGATE_STATE_DIR"] ?? ".lakegate"
    }

    /// The PostgreSQL URL, when the state is shared.
    var url: String? {
        if let stateURL { return stateURL }
        let value = ProcessInfo.processInfo.environment["LAKEGATE_STATE_URL"] ?? ""
        return value.isEmpty ? nil : value
    }

    /// The database path inside the state directory.
    var databasePath: String { StateStore.databasePath(in: resolved) }

    /// Where the state is, for messages (never with a password).
    var location: String { url.map(PostgresDatabase.redacted) ?? databasePath }

    /// Where the state is, as a saved plan records it: the state directory's absolute path, or the URL without
    /// its password.
    var planLocation: String {
        url.map(PostgresDatabase.redacted) ?? URL(fileURLWithPath: resolved).standardizedFileURL.path
    }

    /// Opens the store only when its database exists, so reading commands never create one (a PostgreSQL
    /// database always exists; its schema is brought up to date).
    func openExisting(auditSigner: (any AuditSigner)? = nil) throws -> StateStore? {
        if url != nil { return try open(auditSigner: auditSigner) }
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        return try StateStore(path: databasePath, auditSigner: auditSigner)
    }

    /// Opens (creating when missing) the store.
    func open(auditSigner: (any AuditSigner)? = nil) throws -> StateStore {
        try Self.open(url: url, password: nil, stateDirectory: resolved, auditSigner: auditSigner)
    }

    /// The state store: PostgreSQL at `url` when given, else the SQLite file in `stateDirectory`.
    static func open(
        url: String?, password: String?, stateDirectory: String, auditSigner: (any AuditSigner)?,
        connections: Int = 4
    ) throws -> StateStore {
        guard let url else { return try StateStore(stateDirectory: stateDirectory, auditSigner: auditSigner) }
        guard OperatorConfig.State.isPostgresURL(url) else {
            throw ValidationError("the state URL must start with postgres:// or postgresql://")
        }
        let database = try PostgresDatabase(url: url, password: password, maximumConnections: connections)
        return try StateStore(database: database, auditSigner: auditSigner)
    }
}

extension StateDirectoryOption {
    /// The state store `lakegate.yaml` names: `$LAKEGATE_STATE_URL`, else `state.url` (with the password from
    /// `state.passwordEnv`/`passwordFile`), else the SQLite file in `stateDir`.
    static func open(
        config: OperatorConfig, auditSigner: (any AuditSigner)?, connections: Int = 4,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StateStore {
        let fromEnvironment = environment["LAKEGATE_STATE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let password: String?
        switch config.state?.password {
        case .environmentVariable(let name)?:
            guard let value = environment[name], !value.isEmpty else {
                throw ValidationError("state.passwordEnv: environment variable \(name) is not set")
            }
            password = value
        case .file(let path)?:
            guard let value = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("state.passwordFile: cannot read \(path)")
            }
            password = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case nil:
            password = nil
        }
        let url = fromEnvironment ?? config.state?.url
        if config.state != nil && url == nil {
            throw ValidationError("state: give state.url in lakegate.yaml or set LAKEGATE_STATE_URL")
        }
        return try open(
            url: url, password: password, stateDirectory: config.stateDir,
            auditSigner: auditSigner, connections: connections)
    }

    /// Whether `config` (or `$LAKEGATE_STATE_URL`) puts the state in PostgreSQL.
    static func isShared(_ config: OperatorConfig, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Bool
    {
        config.state != nil || !(environment["LAKEGATE_STATE_URL"] ?? "").isEmpty
    }
}
