import Databricks
import Foundation
import LakegateCore
import Store
import TestSupport
import Testing

@testable import Reconciler

/// Issue 19's scenario: in dev, with self-heal off, a column comment and a grant made in the workspace survive a
/// push that does not touch them (a README edit, then a contract change elsewhere) and are reported as drift;
/// with self-heal on the same push reverts them.
@Suite("Three-way reconciles (self-heal off)")
struct ThreeWayReconcileTests {
    static let table = "c360_dev.crm.customers"

    /// A column comment the contract does not have, and a grant it does not give, made in the workspace.
    static func developInWorkspace(_ fixture: ReconcileFixture) async throws {
        try await fixture.editInWorkspace(
            "POST", "/api/2.0/sql/statements",
            body: [
                "warehouse_id": .string(InProcessEmulator.warehouseID),
                "statement": .string("ALTER TABLE \(table) ALTER COLUMN birth_date COMMENT 'dev: used for age bands'"),
            ])
        try await fixture.editInWorkspace(
            "PATCH", "/api/2.1/unity-catalog/permissions/table/\(table)",
            body: ["changes": [["principal": "dev_team", "add": ["MODIFY"]]]])
    }

    /// A README-only commit on main: a new revision that changes nothing in the workspace.
    static func pushReadme(_ fixture: ReconcileFixture) throws {
        try "# Customer 360\n\nThe golden customer record.\n".write(
            toFile: fixture.team + "/README.md", atomically: true, encoding: .utf8)
        try fixture.commit("Docs: a README")
    }

    /// The live comment of `column` and the live privileges of `principal` on the table.
    static func live(_ fixture: ReconcileFixture, column: String = "birth_date", principal: String = "dev_team")
        async throws -> (comment: String?, privileges: [String])
    {
        let client = try fixture.emulator.client()
        let table = try await client.call("GET", "/api/2.1/unity-catalog/tables/\(Self.table)")
        let comment = table["columns"]?.arrayValue?.first { $0["name"]?.stringValue == column }?["comment"]?
            .stringValue
        let grants = try await client.call("GET", "/api/2.1/unity-catalog/permissions/table/\(Self.table)")
        let entry = grants["privilege_assignments"]?.arrayValue?.first { $0["principal"]?.stringValue == principal }
        return (comment, (entry?["privileges"]?.arrayValue ?? []).compactMap(\.stringValue).sorted())
    }

    @Test("self-heal off: a README push keeps the dev column comment and grant, reports and audits them as drift")
    func devChangesSurviveAPush() async throws {
        let fixture = try await ReconcileFixture()
        #expect(try await fixture.reconciler("dev").reconcile().outcome == .applied)
        #expect(try !fixture.store.lastApplied(product: "customer-360", target: "dev").isEmpty, "recorded")
        try await Self.developInWorkspace(fixture)

        // The same revision: reported, nothing written.
        let writes = try await fixture.writes()
        let same = try await fixture.reconciler("dev").reconcile()
        #expect(same.outcome == .noChange && same.drift == 1, "\(same.message)")
        #expect(same.message.contains("columns.birth_date.comment") && same.message.contains("grants.dev_team"))
        #expect(try await fixture.writes() == writes)

        // A README edit: a new revision, nothing of it touches the table.
        try Self.pushReadme(fixture)
        let head = try fixture.git("rev-parse", "HEAD")
        let pushed = try await fixture.reconciler("dev").reconcile()
        #expect(pushed.outcome == .noChange, "\(pushed.message)")
        #expect(pushed.drift == 1)
        #expect(
            pushed.message.hasPrefix("in sync with \(head.prefix(7)); drift: 1 owned resource(s) differ"),
            "\(pushed.message)")
        #expect(pushed.message.contains("columns.birth_date.comment"), "\(pushed.message)")
        #expect(try await fixture.writes() == writes, "nothing reverted")
        let kept = try await Self.live(fixture)
        #expect(kept.comment == "dev: used for age bands" && kept.privileges == ["MODIFY"])
        // The revision is deployed and audited, the drift in the entry's message; the console's plan shows it.
        #expect(try fixture.deployment("dev")?.commit == head)
        let entry = try #require(try fixture.audit("dev").last)
        #expect(entry.outcome == "noChange" && entry.commit == head)
        #expect(entry.message?.contains("grants.dev_team") == true, "\(entry.message ?? "")")
        let keptPlan = try #require(try fixture.store.lastPlan(product: "customer-360", target: "dev"))
        #expect(keptPlan.document.contains("Drift kept"), "\(keptPlan.document.prefix(400))")

        // A contract change elsewhere in the same table: applied, and the dev changes still stay.
        try fixture.edit(
            "contracts/customers.odcs.yaml", replacing: "description: active, dormant or closed.",
            with: "description: active, dormant, closed or suspended.")
        try fixture.commit("Status values")
        let changed = try await fixture.reconciler("dev").reconcile()
        #expect(changed.outcome == .applied, "\(changed.message)")
        #expect(changed.message.contains("Kept: drift"), "\(changed.message)")
        let after = try await Self.live(fixture)
        #expect(after.comment == "dev: used for age bands" && after.privileges == ["MODIFY"])
        let status = try await Self.live(fixture, column: "status")
        #expect(status.comment == "active, dormant, closed or suspended.")
    }

    @Test("self-heal on: the same push reverts the dev column comment and grant")
    func selfHealRevertsThem() async throws {
        let fixture = try await ReconcileFixture(environments: ["dev": "sync: {selfHeal: true}"])
        #expect(try await fixture.reconciler("dev").reconcile().outcome == .applied)
        try await Self.developInWorkspace(fixture)
        try Self.pushReadme(fixture)
        let pushed = try await fixture.reconciler("dev").reconcile()
        #expect(pushed.outcome == .applied, "\(pushed.message)")
        let reverted = try await Self.live(fixture)
        #expect((reverted.comment ?? "").isEmpty && reverted.privileges.isEmpty, "\(reverted)")
    }
}
