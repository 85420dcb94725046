import Foundation
import MetricsTestKit
import OperatorConfig
import TestSupport
import Testing

@testable import Reconciler

/// A waiting product × environment (quorum not met) is looked at again at its `retryAt`, or sooner when its
/// repository gets a new revision or a webhook asks; not at every pass in between.
@Suite("Controller honours a waiting reconcile's retryAt")
struct ControllerWaitTests {
    /// A controller over `fixture` that polls every `interval` (a waiting pair's retryAt is one interval away).
    func controller(_ fixture: ReconcileFixture, interval: Duration) throws -> Controller {
        var config = try fixture.config()
        config.poll.interval = interval
        return Controller(
            config: config, store: fixture.store, metrics: ControllerMetrics(factory: fixture.metrics),
            logger: ReconcileFixture.logger, environment: ReconcileFixture.variables, connector: fixture.connector)
    }

    /// How many reconciles of prod came to `outcome`.
    func reconciles(_ fixture: ReconcileFixture, _ outcome: String) throws -> Int {
        guard
            let counter = try? fixture.metrics.expectCounter(
                "lakegate_reconciles_total", [("product", "customer-360"), ("target", "prod"), ("outcome", outcome)])
        else { return 0 }
        return Int(counter.totalValue)
    }

    func prod(_ controller: Controller) async throws -> ProductStatus {
        try #require(await controller.status().first { $0.target == "prod" })
    }

    @Test("not before retryAt; a webhook or a new ref ends the wait")
    func waitsUntilRetryAtUnlessTheRepositoryChanges() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"])
        try fixture.release("v1.0.0")
        let controller = try controller(fixture, interval: .seconds(3600))
        await controller.pollOnce()
        let waiting = try await prod(controller)
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        let retryAt = try #require(waiting.retryAt.flatMap(ISO8601DateFormatter().date(from:)))
        #expect(retryAt > Date().addingTimeInterval(3000))
        #expect(try reconciles(fixture, "waiting") == 1)

        await controller.pollOnce()
        #expect(try reconciles(fixture, "waiting") == 1, "looked at again before retryAt with nothing new")
        #expect(try await prod(controller) == waiting, "the waiting status is kept")

        await controller.pollOnce(onlyRepository: fixture.scratch.path("product.git"))
        #expect(try reconciles(fixture, "waiting") == 2, "a webhook for the repository ends the wait")

        try fixture.approve("alice", "v1.0.0")
        await controller.pollOnce()
        let applied = try await prod(controller)
        #expect(applied.outcome == .applied, "\(applied.message)")
        #expect(try reconciles(fixture, "waiting") == 2)
    }

    @Test("looked at again once retryAt has passed")
    func reconsideredAfterRetryAt() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"])
        try fixture.release("v1.0.0")
        let controller = try controller(fixture, interval: .seconds(1))
        await controller.pollOnce()
        let waiting = try await prod(controller)
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        let retryAt = try #require(waiting.retryAt.flatMap(ISO8601DateFormatter().date(from:)))
        // The status keeps whole seconds: wait past the recorded second.
        try await Task.sleep(for: .seconds(max(0, retryAt.timeIntervalSinceNow) + 1.1))
        await controller.pollOnce()
        #expect(try reconciles(fixture, "waiting") == 2)
        #expect(try await prod(controller).outcome == .waiting)
    }
}
