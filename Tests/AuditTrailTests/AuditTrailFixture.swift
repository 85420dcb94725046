import AuditTrail
import Foundation
import Logging
import Store
import TestSupport

/// A state database with a real audit key (ssh-keygen Ed25519) and a checkpoint file on a real disk.
final class AuditTrailFixture: Sendable {
    let scratch: GitScratch
    let keyPath: String
    let checkpointPath: String
    let key: AuditKey
    let store: StateStore

    /// `every`: a checkpoint after every this many entries.
    init(every: Int = 3) throws {
        scratch = try GitScratch(prefix: "lakegate-audit", authorName: "Auditor", authorEmail: "audit@example.com")
        keyPath = scratch.path("audit_ed25519")
        try scratch.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "lakegate", "-f", keyPath])
        checkpointPath = scratch.path("checkpoints.jsonl")
        key = try AuditKey(signingKey: keyPath)
        store = try StateStore(
            stateDirectory: scratch.path("state"),
            auditSigner: AuditKeeper(
                key: key, every: every, sinks: [AuditCheckpointFile(path: checkpointPath)],
                logger: Logger(label: "test")))
    }

    /// A verifier with the audit key's public half only, as an auditor has it.
    func verifier() throws -> AuditTrailVerifier {
        AuditTrailVerifier(
            key: try AuditKey(publicKeyFile: keyPath + ".pub"), sinks: [AuditCheckpointFile(path: checkpointPath)])
    }

    /// Appends `count` deployment entries.
    func append(_ count: Int, from first: Int = 1) throws {
        for index in first..<(first + count) {
            let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60)
            try store.appendAudit(
                AuditEntry(
                    product: "customer-360", target: "prod", release: "v1.\(index).0",
                    commit: String(repeating: "a", count: 39) + "\(index % 10)", outcome: "applied",
                    message: "entry \(index)", startedAt: start, finishedAt: start.addingTimeInterval(1)))
        }
    }

    /// Drops the append-only triggers, as someone with write access to the file could.
    func dropTriggers() throws {
        try store.database.execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    }

    /// Rewrites entries `from` onwards as an attacker with the file would: recomputes every hash after an edit,
    /// re-signing with `forger` when given (else the old signatures stay).
    func rehash(from first: Int64, forger: AuditKey? = nil) throws {
        var previous = try store.auditHash(sequence: first - 1) ?? AuditEntry.genesisHash
        for var entry in try store.auditEntries() where entry.sequence >= first {
            entry.hash = entry.computedHash(previousHash: previous)
            var signature = entry.signature
            if let forger { signature = try forger.sign(entry.signedPayload) }
            try store.database.query(
                "UPDATE audit_log SET previous_hash = ?, hash = ?, signature = ? WHERE sequence = ?",
                [
                    .text(previous), .text(entry.hash), signature.map(SQLiteValue.text) ?? .null,
                    .integer(entry.sequence),
                ])
            previous = entry.hash
        }
    }

    /// A second Ed25519 key, the forger's.
    func otherKey() throws -> AuditKey {
        let path = scratch.path("forger_ed25519")
        try scratch.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "mallory", "-f", path])
        return try AuditKey(signingKey: path)
    }
}
