import Foundation
import Store
import TestSupport
import Testing

@Suite struct StateStoreTests {
    @Test func aNewDatabaseIsAtTheCurrentSchemaVersionAndReopens() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.url.appendingPathComponent("nested/state").path)
        #expect(try store.currentSchemaVersion() == StateStore.schemaVersion)
        let again = try StateStore(stateDirectory: dir.url.appendingPathComponent("nested/state").path)
        #expect(try again.currentSchemaVersion() == StateStore.schemaVersion)
        #expect(
            try again.database.query("SELECT count(*) FROM schema_version") == [
                [.integer(Int64(StateStore.schemaVersion))]
            ])
    }

    @Test func aNewerSchemaIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = StateStore.databasePath(in: dir.path)
        let store = try StateStore(path: path)
        try store.database.query("INSERT INTO schema_version VALUES (99, 0)")
        #expect(throws: SchemaVersionError.self) { try StateStore(path: path) }
    }

    @Test func aTagKeepsItsFirstObjectAndReportsAMove() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let first = try store.recordTag(repo: "r", name: "v1.0.0", objectID: "aaa", seenAt: t0)
        #expect(!first.moved && first.firstObjectID == "aaa" && first.firstSeenAt == t0)
        let same = try store.recordTag(repo: "r", name: "v1.0.0", objectID: "aaa", seenAt: t0 + 60)
        #expect(!same.moved && same.firstSeenAt == t0 && same.lastSeenAt == t0 + 60)
        let moved = try store.recordTag(repo: "r", name: "v1.0.0", objectID: "bbb", seenAt: t0 + 120)
        #expect(moved.moved && moved.firstObjectID == "aaa" && moved.lastObjectID == "bbb")
        #expect(try store.tagObservation(repo: "r", name: "v1.0.0")?.moved == true)
        #expect(try store.tagObservation(repo: "other", name: "v1.0.0") == nil)
        let back = try store.recordTag(repo: "r", name: "v1.0.0", objectID: "aaa", seenAt: t0 + 180)
        #expect(!back.moved && back.firstSeenAt == t0)
    }

    @Test func holdsCoverATargetOrOneProduct() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try store.placeHold(Hold(target: "prod", product: "orders", reason: "incident 42", who: "bob", createdAt: now))
        #expect(try store.activeHold(product: "orders", target: "prod")?.reason == "incident 42")
        #expect(try store.activeHold(product: "customer-360", target: "prod") == nil)
        try store.placeHold(Hold(target: "prod", product: nil, reason: "freeze", who: "carol", createdAt: now))
        #expect(try store.activeHold(product: "customer-360", target: "prod")?.reason == "freeze")
        #expect(try store.activeHold(product: "orders", target: "prod")?.reason == "incident 42")
        #expect(try store.holds().map(\.scope) == ["prod", "prod/orders"])
        #expect(try store.removeHold(target: "prod", product: "orders"))
        #expect(try !store.removeHold(target: "prod", product: "orders"))
        #expect(try store.activeHold(product: "orders", target: "prod")?.reason == "freeze")
        #expect(try store.removeHold(target: "prod", product: nil))
        #expect(try store.holds().isEmpty)
    }

    @Test func aDeploymentIsReplacedByTheNextOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore(stateDirectory: dir.path)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try store.recordDeployment(
            Deployment(product: "p", target: "qa", release: "v1.0.0", commit: "c1", outcome: "applied", deployedAt: now)
        )
        try store.recordDeployment(
            Deployment(product: "p", target: "qa", release: "v1.1.0", commit: "c2", outcome: "applied", deployedAt: now)
        )
        try store.recordDeployment(
            Deployment(product: "p", target: "dev", release: nil, commit: "c3", outcome: "applied", deployedAt: now))
        #expect(try store.deployment(product: "p", target: "qa")?.release == "v1.1.0")
        #expect(try store.deployments().map(\.target) == ["dev", "qa"])
    }
}
