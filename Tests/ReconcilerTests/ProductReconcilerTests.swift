import Databricks
import Foundation
import LakegateCore
import Store
import Testing

@testable import Reconciler

/// Every outcome of one reconcile of customer-360 in `dev` (which follows main): a scratch repository, a temp
/// store and the emulator in this process.
@Suite("ProductReconciler outcomes")
struct ProductReconcilerTests {
    @Test("applied, then noChange: audited and deployed once, nothing written the second time")
    func appliedThenNoChange() async throws {
        let fixture = try await ReconcileFixture()
        let head = try fixture.git("rev-parse", "HEAD")
        let first = try await fixture.reconciler("dev").reconcile()
        #expect(first.outcome == .applied, "\(first.message)")
        #expect(first.message.hasPrefix("applied: Plan: "), "\(first.message)")
        #expect(first.desiredCommit == head && first.deployedCommit == head)
        #expect(try fixture.deployment("dev")?.commit == head)
        #expect(try fixture.audit("dev").map(\.outcome) == ["applied"])
        let writes = try await fixture.writes()
        #expect(writes > 0)

        let second = try await fixture.reconciler("dev").reconcile()
        #expect(second.outcome == .noChange, "\(second.message)")
        #expect(second.message == "in sync with \(head.prefix(7))")
        #expect(second.drift == 0 && second.retryAt == nil)
        #expect(try await fixture.writes() == writes)
        #expect(try fixture.audit("dev").count == 1, "the same revision in sync is not audited again")
    }

    @Test("drift with self-heal off: reported as noChange with a count, not reverted, not audited")
    func driftIsReportedWithSelfHealOff() async throws {
        let fixture = try await ReconcileFixture()
        #expect(try await fixture.reconciler("dev").reconcile().outcome == .applied)
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/catalogs/c360_dev", body: ["comment": "edited in the workspace"])
        let writes = try await fixture.writes()

        let status = try await fixture.reconciler("dev").reconcile()
        #expect(status.outcome == .noChange, "\(status.message)")
        #expect(status.drift == 1)
        #expect(
            status.message
                == "drift: 1 owned resource(s) differ in fields the revision did not change (catalogs.c360: comment); "
                + "self-heal is off, reported only")
        #expect(try await fixture.writes() == writes, "drift is not reverted where self-heal is off")
        #expect(try fixture.audit("dev").count == 1)

