import Foundation
import LakegateCore
import Planner
import Store
import Sync
import Testing

@testable import Reconciler

/// `gates.bindPlan`: prod applies a release only when the plan serve computes is the one a quorum of approvals
/// recorded; a plan that changed since the approval waits, writing nothing, until the new plan is approved.
@Suite struct PlanBindingTests {
    static func status(_ controller: Controller, _ target: String) async throws -> ProductStatus {
        try #require(await controller.status().first { $0.target == target })
    }

    @Test("waiting/plan changed since approval until the new plan is approved, then applied")
    func aChangedPlanWaitsForApprovalsOfTheNewPlan() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"], prodGates: "bindPlan: true")
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        // What approve records: the plan serve would run now (every object created).
        let approved = try await controller.plan(product: "customer-360", target: "prod", release: "v1.0.0")
        #expect(approved.plan.hasChanges)
        try fixture.approve("alice", "v1.0.0", trailers: ["Approved-Plan: \(approved.plan.digest)"])

        // The workspace moves before serve runs: the catalog now exists, so the plan adopts it instead.
        try await fixture.editInWorkspace(
            "POST", "/api/2.1/unity-catalog/catalogs", body: ["name": "c360_prod", "comment": "made by hand"])
        let writes = try await fixture.writes()
        await controller.pollOnce()
        let waiting = try await Self.status(controller, "prod")
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        #expect(waiting.message.contains("plan changed since approval"), "\(waiting.message)")
        #expect(waiting.message.contains(approved.plan.digest), "\(waiting.message)")
        #expect(waiting.gates.contains { $0.name == "plan-approved" && !$0.passed })
        #expect(try await fixture.writes() == writes)
        #expect(try fixture.deployment("prod") == nil)

        // The approver approves the plan serve would run now: a re-approval by the same person counts for it.
        let current = try await controller.plan(product: "customer-360", target: "prod", release: "v1.0.0")
        #expect(current.plan.digest != approved.plan.digest)
        try fixture.approve("alice", "v1.0.0", suffix: "-2", trailers: ["Approved-Plan: \(current.plan.digest)"])
        await controller.pollOnce()
        let applied = try await Self.status(controller, "prod")
        #expect(applied.outcome == .applied, "\(applied.message)")
        #expect(applied.gates.contains { $0.name == "plan-approved" && $0.passed })
        #expect(try fixture.deployment("prod")?.release == "v1.0.0")
        let entry = try #require(try fixture.audit("prod").last)
        #expect(entry.outcome == "applied" && entry.planDigest == current.plan.digest)
        #expect(entry.approvals.map(\.tag) == ["approval/prod/v1.0.0/alice-2"])
    }

    @Test("waiting: an approval that records no plan does not count where plans are bound")
    func anApprovalWithoutAPlanDoesNotCount() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"], prodGates: "bindPlan: true")
        try fixture.release("v1.0.0")
        try fixture.approve("alice", "v1.0.0")
        let controller = try fixture.controller()
        await controller.pollOnce()
        let waiting = try await Self.status(controller, "prod")
        #expect(waiting.outcome == .waiting, "\(waiting.message)")
        #expect(waiting.message.contains("no approval records a plan"), "\(waiting.message)")
        #expect(try await fixture.writes() == 0)
    }

    @Test("applied: the approved plan is the plan serve runs")
    func theApprovedPlanApplies() async throws {
        let fixture = try await ReconcileFixture(productEnvironments: ["prod"], prodGates: "bindPlan: true")
        try fixture.release("v1.0.0")
        let controller = try fixture.controller()
        let approved = try await controller.plan(product: "customer-360", target: "prod", release: "v1.0.0")
        try fixture.approve("alice", "v1.0.0", trailers: ["Approved-Plan: \(approved.plan.digest)"])
        await controller.pollOnce()
        let applied = try await Self.status(controller, "prod")
        #expect(applied.outcome == .applied, "\(applied.message)")
        // Without bindPlan the same approval (no plan recorded) is enough: the default is unchanged.
        let unbound = try await ReconcileFixture(productEnvironments: ["prod"])
        try unbound.release("v1.0.0")
        try unbound.approve("alice", "v1.0.0")
        let other = try unbound.controller()
        await other.pollOnce()
        #expect(try await Self.status(other, "prod").outcome == .applied)
    }
}
