import Foundation
import MetricsTestKit
import OperatorConfig
import Store
import TestSupport
import Testing

@testable import Reconciler

/// Several replicas list the governance repository once per pass between them: its owner lists it and records
/// the head; the others read their mirror at that head and fetch only when it moved.
@Suite struct ControllerGovernanceSharingTests {
    /// A controller of `fixture` as replica `id`, with its own mirrors and metrics, sharing the fixture's store.
    static func replica(_ fixture: ReconcileFixture, _ id: String) throws -> (Controller, TestMetrics, ClusterMember) {
        let text = fixture.configText.replacingOccurrences(
            of: "stateDir: \(fixture.scratch.path("state"))", with: "stateDir: \(fixture.scratch.path("state-\(id)"))")
        let metrics = TestMetrics()
        let cluster = ClusterMember(replicaID: id, leaseDuration: .seconds(60), store: fixture.store)
        let controller = Controller(
            config: try OperatorConfig.parse(text, path: fixture.scratch.path("lakegate.yaml")), store: fixture.store,
            metrics: ControllerMetrics(factory: metrics), logger: ReconcileFixture.logger,
            environment: ReconcileFixture.variables, connector: fixture.connector, cluster: cluster)
        return (controller, metrics, cluster)
    }

    static func count(_ metrics: TestMetrics, _ type: String) -> Int {
        let counter = try? metrics.expectCounter("lakegate_git_requests_total", [("type", type)])
        return counter.map { Int($0.totalValue) } ?? 0
    }

    @Test func onlyTheOwnerListsTheGovernanceRepositoryAndTheOthersFetchWhenItMoves() async throws {
        let fixture = try await ReconcileFixture(
            productEnvironments: ["qa"], releaseGates: "policySet: qa", policySet: "qa")
        let governance = fixture.scratch.path("governance.git")
        let product = fixture.scratch.path("product.git")
        let ids = ["replica-a", "replica-b"]
        let owner = try #require(ClusterMember.owner(of: governance, among: ids))
        let replicas = Dictionary(uniqueKeysWithValues: try ids.map { ($0, try Self.replica(fixture, $0)) })
        for (_, _, cluster) in replicas.values { try await cluster.heartbeat() }
        // The owner first, so that the head is recorded when the other looks.
        let order = [owner] + ids.filter { $0 != owner }
        func pass() async throws -> [String: Int] {
            var governanceListings: [String: Int] = [:]
            for id in order {
                let (controller, metrics, _) = try #require(replicas[id])
                let before = Self.count(metrics, "ls-remote")
                await controller.pollOnce()
                let ownsProduct = ClusterMember.owner(of: product, among: ids) == id ? 1 : 0
                governanceListings[id] = Self.count(metrics, "ls-remote") - before - ownsProduct
            }
            return governanceListings
        }
        let other = try #require(ids.first { $0 != owner })
        // First pass: the other replica has no mirror yet, so it lists the repository once.
        #expect(try await pass() == [owner: 1, other: 1])
        let head = try #require(try fixture.store.repositoryHead(repo: governance))
        // From then on the cluster lists it once per pass.
        #expect(try await pass() == [owner: 1, other: 0])
        #expect(try await pass() == [owner: 1, other: 0])

        // A new governance commit: the owner records it, the other fetches because its mirror is behind.
        let work = fixture.scratch.path("governance")
        try Data("# moved\n".utf8).write(to: URL(fileURLWithPath: work + "/policies/NOTE.md"))
        for arguments in [["add", "-A"], ["commit", "-q", "-m", "Note"], ["push", "-q", "origin", "main"]] {
            try fixture.scratch.run("git", ["-C", work] + arguments)
        }
        let fetchesBefore = Self.count(try #require(replicas[other]).1, "fetch")
        #expect(try await pass() == [owner: 1, other: 1])
        #expect(Self.count(try #require(replicas[other]).1, "fetch") == fetchesBefore + 1)
        let moved = try #require(try fixture.store.repositoryHead(repo: governance))
        #expect(moved != head)
        #expect(try await pass() == [owner: 1, other: 0])
    }
}
