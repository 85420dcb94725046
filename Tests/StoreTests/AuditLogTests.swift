import Foundation
import Store
import TestSupport
import Testing

@Suite struct AuditLogTests {
    static func entry(_ index: Int, product: String = "customer-360", target: String = "prod") -> AuditEntry {
        let start = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60)
        return AuditEntry(
            product: product, target: target, release: "v1.\(index).0",
            commit: String(repeating: "a", count: 39) + "\(index % 10)",
            tagObject: String(repeating: "b", count: 40),
            approvals: [
                .init(
                    tag: "approval/prod/v1.\(index).0/alice", signer: "alice@example.com", keyFingerprint: "SHA256:abc")
            ],
            policyReportDigest: String(repeating: "c", count: 64), planDigest: String(repeating: "d", count: 64),
            actions: [.init(kind: "create", resource: "schemas.sales", result: "ok")], outcome: "applied",
            startedAt: start, finishedAt: start.addingTimeInterval(1.5))
    }

    /// A store with `count` entries on a real file; the caller removes `dir`.
    static func store(entries count: Int) throws -> (TemporaryDirectory, StateStore) {
        let dir = try TemporaryDirectory()
        let store = try StateStore(stateDirectory: dir.path)
        for index in 1...count { try store.appendAudit(entry(index)) }
        return (dir, store)
    }

    /// Drops the append-only triggers, as someone with write access to the file could.
    static func dropTriggers(_ store: StateStore) throws {
        try store.database.execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    }

    @Test func appendedEntriesListInOrderWithFilters() throws {
        let (dir, store) = try Self.store(entries: 3)
        defer { dir.remove() }
        try store.appendAudit(Self.entry(4, product: "orders", target: "qa"))
        let all = try store.auditEntries()
        #expect(all.map(\.sequence) == [1, 2, 3, 4])
        #expect(all[0].previousHash == AuditEntry.genesisHash)
        #expect(all[1].previousHash == all[0].hash)
        #expect(all[0].approvals.first?.signer == "alice@example.com")
        #expect(all[0].actions == [.init(kind: "create", resource: "schemas.sales", result: "ok")])
        #expect(all[0].finishedAt.timeIntervalSince(all[0].startedAt) == 1.5)
        #expect(try store.auditEntries(product: "orders").map(\.sequence) == [4])
        #expect(try store.auditEntries(target: "prod").map(\.sequence) == [1, 2, 3])
        #expect(try store.auditEntries(product: "customer-360", target: "qa").isEmpty)
    }

    @Test func entriesSurviveReopeningAndTheChainVerifies() throws {
        let (dir, store) = try Self.store(entries: 5)
        defer { dir.remove() }
        let head = try store.auditEntries().last?.hash
        let reopened = try StateStore(stateDirectory: dir.path)
        let verification = try reopened.verifyAudit()
        #expect(verification.isIntact)
        #expect(verification.entryCount == 5)
        #expect(verification.headHash == head)
        #expect(try reopened.auditEntries() == store.auditEntries())
    }

    @Test func anEmptyLogVerifies() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let verification = try StateStore(stateDirectory: dir.path).verifyAudit()
        #expect(verification.isIntact && verification.entryCount == 0)
        #expect(verification.headHash == AuditEntry.genesisHash)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let (dir, store) = try Self.store(entries: 2)
        defer { dir.remove() }
        #expect(throws: SQLiteError.self) {
            try store.database.query("UPDATE audit_log SET outcome = 'failed' WHERE sequence = 1")
        }
        #expect(throws: SQLiteError.self) {
            try store.database.query("DELETE FROM audit_log WHERE sequence = 2")
        }
        #expect(try store.verifyAudit().isIntact)
    }

    @Test func anEditedRowFailsVerificationNamingIt() throws {
        let (dir, store) = try Self.store(entries: 4)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        try store.database.query("UPDATE audit_log SET release = 'v9.9.9' WHERE sequence = 3")
        let verification = try StateStore(stateDirectory: dir.path).verifyAudit()
        let broken = try #require(verification.firstBreak)
        #expect(broken.sequence == 3)
        guard case .contentMismatch = broken.problem else {
            Issue.record("expected a content mismatch, got \(broken.problem)")
            return
        }
        #expect(broken.description.hasPrefix("audit entry 3: content does not match its hash"))
    }

    @Test func anEditedApprovalSignerFailsVerification() throws {
        let (dir, store) = try Self.store(entries: 2)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        try store.database.query(
            "UPDATE audit_log SET approvals = replace(approvals, 'alice@example.com', 'mallory@example.com')"
                + " WHERE sequence = 1")
        #expect(try store.verifyAudit().firstBreak?.sequence == 1)
    }

    @Test func anEditWithRecomputedHashStillBreaksTheNextLink() throws {
        let (dir, store) = try Self.store(entries: 3)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        var forged = try #require(try store.auditEntries().first { $0.sequence == 2 })
        forged.outcome = "noChange"
        let hash = forged.computedHash(previousHash: forged.previousHash)
        try store.database.query(
            "UPDATE audit_log SET outcome = 'noChange', hash = ? WHERE sequence = 2", [.text(hash)])
        let broken = try #require(try store.verifyAudit().firstBreak)
        #expect(broken.sequence == 3)
        guard case .previousHashMismatch = broken.problem else {
            Issue.record("expected a previous-hash mismatch, got \(broken.problem)")
            return
        }
    }

    @Test func aDeletedRowFailsVerificationNamingTheGap() throws {
        let (dir, store) = try Self.store(entries: 4)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        try store.database.query("DELETE FROM audit_log WHERE sequence = 2")
        let broken = try #require(try store.verifyAudit().firstBreak)
        #expect(broken.sequence == 3)
        #expect(broken.problem == .missingEntries(expected: 2, found: 3))
        #expect(broken.description == "audit entry 3: entry 2 is missing: deleted")
    }

    @Test func aDeletedAndRenumberedRowStillFails() throws {
        let (dir, store) = try Self.store(entries: 3)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        try store.database.execute(
            "DELETE FROM audit_log WHERE sequence = 2; UPDATE audit_log SET sequence = 2 WHERE sequence = 3;")
        let broken = try #require(try store.verifyAudit().firstBreak)
        #expect(broken.sequence == 2)
        guard case .previousHashMismatch = broken.problem else {
            Issue.record("expected a previous-hash mismatch, got \(broken.problem)")
            return
        }
    }

    @Test func reorderedRowsFailVerificationNamingTheFirst() throws {
        let (dir, store) = try Self.store(entries: 4)
        defer { dir.remove() }
        try Self.dropTriggers(store)
        // Swap entries 2 and 3 by renumbering them.
        try store.database.execute(
            """
            UPDATE audit_log SET sequence = 100 WHERE sequence = 2;
            UPDATE audit_log SET sequence = 2 WHERE sequence = 3;
            UPDATE audit_log SET sequence = 3 WHERE sequence = 100;
            """)
        let verification = try store.verifyAudit()
        let broken = try #require(verification.firstBreak)
        #expect(broken.sequence == 2)
        guard case .previousHashMismatch = broken.problem else {
            Issue.record("expected a previous-hash mismatch, got \(broken.problem)")
            return
        }
        #expect(broken.description.contains("reordered"))
    }

    @Test func appendingAfterReopenContinuesTheChain() throws {
        let (dir, store) = try Self.store(entries: 2)
        defer { dir.remove() }
        let first = try store.auditEntries()
        let reopened = try StateStore(stateDirectory: dir.path)
        let third = try reopened.appendAudit(Self.entry(3))
        #expect(third.sequence == 3)
        #expect(third.previousHash == first[1].hash)
        #expect(try reopened.verifyAudit().isIntact)
    }

    @Test func canonicalJSONIsStableAndExcludesTheHashes() throws {
        var a = Self.entry(1)
        let before = a.canonicalJSON
        a.hash = "x"
        a.previousHash = "y"
        #expect(a.canonicalJSON == before)
        #expect(before.hasPrefix("{\"actions\":[{\"kind\":\"create\""))
        #expect(a.computedHash(previousHash: "y") != a.computedHash(previousHash: AuditEntry.genesisHash))
    }
}
