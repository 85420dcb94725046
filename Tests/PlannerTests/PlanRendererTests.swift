import LakegateCore
import Planner
import Testing

@Suite("Plan rendering")
struct PlanRendererTests {
    func samplePlan() throws -> Plan {
        var liveTable = Fixtures.table.fields
        liveTable["comment"] = "Old"
        let legacy: JSONValue = ["name": "legacy", "type_text": "string", "nullable": true]
        liveTable["columns"] = .array(liveTable["columns"]!.arrayValue! + [legacy])
        let snapshot = LiveSnapshot(resources: [
            Fixtures.table.key: Fixtures.live(Fixtures.table, fields: liveTable),
            Fixtures.job.key: Fixtures.live(Fixtures.job),
        ])
        return try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: Fixtures.desired([Fixtures.table, Fixtures.function]), live: snapshot,
            inventory: [Fixtures.inventory(Fixtures.table), Fixtures.inventory(Fixtures.job)])
    }

    @Test func textLooksLikeTerraformPlan() throws {
        let text = PlanRenderer(colors: false).render(try samplePlan())
        #expect(text.contains("+ function functions.mask_email (c360_dev.crm.mask_email) will be created"))
        #expect(text.contains("~ table tables.customers (c360_dev.crm.customers) will be updated in place"))
        #expect(text.contains("    ~ comment: \"Old\" -> \"One row per customer\""))
        #expect(text.contains("- job jobs.nightly (c360 nightly (dev)) will be deleted"))
        #expect(text.contains("! table tables.customers.columns.legacy"))
        #expect(text.hasSuffix("Plan: 1 to create, 1 to update, 1 to delete, 1 retained.\n"))
        #expect(!text.contains("\u{1B}["))
    }

    @Test func colorsOnlyWhenAsked() throws {
        let text = PlanRenderer(colors: true).render(try samplePlan())
        #expect(text.contains("\u{1B}[32m+ function"))
    }

    @Test func noChanges() throws {
        let (snapshot, inventory) = Fixtures.synced([Fixtures.catalog])
        let plan = try Planner().plan(
            desired: Fixtures.desired([Fixtures.catalog]), live: snapshot, inventory: inventory)
        #expect(PlanRenderer(colors: false).render(plan).hasPrefix("No changes."))
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let plan = try samplePlan()
        let json = try JSONValue(parsing: plan.jsonValue.canonicalJSON)
        #expect(json["target"] == "dev")
        #expect(json["digest"]?.stringValue == plan.digest)
        #expect(
            json["summary"]
                == ["create": 1, "update": 1, "replace": 0, "delete": 1, "retain": 1, "adopt": 0])
        let actions = try #require(json["actions"]?.arrayValue)
        #expect(actions.map { $0["action"]?.stringValue ?? "" } == ["create", "update", "delete", "retain"])
        let update = actions[1]
        #expect(update["kind"] == "tables")
        #expect(update["key"] == "tables.customers")
        #expect(update["name"] == "c360_dev.crm.customers")
        #expect(update["changes"] == [["field": "comment", "before": "Old", "after": "One row per customer"]])
    }
}