        // With self-heal on, the same drift is reverted.
        let healing = try await ReconcileFixture(environments: ["dev": "sync: {selfHeal: true}"])
        #expect(try await healing.reconciler("dev").reconcile().outcome == .applied)
        try await healing.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/catalogs/c360_dev", body: ["comment": "edited in the workspace"])
        let healed = try await healing.reconciler("dev").reconcile()
        #expect(healed.outcome == .applied, "\(healed.message)")
        #expect(healed.message.contains("1 to update"), "\(healed.message)")
    }

    @Test("prune off: what left the desired state is kept and reported, nothing is deleted", arguments: [false, true])
    func pruneRule(prune: Bool) async throws {
        let fixture = try await ReconcileFixture(environments: ["dev": "sync: {prune: \(prune)}"])
        #expect(try await fixture.reconciler("dev").reconcile().outcome == .applied)
        let writes = try await fixture.writes()
        try fixture.edit(
            "resources/workloads.yml",
            replacing: """
                  genie_spaces:
                    customer_insights:
                      title: Customer 360 insights (${bundle.target})
                      description: Ask about customers, their addresses and their interactions.
                      warehouse_id: ${var.warehouse_id}
                      file_path: ../genie/customer_insights.geniespace.json

                """, with: "")
        try fixture.commit("Drop the Genie space")
        let status = try await fixture.reconciler("dev").reconcile()
        if prune {
            #expect(status.outcome == .applied, "\(status.message)")
            #expect(status.message.contains("1 to delete"), "\(status.message)")
            #expect(try await fixture.writes() > writes)
        } else {
            #expect(status.outcome == .noChange, "\(status.message)")
            #expect(status.message.hasPrefix("in sync with "), "\(status.message)")
            #expect(try await fixture.writes() == writes)
            #expect(try fixture.audit("dev").map(\.outcome) == ["applied", "noChange"], "a new revision is audited")
        }
    }

    @Test("waiting/hold: nothing read, planned or written; looked at again at the next pass")
    func holdWaits() async throws {
        let fixture = try await ReconcileFixture()
        try fixture.store.placeHold(
            Hold(target: "dev", product: "customer-360", reason: "freeze", who: "ops", createdAt: Date()))
        let now = Date()
        let status = try await fixture.reconciler("dev").reconcile(now: now)
        #expect(status.outcome == .waiting)
        #expect(status.message == "held by ops: freeze")
        #expect(status.retryAt == ISO8601DateFormatter().string(from: now.addingTimeInterval(1)))
        #expect(try await fixture.writes() == 0)
        #expect(try fixture.audit("dev").map(\.outcome) == ["hold"], "only the hold itself is audited")
        #expect(try fixture.deployment("dev") == nil)

        try fixture.store.removeHold(target: "dev", product: "customer-360", by: "ops")
        let released = try await fixture.reconciler("dev").reconcile()
        #expect(released.outcome == .applied, "\(released.message)")
        #expect(try fixture.audit("dev").map(\.outcome) == ["hold", "unhold", "applied"])
    }

    @Test("waiting/manual sync: the plan is shown, nothing is applied")
    func manualSyncWaits() async throws {
        let fixture = try await ReconcileFixture(environments: ["dev": "sync: {mode: manual}"])
        let status = try await fixture.reconciler("dev").reconcile()
        #expect(status.outcome == .waiting)
        #expect(status.message.hasPrefix("manual sync: Plan: "), "\(status.message)")
        #expect(status.retryAt != nil)
        #expect(try await fixture.writes() == 0)
        #expect(try fixture.audit("dev").isEmpty && fixture.deployment("dev") == nil)
    }

    @Test("stalled/invalid files: the error names file, line and column; audited once per cause; nothing written")
    func invalidFilesStall() async throws {
        let fixture = try await ReconcileFixture()
        try fixture.edit("dataproduct.yaml", replacing: "id: customer-360", with: "id: [customer-360")
        try fixture.commit("Broken")
        let status = try await fixture.reconciler("dev").reconcile()
        #expect(status.outcome == .stalled)
        #expect(status.message.hasPrefix("invalid product files: "), "\(status.message)")
        #expect(status.message.contains("dataproduct.yaml:"), "\(status.message)")
        #expect(try await fixture.writes() == 0)
        let again = try await fixture.reconciler("dev").reconcile()
        #expect(again.outcome == .stalled && again.message == status.message)
        let audit = try fixture.audit("dev")
        #expect(audit.map(\.outcome) == ["stalled"], "recorded once per cause")
        #expect(audit.first?.message == status.message)
        #expect(try fixture.deployment("dev") == nil)
    }

    @Test("stalled/plan refused: a column type change is refused, audited, and nothing is written")
    func refusedPlanStalls() async throws {
        let fixture = try await ReconcileFixture()
        #expect(try await fixture.reconciler("dev").reconcile().outcome == .applied)
        let deployed = try fixture.deployment("dev")
        let writes = try await fixture.writes()
        try fixture.edit(
            "contracts/customers.odcs.yaml", replacing: "physicalType: STRING\n        primaryKey: true",
            with: "physicalType: BIGINT\n        primaryKey: true")
        try fixture.commit("Retype the key")
        let status = try await fixture.reconciler("dev").reconcile()
        #expect(status.outcome == .stalled, "\(status.message)")
        #expect(status.message.hasPrefix("plan refused: "), "\(status.message)")
        #expect(status.deployedCommit == deployed?.commit, "the deployed revision stays")
        #expect(try await fixture.writes() == writes)
        #expect(try fixture.audit("dev").map(\.outcome) == ["applied", "stalled"])
    }

    @Test("failed/workspace error: a failed apply is audited with its actions, not deployed")
    func failedApply() async throws {
        let fixture = try await ReconcileFixture()
        var config = try fixture.reconciler("dev").databricks
        config.values["warehouse_id"] = "0000000000000000"
        let status = try await fixture.reconciler("dev", databricks: config).reconcile()
        #expect(status.outcome == .failed)
        #expect(status.message.contains("Apply failed: "), "\(status.message)")
        #expect(status.deployedCommit == nil)
        let audit = try fixture.audit("dev")
        #expect(audit.map(\.outcome) == ["failed"])
        #expect(audit.first?.actions.contains { $0.result.hasPrefix("failed") } == true)
        #expect(try fixture.deployment("dev") == nil)
    }

    @Test("an unreadable state store fails the reconcile instead of ignoring holds")
    func unreadableStoreFails() async throws {
        let fixture = try await ReconcileFixture()
        try fixture.store.database.execute("DROP TABLE holds")
        let status = try await fixture.reconciler("dev").reconcile()
        #expect(status.outcome == .failed)
        #expect(status.message.hasPrefix("reading the state store: "), "\(status.message)")
        #expect(try await fixture.writes() == 0)
    }
}
