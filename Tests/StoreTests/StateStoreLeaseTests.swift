import Foundation
import Store
import TestSupport
import Testing

@Suite struct StateStoreLeaseTests {
    private func entry(_ product: String, _ target: String, outcome: String = "applied") -> AuditEntry {
        let now = Date()
        return AuditEntry(
            product: product, target: target, release: "v1.0.0", commit: String(repeating: "a", count: 40),
            outcome: outcome, startedAt: now, finishedAt: now)
    }

    private func deployment(_ product: String, _ target: String) -> Deployment {
        Deployment(
            product: product, target: target, release: "v1.0.0", commit: String(repeating: "a", count: 40),
            tagObject: nil, planDigest: nil, outcome: "applied", deployedAt: Date())
    }

    @Test func aLeaseIsExclusiveUntilItExpiresAndItsTokenGrowsWhenItChangesHands() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let a = try #require(
            try store.acquireLease(product: "p", target: "qa", holder: "a", duration: .seconds(1)))
        #expect(a.token == 1)
        #expect(try store.acquireLease(product: "p", target: "qa", holder: "b", duration: .seconds(5)) == nil)
        // The holder keeps its token while the lease is current.
        #expect(
            try store.acquireLease(product: "p", target: "qa", holder: "a", duration: .seconds(1))?.token == 1)
        #expect(try store.renewLease(a, duration: .seconds(1)))
        try await Task.sleep(for: .milliseconds(1200))
        // Expired: a renewal is refused and another replica takes it with a higher token.
        #expect(try !store.renewLease(a, duration: .seconds(5)))
        let b = try #require(try store.acquireLease(product: "p", target: "qa", holder: "b", duration: .seconds(5)))
        #expect(b.token == 2)
        // Released: taken at once, with a higher token again.
        try store.releaseLease(b)
        #expect(try store.acquireLease(product: "p", target: "qa", holder: "a", duration: .seconds(5))?.token == 3)
        // Other pairs are independent.
        #expect(try store.acquireLease(product: "p", target: "prod", holder: "b", duration: .seconds(5))?.token == 1)
    }

    @Test func aFencedStoreWritesOnlyWhileItsLeaseIsCurrent() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let lease = try #require(
            try store.acquireLease(product: "p", target: "qa", holder: "a", duration: .seconds(1)))
        let fenced = store.fenced(by: lease)
        try fenced.checkFence()
        try fenced.appendAudit(entry("p", "qa"))
        try fenced.recordDeployment(deployment("p", "qa"))
        try await Task.sleep(for: .milliseconds(1200))
        _ = try #require(try store.acquireLease(product: "p", target: "qa", holder: "b", duration: .seconds(5)))
        // The paused replica comes back: every write and the pre-apply check are refused, nothing is written.
        #expect(throws: LeaseLostError.self) { try fenced.checkFence() }
        #expect(throws: LeaseLostError.self) { try fenced.appendAudit(entry("p", "qa", outcome: "failed")) }
        #expect(throws: LeaseLostError.self) { try fenced.recordDeployment(deployment("p", "prod")) }
        #expect(try store.auditEntries().map(\.outcome) == ["applied"])
        #expect(try store.deployments().map(\.target) == ["qa"])
        #expect(try store.verifyAudit().firstBreak == nil)
        // An expired lease nobody took is no better: the write still needs a current lease.
        let other = try #require(
            try store.acquireLease(product: "q", target: "qa", holder: "a", duration: .milliseconds(100)))
        try await Task.sleep(for: .milliseconds(200))
        #expect(throws: LeaseLostError.self) { try store.fenced(by: other).appendAudit(entry("q", "qa")) }
    }

    @Test func heartbeatsDecideTheLiveReplicasAndPollRequestsAreTakenOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        try store.heartbeat(replica: "a")
        try store.heartbeat(replica: "b")
        #expect(try store.liveReplicas(within: .seconds(5)) == ["a", "b"])
        try await Task.sleep(for: .seconds(3))
        try store.heartbeat(replica: "b")
        #expect(try store.liveReplicas(within: .milliseconds(2500)) == ["b"])
        try store.removeReplica("b")
        // A long window: a loaded machine must not make "a" look dead here.
        #expect(try store.liveReplicas(within: .seconds(3600)) == ["a"])
        try store.requestPoll(repo: "r1")
        try store.requestPoll(repo: "r2")
        try store.requestPoll(repo: "r1")
        #expect(try store.takePollRequests(among: ["r1"]) == ["r1"])
        #expect(try store.takePollRequests(among: ["r1", "r2"]) == ["r2"])
        #expect(try store.takePollRequests(among: ["r1", "r2"]).isEmpty)
    }

    @Test func copyingKeepsTheAuditChainAndRefusesAFullDestination() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = try StateStore(stateDirectory: dir.url.appendingPathComponent("a").path)
        for index in 0..<5 { try source.appendAudit(entry("p\(index)", "qa")) }
        try source.recordDeployment(deployment("p0", "qa"))
        try source.placeHold(Hold(target: "prod", product: nil, reason: "freeze", who: "ops", createdAt: Date()))
        let destination = try StateStore(stateDirectory: dir.url.appendingPathComponent("b").path)
        let counts = try source.copy(to: destination)
        #expect(counts["audit_log"] == 6 && counts["deployments"] == 1 && counts["holds"] == 1)
        #expect(try destination.auditHead().hash == source.auditHead().hash)
        #expect(try destination.verifyAudit().firstBreak == nil)
        #expect(try destination.auditEntries() == source.auditEntries())
        #expect(throws: StateCopyError.self) { try source.copy(to: destination) }
    }

    @Test func theMigrationsOfBothDialectsHaveTheSameSteps() {
        // A migration added for SQLite without its PostgreSQL twin would leave shared state behind.
        #expect(StateStore.postgresMigrationCount == StateStore.schemaVersion)
    }
}

@Suite struct StateDirectoryLockTests {
    @Test func aSecondHolderIsRefusedWithTheFirstOnesPidAndTheLockIsFreedOnRelease() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var first: StateDirectoryLock? = try StateDirectoryLock(stateDirectory: dir.path)
        let error = #expect(throws: StateDirectoryLockedError.self) {
            try StateDirectoryLock(stateDirectory: dir.path)
        }
        #expect(error?.description.contains("in use by process \(getpid())") == true)
        #expect(first != nil)
        first = nil
        _ = try StateDirectoryLock(stateDirectory: dir.path)
    }
}
