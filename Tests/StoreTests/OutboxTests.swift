import Foundation
import Store
import TestSupport
import Testing

@Suite struct OutboxTests {
    static func event(_ id: String, providers: [String] = ["a", "b"]) -> OutboxEvent {
        OutboxEvent(
            id: id, kind: "deployed", product: "customer-360", target: "prod", payload: "{\"id\":\"\(id)\"}",
            providers: providers, createdAt: Date())
    }

    @Test func anAuditEntryItsDeploymentAndItsEventsCommitTogether() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let deployment = Deployment(
            product: "customer-360", target: "prod", release: "v1.1.0", commit: String(repeating: "a", count: 40),
            outcome: "applied", deployedAt: Date())
        try store.appendAudit(AuditLogTests.entry(1), deployment: deployment, events: [Self.event("e1")])
        #expect(try store.dueDeliveries(now: Date()).map(\.provider) == ["a", "b"])
        #expect(try store.deployment(product: "customer-360", target: "prod")?.release == "v1.1.0")

        // The same event id again violates the outbox key: the whole transaction (entry and deployment) rolls back.
        let moved = Deployment(
            product: "customer-360", target: "prod", release: "v1.2.0", commit: String(repeating: "b", count: 40),
            outcome: "applied", deployedAt: Date())
        #expect(throws: (any Error).self) {
            try store.appendAudit(AuditLogTests.entry(2), deployment: moved, events: [Self.event("e1")])
        }
        #expect(try store.auditEntries().count == 1)
        #expect(try store.deployment(product: "customer-360", target: "prod")?.release == "v1.1.0")
        #expect(try store.verifyAudit().firstBreak == nil)
    }

    @Test func anUnchangedConditionWritesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        var asked: [String?] = []
        func update(_ fingerprint: String, _ id: String) throws -> Bool {
            try store.updateCondition(
                product: "p", target: "prod", family: "failure", fingerprint: fingerprint, at: Date()
            ) { previous in
                asked.append(previous)
                return [Self.event(id, providers: ["a"])]
            }
        }
        #expect(try update("failed x", "e1"))
        #expect(try !update("failed x", "e2"))
        #expect(try update("ok", "e3"))
        #expect(asked == [nil, "failed x"])
        #expect(try store.dueDeliveries(now: Date()).map(\.eventID) == ["e1", "e3"])
        #expect(try store.condition(product: "p", target: "prod", family: "failure") == "ok")
    }

    @Test func deliveriesMoveThroughTheirStatesAndSurviveReopening() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        do {
            let store = try StateStore(stateDirectory: dir.path)
            try store.enqueue([Self.event("e1")])
            try store.markDelivered(eventID: "e1", provider: "a", at: Date())
            try store.markAttemptFailed(
                eventID: "e1", provider: "b", error: "HTTP 503", retryAt: Date().addingTimeInterval(3600), at: Date())
        }
        let store = try StateStore(stateDirectory: dir.path)
        #expect(try store.dueDeliveries(now: Date()).isEmpty)
        let due = try store.dueDeliveries(now: Date().addingTimeInterval(3601))
        #expect(due.map(\.provider) == ["b"])
        #expect(due.first?.attempts == 1)
        #expect(due.first?.lastError == "HTTP 503")
        try store.markAttemptFailed(eventID: "e1", provider: "b", error: "HTTP 503", retryAt: nil, at: Date())
        let counts = try store.deliveryCounts()
        #expect(counts.byState == ["delivered": 1, "failed": 1])
        #expect(try store.deliveries(state: .failed).first?.attempts == 2)
    }
}
