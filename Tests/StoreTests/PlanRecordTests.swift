import Foundation
import Store
import TestSupport
import Testing

/// The last plan per product and target: kept across a reopen, not rewritten when nothing is new, and an applied
/// diff is not replaced by the in-sync pass after it.
@Suite struct PlanRecordTests {
    static func record(
        digest: String, commit: Character = "a", outcome: String, changes: Int, message: String = "m"
    ) -> PlanRecord {
        PlanRecord(
            product: "customer-360", target: "prod", release: "v1.0.0", commit: String(repeating: commit, count: 40),
            planDigest: digest, outcome: outcome, message: message, changes: changes, computedAt: Date(),
            document: "{\"digest\":\"\(digest)\"}")
    }

    @Test func keptAcrossAReopenAndReplacedOnlyByNews() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var store = try StateStore(stateDirectory: dir.path)
        #expect(try store.lastPlan(product: "customer-360", target: "prod") == nil)
        let waiting = Self.record(digest: "sha256:1", outcome: "waiting", changes: 2, message: "manual sync")
        #expect(try store.recordPlan(waiting))
        #expect(try !store.recordPlan(waiting), "the same plan again writes nothing")

        let applied = Self.record(digest: "sha256:1", outcome: "applied", changes: 2, message: "applied")
        #expect(try store.recordPlan(applied))
        // The next pass finds the workspace in sync at the same commit: the applied diff stays.
        #expect(try !store.recordPlan(Self.record(digest: "sha256:0", outcome: "noChange", changes: 0)))

        store = try StateStore(stateDirectory: dir.path)
        let kept = try #require(try store.lastPlan(product: "customer-360", target: "prod"))
        #expect(kept == applied)
        #expect(try store.lastPlan(product: "customer-360", target: "dev") == nil)

        // Drift at the same commit, and a new commit in sync, are news.
        #expect(try store.recordPlan(Self.record(digest: "sha256:2", outcome: "noChange", changes: 1)))
        #expect(try store.recordPlan(Self.record(digest: "sha256:0", commit: "b", outcome: "noChange", changes: 0)))
        #expect(try store.lastPlan(product: "customer-360", target: "prod")?.commit.first == "b")
    }
}
