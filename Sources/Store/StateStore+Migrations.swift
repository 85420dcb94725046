import Foundation

/// The schema is too new for this build of Lakegate.
public struct SchemaVersionError: Error, CustomStringConvertible, Sendable {
    /// The version recorded in the database.
    public var found: Int
    /// The newest version this build knows.
    public var supported: Int

    public var description: String {
        "state database schema version \(found) is newer than this lakegate supports (\(supported)); upgrade lakegate"
    }
}

extension StateStore {
    /// Schema migrations in order; migration `i` brings the schema to version `i + 1`. Append only: a released
    /// migration is never edited, so every database walks the same steps.
    static let migrations: [String] = [
        // 1: deployments, first-seen tags, holds, and the append-only audit log.
        """
        CREATE TABLE deployments (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            release TEXT,
            commit_id TEXT NOT NULL,
            tag_object TEXT,
            plan_digest TEXT,
            outcome TEXT NOT NULL,
            deployed_at_ms INTEGER NOT NULL,
            PRIMARY KEY (product, target)
        );
        CREATE TABLE tag_observations (
            repo TEXT NOT NULL,
            name TEXT NOT NULL,
            object_id TEXT NOT NULL,
            first_seen_ms INTEGER NOT NULL,
            last_object_id TEXT NOT NULL,
            last_seen_ms INTEGER NOT NULL,
            PRIMARY KEY (repo, name)
        );
        CREATE TABLE holds (
            target TEXT NOT NULL,
            product TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            who TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (target, product)
        );
        CREATE TABLE audit_log (
            sequence INTEGER PRIMARY KEY,
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            release TEXT,
            commit_id TEXT NOT NULL,
            tag_object TEXT,
            approvals TEXT NOT NULL,
            policy_report_digest TEXT,
            plan_digest TEXT,
            actions TEXT NOT NULL,
            outcome TEXT NOT NULL,
            message TEXT,
            started_at_ms INTEGER NOT NULL,
            finished_at_ms INTEGER NOT NULL,
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_product_target ON audit_log (product, target);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
        """,
        // 2: the inventory joins the state database (it was `inventory.sqlite`); audit entries name the
        // governance commit and, for operator actions such as holds, who acted.
        """
        ALTER TABLE audit_log ADD COLUMN governance_commit TEXT;
        ALTER TABLE audit_log ADD COLUMN actor TEXT;
        CREATE TABLE inventory (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            live_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (product, target, key)
        );
        CREATE TABLE imports (
            source TEXT PRIMARY KEY,
            rows INTEGER NOT NULL,
            imported_at_ms INTEGER NOT NULL
        );
        """,
        // 3: audit entries carry the controller's SSH signature over their hash (nil for older entries).
        """
        ALTER TABLE audit_log ADD COLUMN signature TEXT;
        """,
        // 4: the notification outbox (one row per event and provider, written with the record it reports) and
        // the last notified condition per product, target and family (so an unchanged condition is sent once).
        """
        CREATE TABLE notification_outbox (
            event_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            kind TEXT NOT NULL,
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_ms INTEGER NOT NULL,
            state TEXT NOT NULL,
            last_error TEXT,
            finished_at_ms INTEGER,
            PRIMARY KEY (event_id, provider)
        );
        CREATE INDEX notification_outbox_due ON notification_outbox (state, next_attempt_ms);
        CREATE TABLE notification_conditions (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            family TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            PRIMARY KEY (product, target, family)
        );
        """,
        // 5: the last plan computed per product and target, rendered for the console (applied or not).
        """
        CREATE TABLE last_plans (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            release TEXT,
            commit_id TEXT NOT NULL,
            plan_digest TEXT NOT NULL,
            outcome TEXT NOT NULL,
            message TEXT NOT NULL,
            changes INTEGER NOT NULL,
            computed_at_ms INTEGER NOT NULL,
            plan TEXT NOT NULL,
            PRIMARY KEY (product, target)
        );
        """,
        // 6: several `serve` replicas share the work: a lease with a fencing token per product and target, a
        // heartbeat per replica, webhook triggers waiting for the replica that owns the repository, and the head
        // the governance repository's owner last listed (the others fetch only when it moves).
        """
        CREATE TABLE leases (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            holder TEXT NOT NULL,
            token INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL,
            PRIMARY KEY (product, target)
        );
        CREATE TABLE replicas (
            id TEXT PRIMARY KEY,
            started_at_ms INTEGER NOT NULL,
            heartbeat_at_ms INTEGER NOT NULL
        );
        CREATE TABLE poll_triggers (
            repo TEXT PRIMARY KEY,
            requested_at_ms INTEGER NOT NULL
        );
        CREATE TABLE repository_heads (
            repo TEXT PRIMARY KEY,
            commit_id TEXT NOT NULL,
            listed_at_ms INTEGER NOT NULL
        );
        """,
        // 7: what Lakegate last applied per product, target and resource key (its normalized desired fields, as
        // canonical JSON): the third side of the plans of environments where self-heal is off.
        """
        CREATE TABLE last_applied (
            product TEXT NOT NULL,
            target TEXT NOT NULL,
            key TEXT NOT NULL,
            fields TEXT NOT NULL,
            applied_at_ms INTEGER NOT NULL,
            PRIMARY KEY (product, target, key)
        );
        """,
    ]

