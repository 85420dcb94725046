import LakegateCore
import Planner
import Testing

@testable import Sync

/// What one carried-out plan writes to and removes from the last-applied records.
@Suite struct LastAppliedUpdateTests {
    static func action(_ type: PlanActionType, _ key: String) -> PlanAction {
        PlanAction(type: type, kind: .table, key: key, name: "main.s.\(key)")
    }

    static func result(_ action: PlanAction, _ status: ActionResult.Status) -> ActionResult {
        ActionResult(
            type: action.type, kind: action.kind, key: action.key, name: action.name, status: status, operations: 1,
            adoptedExisting: false)
    }

    @Test func onlySucceededOrUntouchedResourcesAreRecordedAndDeletedOrForgottenOnesRemoved() {
        let (updated, failed, skipped, deleted, failedDelete) = (
            Self.action(.update, "tables.a"), Self.action(.create, "tables.b"), Self.action(.update, "tables.c"),
            Self.action(.delete, "tables.d"), Self.action(.delete, "tables.e")
        )
        var plan = Plan(
            product: "p", target: "dev",
            actions: [updated, failed, skipped, deleted, failedDelete, Self.action(.retain, "tables.f")],
            forget: ["tables.gone"])
        plan.lastApplied = [
            "tables.a": ["comment": "a"], "tables.b": ["comment": "b"], "tables.c": ["comment": "c"],
            "tables.f": ["comment": "f"], "tables.in_sync": ["comment": "s"],
        ]
        let report = ApplyReport(results: [
            Self.result(updated, .succeeded), Self.result(failed, .failed("boom")),
            Self.result(skipped, .skipped(because: "tables.b")), Self.result(deleted, .succeeded),
            Self.result(failedDelete, .failed("403")),
        ])
        let update = LastAppliedUpdate(plan: plan, report: report)
        #expect(update.record.keys.sorted() == ["tables.a", "tables.f", "tables.in_sync"])
        #expect(update.remove == ["tables.d", "tables.gone"])

        // Nothing applied (a plan with no changes): only the resources without an action are recorded.
        let unapplied = LastAppliedUpdate(plan: plan, report: nil)
        #expect(unapplied.record.keys.sorted() == ["tables.f", "tables.in_sync"])
        #expect(unapplied.remove == ["tables.gone"])
    }
}
