import AuditTrail
import Foundation
import GitSource
import Logging
import Store
import TestSupport
import Testing

@Suite struct AuditTrailVerifierTests {
    @Test func aSignedLogWithCheckpointsVerifies() throws {
        let fixture = try AuditTrailFixture(every: 3)
        try fixture.append(7)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.isIntact, "\(report.problems) \(String(describing: report.chain.firstBreak))")
        #expect(report.chain.entryCount == 7)
        #expect(report.chain.unsignedPrefix == 0)
        #expect(report.newestCheckpoint?.sequence == 6)
        #expect(report.notes.contains { $0.contains("entries 7…7 are newer than the newest checkpoint") })
        let lines = try #require(try AuditCheckpointFile(path: fixture.checkpointPath).read())
        #expect(lines.map(\.sequence) == [3, 6])
    }

    @Test func sshKeygenVerifiesAnEntrySignature() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(2)
        let entry = try #require(try fixture.store.auditEntries().last)
        let signature = try #require(entry.signature)
        let allowed = fixture.scratch.path("allowed_signers")
        let publicKey = try String(contentsOfFile: fixture.keyPath + ".pub", encoding: .utf8)
        try "lakegate \(publicKey)".write(toFile: allowed, atomically: true, encoding: .utf8)
        let signatureFile = fixture.scratch.path("entry.sig")
        try signature.write(toFile: signatureFile, atomically: true, encoding: .utf8)
        let payload = String(decoding: entry.signedPayload, as: UTF8.self)
        let verified = try fixture.scratch.run(
            "ssh-keygen",
            ["-Y", "verify", "-f", allowed, "-I", "lakegate", "-n", "lakegate-audit", "-s", signatureFile],
            input: payload)
        #expect(verified.stdout.contains("Good \"lakegate-audit\" signature for lakegate"))
        // The same signature does not verify for another entry's payload or namespace.
        let other = try fixture.scratch.run(
            "ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "lakegate", "-n", "git", "-s", signatureFile],
            input: payload, allowFailure: true)
        #expect(other.status != 0)
    }

    @Test func anEditIsDetectedAndLocated() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(5)
        try fixture.dropTriggers()
        try fixture.store.database.query("UPDATE audit_log SET message = 'nothing happened' WHERE sequence = 3")
        let report = try fixture.verifier().verify(fixture.store)
        #expect(!report.isIntact)
        #expect(report.chain.firstBreak?.sequence == 3)
        #expect("\(report.chain.firstBreak!)".contains("edited"))
    }

    @Test func aDeletionIsDetectedAndLocated() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(5)
        try fixture.dropTriggers()
        try fixture.store.database.query("DELETE FROM audit_log WHERE sequence = 2")
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.chain.firstBreak?.sequence == 3)
        #expect("\(report.chain.firstBreak!)".contains("entry 2 is missing"))
    }

    @Test func aReorderingIsDetectedAndLocated() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(5)
        try fixture.dropTriggers()
        // Swap rows 2 and 4 wholesale (content, hashes and signatures), keeping the sequence numbers in place.
        try fixture.store.database.execute(
            """
            UPDATE audit_log SET sequence = -2 WHERE sequence = 2;
            UPDATE audit_log SET sequence = 2 WHERE sequence = 4;
            UPDATE audit_log SET sequence = 4 WHERE sequence = -2;
            """)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.chain.firstBreak?.sequence == 2)
        #expect("\(report.chain.firstBreak!)".contains("reordered"))
    }

    @Test func aRehashedForgeryIsDetectedAtTheEditedEntry() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(5)
        try fixture.dropTriggers()
        try fixture.store.database.query("UPDATE audit_log SET outcome = 'failed' WHERE sequence = 3")
        try fixture.rehash(from: 3)
        // The chain alone is consistent again; only the signatures (and the checkpoint) give it away.
        #expect(try fixture.store.verifyAudit().isIntact)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.chain.firstBreak?.sequence == 3)
        #expect("\(report.chain.firstBreak!)".contains("does not verify"))
        #expect(report.problems.contains { $0.contains("entry 3 has hash") && $0.contains("rewritten") })
    }

    @Test func aRemovedTailIsDetectedByTheCheckpoint() throws {
        let fixture = try AuditTrailFixture(every: 3)
        try fixture.append(6)
        try fixture.dropTriggers()
        try fixture.store.database.query("DELETE FROM audit_log WHERE sequence > 4")
        // The chain that is left is intact and signed: the database alone cannot tell.
        #expect(try fixture.store.verifyAudit().isIntact)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(!report.isIntact)
        #expect(report.problems.contains { $0.contains("ends at entry 4; entries 5…6 were removed") })
    }

    @Test func aSwappedKeyIsDetectedAtTheFirstEntry() throws {
        let fixture = try AuditTrailFixture(every: 0)
        try fixture.append(4)
        try fixture.dropTriggers()
        let forger = try fixture.otherKey()
        try fixture.store.database.query("UPDATE audit_log SET message = 'forged' WHERE sequence = 2")
        try fixture.rehash(from: 1, forger: forger)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.chain.firstBreak?.sequence == 1)
        #expect("\(report.chain.firstBreak!)".contains("key swapped"))
        #expect("\(report.chain.firstBreak!)".contains(forger.publicKey.fingerprint))
        // A checkpoint the forger writes is refused the same way.
        let forged = AuditKeeper(
            key: forger, every: 0, sinks: [AuditCheckpointFile(path: fixture.checkpointPath)],
            logger: Logger(label: "test"))
        try forged.checkpoint(of: fixture.store)
        let again = try fixture.verifier().verify(fixture.store)
        #expect(again.problems.contains { $0.contains("checkpoint 1") && $0.contains("key swapped") })
    }

    @Test func aStrippedSignatureIsDetected() throws {
        let fixture = try AuditTrailFixture()
        try fixture.append(4)
        try fixture.dropTriggers()
        try fixture.store.database.query("UPDATE audit_log SET signature = NULL WHERE sequence = 3")
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.chain.firstBreak?.sequence == 3)
        #expect(report.chain.firstBreak?.problem == .unsigned)
    }

    @Test func anUnsignedLegacyPrefixVerifiesAndIsReported() throws {
        let fixture = try AuditTrailFixture(every: 2)
        let legacy = try StateStore(path: StateStore.databasePath(in: fixture.scratch.path("state")))
        try legacy.appendAudit(
            AuditEntry(
                product: "p", target: "dev", commit: "c", outcome: "applied", startedAt: Date(), finishedAt: Date()))
        // The signed store continues the same file.
        try fixture.append(3, from: 2)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.chain.unsignedPrefix == 1)
        #expect(report.notes.contains { $0.contains("entries 1…1 predate signing") })
        // Once signed, an unsigned writer is refused rather than weakening the log.
        #expect(throws: AuditAppendError.self) {
            try legacy.appendAudit(
                AuditEntry(
                    product: "p", target: "dev", commit: "c", outcome: "applied", startedAt: Date(), finishedAt: Date())
            )
        }
    }

    @Test func aSignedLogWithoutAKeyFailsAndADamagedCheckpointFileIsNamed() throws {
        let fixture = try AuditTrailFixture(every: 1)
        try fixture.append(2)
        let noKey = try AuditTrailVerifier(key: nil, sinks: [AuditCheckpointFile(path: fixture.checkpointPath)])
            .verify(fixture.store)
        #expect(noKey.problems.contains { $0.contains("no audit key was given") })
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.checkpointPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{not json\n".utf8))
        try handle.close()
        let damaged = try fixture.verifier().verify(fixture.store)
        #expect(damaged.problems.contains { $0.contains("checkpoints.jsonl:3: not a JSON checkpoint") })
    }

    @Test func aMissingCheckpointFileFailsTheCheck() throws {
        let fixture = try AuditTrailFixture(every: 0)
        try fixture.append(2)
        let report = try fixture.verifier().verify(fixture.store)
        #expect(report.problems.contains { $0.contains("no checkpoint") })
    }

    @Test func anUnsignedLogVerifiesItsChainAndSaysWhatThatDoesNotProve() throws {
        let fixture = try AuditTrailFixture()
        let unsigned = try StateStore(stateDirectory: fixture.scratch.path("plain"))
        for _ in 1...2 {
            try unsigned.appendAudit(
                AuditEntry(
                    product: "p", target: "dev", commit: "c", outcome: "applied", startedAt: Date(), finishedAt: Date())
            )
        }
        let report = try AuditTrailVerifier(key: nil, sinks: []).verify(unsigned)
        #expect(report.isIntact)
        #expect(report.notes.contains { $0.hasPrefix("the log is not signed") })
        #expect(report.notes.contains { $0.contains("a removed tail cannot be detected") })
    }
}