    /// The same migrations for PostgreSQL, step for step: the same tables and columns, 64-bit integers, and the
    /// append-only audit log enforced by a trigger function. Each script runs as one multi-statement query.
    static let postgresMigrations: [String] = [
        """
        CREATE TABLE deployments (
            product TEXT NOT NULL, target TEXT NOT NULL, release TEXT, commit_id TEXT NOT NULL, tag_object TEXT,
            plan_digest TEXT, outcome TEXT NOT NULL, deployed_at_ms BIGINT NOT NULL, PRIMARY KEY (product, target)
        );
        CREATE TABLE tag_observations (
            repo TEXT NOT NULL, name TEXT NOT NULL, object_id TEXT NOT NULL, first_seen_ms BIGINT NOT NULL,
            last_object_id TEXT NOT NULL, last_seen_ms BIGINT NOT NULL, PRIMARY KEY (repo, name)
        );
        CREATE TABLE holds (
            target TEXT NOT NULL, product TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL, who TEXT NOT NULL,
            created_at_ms BIGINT NOT NULL, PRIMARY KEY (target, product)
        );
        CREATE TABLE audit_log (
            sequence BIGINT PRIMARY KEY, product TEXT NOT NULL, target TEXT NOT NULL, release TEXT,
            commit_id TEXT NOT NULL, tag_object TEXT, approvals TEXT NOT NULL, policy_report_digest TEXT,
            plan_digest TEXT, actions TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT,
            started_at_ms BIGINT NOT NULL, finished_at_ms BIGINT NOT NULL, previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_product_target ON audit_log (product, target);
        CREATE FUNCTION lakegate_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION lakegate_audit_log_append_only();
        """,
        """
        ALTER TABLE audit_log ADD COLUMN governance_commit TEXT;
        ALTER TABLE audit_log ADD COLUMN actor TEXT;
        CREATE TABLE inventory (
            product TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
            live_id TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (product, target, key)
        );
        CREATE TABLE imports (source TEXT PRIMARY KEY, rows BIGINT NOT NULL, imported_at_ms BIGINT NOT NULL);
        """,
        """
        ALTER TABLE audit_log ADD COLUMN signature TEXT;
        """,
        """
        CREATE TABLE notification_outbox (
            event_id TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL, product TEXT NOT NULL,
            target TEXT NOT NULL, payload TEXT NOT NULL, created_at_ms BIGINT NOT NULL, attempts BIGINT NOT NULL,
            next_attempt_ms BIGINT NOT NULL, state TEXT NOT NULL, last_error TEXT, finished_at_ms BIGINT,
            PRIMARY KEY (event_id, provider)
        );
        CREATE INDEX notification_outbox_due ON notification_outbox (state, next_attempt_ms);
        CREATE TABLE notification_conditions (
            product TEXT NOT NULL, target TEXT NOT NULL, family TEXT NOT NULL, fingerprint TEXT NOT NULL,
            updated_at_ms BIGINT NOT NULL, PRIMARY KEY (product, target, family)
        );
        """,
        """
        CREATE TABLE last_plans (
            product TEXT NOT NULL, target TEXT NOT NULL, release TEXT, commit_id TEXT NOT NULL,
            plan_digest TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT NOT NULL, changes BIGINT NOT NULL,
            computed_at_ms BIGINT NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (product, target)
        );
        """,
        """
        CREATE TABLE leases (
            product TEXT NOT NULL, target TEXT NOT NULL, holder TEXT NOT NULL, token BIGINT NOT NULL,
            expires_at_ms BIGINT NOT NULL, PRIMARY KEY (product, target)
        );
        CREATE TABLE replicas (id TEXT PRIMARY KEY, started_at_ms BIGINT NOT NULL, heartbeat_at_ms BIGINT NOT NULL);
        CREATE TABLE poll_triggers (repo TEXT PRIMARY KEY, requested_at_ms BIGINT NOT NULL);
        CREATE TABLE repository_heads (repo TEXT PRIMARY KEY, commit_id TEXT NOT NULL, listed_at_ms BIGINT NOT NULL);
        """,
        """
        CREATE TABLE last_applied (
            product TEXT NOT NULL, target TEXT NOT NULL, key TEXT NOT NULL, fields TEXT NOT NULL,
            applied_at_ms BIGINT NOT NULL, PRIMARY KEY (product, target, key)
        );
        """,
    ]

