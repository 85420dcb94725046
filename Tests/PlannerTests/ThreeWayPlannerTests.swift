import LakegateCore
import Planner
import Testing

/// Three-way plans on hand-written cases: what is kept, what is reported, and what the messages say.
@Suite("Three-way plans")
struct ThreeWayPlannerTests {
    static let table = Fixtures.table

    static func plan(
        desired: Resource = table, live liveFields: [String: JSONValue], last: [String: JSONValue]?,
        selfHeal: Bool = false
    ) throws -> Plan {
        let live = LiveSnapshot(resources: [desired.key: Fixtures.live(desired, fields: liveFields)])
        var records: [String: JSONValue] = [:]
        if let last { records[desired.key] = .object(Normalizer.normalize(last, kind: desired.kind)) }
        return try Planner(rules: PlanRules(selfHeal: selfHeal)).plan(
            desired: DesiredState(product: Fixtures.product, target: Fixtures.target, resources: [desired]),
            live: live, inventory: [Fixtures.inventory(desired)], lastApplied: records)
    }

    /// The table's fields with a column added (or changed) in the workspace.
    static func withColumn(_ column: JSONValue, in fields: [String: JSONValue] = table.fields) -> [String: JSONValue] {
        var copy = fields
        copy["columns"] = .array((fields["columns"]?.arrayValue ?? []) + [column])
        return copy
    }

    @Test("a column made in the workspace is retained and said to be so, not 'dropped from the contract'")
    func columnMadeInTheWorkspace() throws {
        let live = Self.withColumn(["name": "region", "type_text": "string", "nullable": true])
        for last in [nil, Self.table.fields] {
            for selfHeal in [false, true] {
                let plan = try Self.plan(live: live, last: last, selfHeal: selfHeal)
                let retained = try #require(plan.actions.first { $0.key == "tables.customers.columns.region" })
                #expect(retained.type == .retain)
                #expect(
                    retained.reason?.hasPrefix(
                        "column region exists in the workspace but not in the contract: retained")
                        == true, "\(retained.reason ?? "")")
            }
        }
    }

    @Test("a column the contract dropped after it was applied is said to be dropped from the contract")
    func columnDroppedFromTheContract() throws {
        let applied = Self.withColumn(["name": "region", "type_text": "string", "nullable": true])
        let plan = try Self.plan(live: applied, last: applied)
        let retained = try #require(plan.actions.first { $0.key == "tables.customers.columns.region" })
        #expect(
            retained.reason?.hasPrefix(
                "column region was dropped from the contract and still exists in the workspace: retained") == true,
            "\(retained.reason ?? "")")
    }

    @Test("self-heal off: a column comment and a grant made in the workspace stay and are reported as drift")
    func liveChangesStayAsDrift() throws {
        var live = Self.table.fields
        var columns = live["columns"]?.arrayValue ?? []
        columns[2] = ["name": "lifetime_value", "type_text": "decimal(10,2)", "nullable": true, "comment": "dev note"]
        live["columns"] = .array(columns)
        live["grants"] = [
            ["principal": "analysts", "privileges": ["SELECT"]], ["principal": "dev_team", "privileges": ["MODIFY"]],
        ]
        let plan = try Self.plan(live: live, last: Self.table.fields)
        #expect(!plan.hasChanges, "\(plan.actions)")
        #expect(plan.drift.map(\.key) == ["tables.customers"])
        #expect(
            Set(plan.drift.first?.changes.map(\.field) ?? [])
                == ["columns.lifetime_value.comment", "grants.dev_team"])
        let text = PlanRenderer(colors: false).render(plan)
        #expect(text.contains("Drift kept (self-heal is off"), "\(text)")
        #expect(
            text.contains(
                "columns.lifetime_value.comment = \"dev note\" in the workspace, (none) in the desired state: kept"),
            "\(text)")
        #expect(plan.jsonValue["drift"]?.arrayValue?.count == 1)
        #expect(PlanRenderer(colors: false).document(plan)["drift"]?.arrayValue?.count == 1)

        // A new revision changing another column's comment changes only that.
        let desired = Fixtures.with(Self.table) { fields in
            var columns = fields["columns"]?.arrayValue ?? []
            columns[0] = ["name": "customer_id", "type_text": "bigint", "nullable": false, "comment": "New key text"]
            fields["columns"] = .array(columns)
        }
        let next = try Self.plan(desired: desired, live: live, last: Self.table.fields)
        let update = try #require(next.actions.first { $0.type == .update })
        #expect(update.changes.map(\.field) == ["columns.customer_id.comment"], "\(update.changes)")
        #expect(update.operations.count == 1, "\(update.operations)")
        #expect(next.lastApplied["tables.customers"] == .object(Normalizer.normalize(desired.fields, kind: .table)))

        // With self-heal on, the same plan reverts both.
        let healing = try Self.plan(desired: desired, live: live, last: Self.table.fields, selfHeal: true)
        let fields = Set(healing.actions.flatMap(\.changes).map(\.field))
        #expect(
            fields.isSuperset(of: ["columns.lifetime_value.comment", "grants.dev_team", "columns.customer_id.comment"]))
        #expect(healing.drift.isEmpty)
    }

    @Test("without a last-applied record the plan is two-way once and says so")
    func noRecordIsTwoWayOnce() throws {
        let live = Fixtures.with(Self.table) { $0["comment"] = "edited in the workspace" }.fields
        let plan = try Self.plan(live: live, last: nil)
        #expect(plan.actions.first?.type == .update)
        #expect(
            plan.warnings.contains { $0.hasPrefix("no last-applied record for tables.customers") }, "\(plan.warnings)")
        #expect(plan.lastApplied.keys.sorted() == ["tables.customers"])
        // Self-heal on: two-way is the rule, nothing to warn about.
        #expect(try Self.plan(live: live, last: nil, selfHeal: true).warnings.isEmpty)
    }

    @Test("a replace that is retained records nothing; a resource in sync records its desired fields once")
    func whatIsRecorded() throws {
        let renamed = Fixtures.with(Self.table) { $0["table_type"] = "EXTERNAL" }
        let retained = try Self.plan(desired: renamed, live: Self.table.fields, last: Self.table.fields)
        #expect(retained.actions.first?.type == .retain)
        #expect(retained.lastApplied.isEmpty)
        let inSync = try Self.plan(live: Self.table.fields, last: nil)
        #expect(!inSync.hasChanges && inSync.lastApplied.keys.sorted() == ["tables.customers"])
        let recorded = try Self.plan(live: Self.table.fields, last: Self.table.fields)
        #expect(recorded.lastApplied.isEmpty, "an unchanged record is not written again")
    }
}
