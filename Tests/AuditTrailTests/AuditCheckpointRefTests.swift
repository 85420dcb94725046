import AuditTrail
import Foundation
import GitSource
import Logging
import Store
import TestSupport
import Testing

@Suite struct AuditCheckpointRefTests {
    static let ref = "refs/lakegate/audit-checkpoints"

    /// A bare "remote" repository made by the git CLI, and a sink pushing to it.
    static func remote(_ fixture: AuditTrailFixture) throws -> (path: String, sink: AuditCheckpointRef) {
        let remote = fixture.scratch.path("audit-remote.git")
        try fixture.scratch.run("git", ["init", "-q", "--bare", remote])
        let sink = AuditCheckpointRef(
            repository: remote, reference: ref, stagingPath: fixture.scratch.path("staging.git"),
            credentials: GitCredentials())
        return (remote, sink)
    }

    @Test func checkpointsAreCommittedToTheRefAndPushed() throws {
        let fixture = try AuditTrailFixture(every: 2)
        let (remote, sink) = try Self.remote(fixture)
        let keeper = AuditKeeper(key: fixture.key, every: 2, sinks: [sink], logger: Logger(label: "test"))
        let store = try StateStore(stateDirectory: fixture.scratch.path("git-state"), auditSigner: keeper)
        for index in 1...5 {
            try store.appendAudit(
                AuditEntry(
                    product: "p", target: "prod", commit: "c\(index)", outcome: "applied", startedAt: Date(),
                    finishedAt: Date()))
        }
        // The real git CLI sees two commits on the ref, each adding one line.
        let log = try fixture.scratch.run("git", ["-C", remote, "log", "--format=%s", Self.ref]).stdout
        #expect(log == "audit checkpoint: entry 4\naudit checkpoint: entry 2\n")
        let file = try fixture.scratch.run("git", ["-C", remote, "show", "\(Self.ref):checkpoints.jsonl"]).stdout
        #expect(file.split(separator: "\n").count == 2)
        #expect(try sink.checkpoints()?.map(\.sequence) == [2, 4])

        let verifier = AuditTrailVerifier(key: try AuditKey(publicKeyFile: fixture.keyPath + ".pub"), sinks: [sink])
        #expect(try verifier.verify(store).isIntact)
        // A removed tail is caught from the ref alone.
        try store.database.execute("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE sequence >= 4;")
        let report = try verifier.verify(store)
        #expect(report.problems.contains { $0.contains("entries 4…4 were removed") }, "\(report.problems)")
    }

    @Test func aRewrittenRemoteRefRefusesTheNextCheckpoint() throws {
        let fixture = try AuditTrailFixture(every: 0)
        let (remote, sink) = try Self.remote(fixture)
        let keeper = AuditKeeper(key: fixture.key, every: 0, sinks: [sink], logger: Logger(label: "test"))
        try keeper.checkpoint(sequence: 1, head: String(repeating: "a", count: 64))
        // Someone replaces the ref with an unrelated commit (dropping the checkpoint).
        let work = fixture.scratch.path("intruder")
        try fixture.scratch.run("git", ["init", "-q", work])
        try "nothing\n".write(toFile: work + "/checkpoints.jsonl", atomically: true, encoding: .utf8)
        try fixture.scratch.run("git", ["-C", work, "add", "-A"])
        try fixture.scratch.run("git", ["-C", work, "commit", "-q", "-m", "rewrite"])
        try fixture.scratch.run("git", ["-C", work, "push", "-q", "--force", remote, "HEAD:\(Self.ref)"])
        #expect(throws: AuditTrailError.self) {
            try keeper.checkpoint(sequence: 2, head: String(repeating: "b", count: 64))
        }
        // And reading it names the damaged line.
        #expect(throws: AuditTrailError.self) { try sink.checkpoints() }
    }
}
