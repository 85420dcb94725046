import Foundation
import LakegateCore
import Testing

@testable import Reconciler

/// `lakegate reconcile` (`POST /api/v1/reconcile`): an operator's request reconciles a product now and is the
/// go-ahead an environment with `sync.mode: manual` waits for.
@Suite struct SyncRequestTests {
    static func status(_ controller: Controller, _ target: String) async throws -> ProductStatus {
        try #require(await controller.status().first { $0.target == target })
    }

    @Test("manual sync waits on its own and applies when an operator asks")
    func aRequestAppliesWhereSyncIsManual() async throws {
        let fixture = try await ReconcileFixture(
            environments: ["dev": "sync: {mode: manual}"], productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        let waiting = try await Self.status(controller, "dev")
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        #expect(waiting.message.contains("manual sync"), "\(waiting.message)")
        #expect(try await fixture.writes() == 0)

        let request = Task { try await controller.requestSync(product: "customer-360", target: "dev") }
        while await controller.pendingSyncRequests == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await controller.pollOnce()
        let answered = try await request.value
        #expect(answered.outcome == .applied, "\(answered.message)")
        #expect(try await fixture.writes() > 0)
        #expect(await controller.pendingSyncRequests == 0)

        // The request was used up: the next change waits for the operator again.
        try fixture.breakContract()
        await controller.pollOnce()
        #expect(try await Self.status(controller, "dev").outcome == .waiting)
    }

    @Test("a request reads a product in sync in full: drift no check has seen yet is found at once")
    func aRequestReadsAProductInSyncInFull() async throws {
        // driftInterval 10m (the default): between checks a product in sync is not read.
        let fixture = try await ReconcileFixture(productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await controller.pollOnce()
        #expect(try await Self.status(controller, "dev").outcome == .applied)
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/schemas/c360_dev.crm", body: ["comment": "changed by hand"])
        await controller.pollOnce()
        #expect(try await Self.status(controller, "dev").outcome == .noChange, "not read: the drift is not seen")

        let request = Task { try await controller.requestSync(product: "customer-360", target: "dev") }
        while await controller.pendingSyncRequests == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await controller.pollOnce()
        let answered = try await request.value
        // dev follows a branch, so self-heal is off: the change is found and reported (a skipped read would say
        // "in sync" with drift 0).
        #expect(answered.outcome == .noChange && answered.drift == 1, "\(answered.outcome): \(answered.message)")
        #expect(answered.message.hasPrefix("drift: 1 owned resource(s) differ"), "\(answered.message)")
    }

    @Test("an unknown product or environment is refused at once")
    func unknownNamesAreRefused() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["dev"])
        let controller = try fixture.controller()
        await #expect(throws: ControllerError.self) {
            try await controller.requestSync(product: "nope", target: "dev")
        }
        await #expect(throws: ControllerError.self) {
            try await controller.requestSync(product: "customer-360", target: "prod")
        }
        #expect(await controller.pendingSyncRequests == 0)
    }

    @Test("a controller that stops answers waiting and later requests with a failure, never leaving them hanging")
    func aStoppingControllerAnswersEveryRequest() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["dev"])
        let controller = try fixture.controller()
        let waiting = Task { try await controller.requestSync(product: "customer-360", target: "dev") }
        while await controller.pendingSyncRequests == 0 { try await Task.sleep(for: .milliseconds(10)) }
        await controller.run(until: { true })  // one pass, then the loop ends at once
        let answered = try await waiting.value
        #expect(answered.outcome == .applied, "\(answered.message)")
        let late = try await controller.requestSync(product: "customer-360", target: "dev")
        #expect(late.outcome == .failed && late.message.contains("controller is stopping"), "\(late.message)")
        #expect(await controller.pendingSyncRequests == 0)
    }
}
