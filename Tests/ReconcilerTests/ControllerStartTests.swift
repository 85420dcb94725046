import Foundation
import MetricsTestKit
import OperatorConfig
import TestSupport
import Testing

@testable import Reconciler

/// Replicas started together: each waits one heartbeat period before its first pass, so it sees the others and
/// lists only the repositories it owns.
@Suite struct ControllerStartTests {
    @Test func aReplicaStartedBeforeAnotherListsOnlyWhatItOwnsInItsFirstPass() async throws {
        let fixture = try await ReconcileFixture()
        let product = fixture.scratch.path("product.git")
        let ids = ["replica-a", "replica-b"]
        let owner = try #require(ClusterMember.owner(of: product, among: ids))
        let other = try #require(ids.first { $0 != owner })
        func replica(_ id: String) throws -> (Controller, TestMetrics) {
            let text = fixture.configText
                .replacingOccurrences(
                    of: "stateDir: \(fixture.scratch.path("state"))",
                    with: "stateDir: \(fixture.scratch.path("state-\(id)"))"
                )
                .replacingOccurrences(of: "interval: 1s", with: "interval: 1h")
            let metrics = TestMetrics()
            // A lease of 3 s: a third of it, 1 s, before the first pass.
            let cluster = ClusterMember(replicaID: id, leaseDuration: .seconds(3), store: fixture.store)
            let controller = Controller(
                config: try OperatorConfig.parse(text, path: fixture.scratch.path("lakegate.yaml")),
                store: fixture.store, metrics: ControllerMetrics(factory: metrics), logger: ReconcileFixture.logger,
                environment: ReconcileFixture.variables, connector: fixture.connector, cluster: cluster)
            return (controller, metrics)
        }
        func listings(_ metrics: TestMetrics) -> Int {
            let counter = try? metrics.expectCounter("lakegate_git_requests_total", [("type", "ls-remote")])
            return counter.map { Int($0.totalValue) } ?? 0
        }
        let (first, firstMetrics) = try replica(other)
        let (second, secondMetrics) = try replica(owner)
        // The replica that does not own the repository starts first: alone in the live set, it would own it.
        let firstRun = Task { await first.run(until: { false }) }
        try await Task.sleep(for: .milliseconds(300))
        let secondRun = Task { await second.run(until: { false }) }
        defer {
            firstRun.cancel()
            secondRun.cancel()
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while listings(secondMetrics) == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(listings(secondMetrics) == 1, "the owner lists the repository in its first pass")
        // Both first passes have begun by now (the first replica's 1 s wait ended before the owner's).
        try await Task.sleep(for: .milliseconds(500))
        #expect(listings(firstMetrics) == 0, "the first replica saw the owner before its first pass")
    }
}