    /// The PostgreSQL advisory lock key that lets one replica at a time migrate the schema.
    static let migrationLockKey: Int64 = 0x6C61_6B65_6D69_6772

    /// How many PostgreSQL migrations there are: always ``schemaVersion``.
    public static var postgresMigrationCount: Int { postgresMigrations.count }

    /// The schema version this build creates.
    public static var schemaVersion: Int { migrations.count }

    /// The version recorded in the database (0 for a new file).
    public func currentSchemaVersion() throws -> Int {
        let rows = try database.query("SELECT max(version) FROM schema_version")
        return Int(rows.first?.first?.integer ?? 0)
    }

    func migrate() throws {
        let postgres = database.dialect == .postgres
        if !postgres {
            try database.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)"
            )
        }
        try database.transaction { tx in
            if postgres {
                // Replicas starting together: one migrates, the others wait and then find nothing to do.
                try tx.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
                try tx.query(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)"
                )
            }
            let rows = try tx.query("SELECT max(version) FROM schema_version")
            let current = Int(rows.first?.first?.integer ?? 0)
            guard current <= Self.migrations.count else {
                throw SchemaVersionError(found: current, supported: Self.migrations.count)
            }
            for version in (current + 1)..<(Self.migrations.count + 1) {
                if postgres {
                    try tx.query(Self.postgresMigrations[version - 1])
                } else {
                    for statement in Self.statements(Self.migrations[version - 1]) {
                        try tx.query(statement)
                    }
                }
                try tx.query(
                    "INSERT INTO schema_version (version, applied_at_ms) VALUES (?, ?)",
                    [.integer(Int64(version)), .integer(StoreTime.milliseconds(Date()))])
            }
        }
    }

    /// Splits a migration into statements; trigger bodies keep their inner `;` until their `END;`.
    static func statements(_ script: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inTrigger = false
        for line in script.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            current += trimmed + "\n"
            if trimmed.uppercased().hasPrefix("CREATE TRIGGER") { inTrigger = true }
            let ends = inTrigger ? trimmed.uppercased().hasSuffix("END;") : trimmed.hasSuffix(";")
            if ends {
                result.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
                inTrigger = false
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { result.append(rest) }
        return result
    }
}

extension StateStore {
    /// Imports `inventory.sqlite` (the inventory's own file before schema 2) from the state directory, once:
    /// the import is recorded in `imports` in the same transaction, and the old file is renamed to
    /// `inventory.sqlite.imported` so nothing reads it again. Rows already in the state database win.
    func importLegacyInventory() throws {
        let directory = URL(fileURLWithPath: database.path).deletingLastPathComponent()
        let legacy = directory.appendingPathComponent(InventoryStore.legacyFileName).path
        let source = InventoryStore.legacyFileName
        guard database.path != ":memory:", FileManager.default.fileExists(atPath: legacy),
            try database.query("SELECT 1 FROM imports WHERE source = ?", [.text(source)]).isEmpty
        else { return }
        try database.query("ATTACH DATABASE ? AS legacy", [.text(legacy)])
        do {
            try database.transaction { tx in
                guard try tx.query("SELECT 1 FROM imports WHERE source = ?", [.text(source)]).isEmpty else { return }
                let hasTable = try !tx.query(
                    "SELECT 1 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'inventory'"
                ).isEmpty
                var rows: Int64 = 0
                if hasTable {
                    try tx.query(
                        """
                        INSERT OR IGNORE INTO main.inventory (product, target, key, kind, name, live_id, recorded_at)
                        SELECT product, target, key, kind, name, live_id, recorded_at FROM legacy.inventory
                        """)
                    rows = try tx.query("SELECT count(*) FROM legacy.inventory").first?.first?.integer ?? 0
                }
                try tx.query(
                    "INSERT INTO imports (source, rows, imported_at_ms) VALUES (?, ?, ?)",
                    [.text(source), .integer(rows), .integer(StoreTime.milliseconds(Date()))])
            }
        } catch {
            _ = try? database.query("DETACH DATABASE legacy")
            throw LegacyImportError(path: legacy, reason: "\(error)")
        }
        try database.query("DETACH DATABASE legacy")
        // Detaching closed the last connection to it, so its WAL was checkpointed; rename what is left.
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: legacy + suffix) {
            try? FileManager.default.moveItem(atPath: legacy + suffix, toPath: legacy + ".imported" + suffix)
        }
    }
}

/// The pre-schema-2 inventory file could not be imported into the state database.
public struct LegacyImportError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public var description: String { "importing the inventory \(path) into the state database: \(reason)" }
}
