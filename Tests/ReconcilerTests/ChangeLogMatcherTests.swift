import Foundation
import LakegateCore
import Testing

@testable import Databricks
@testable import Reconciler

/// Mapping audit events to the products that own what they changed: by name, id, parent or child; reads and
/// failed requests name nothing.
@Suite("Change log → products")
struct ChangeLogMatcherTests {
    static let entries = [
        InventoryEntry(
            product: "orders", target: "prod", key: "catalogs.sales", kind: .catalog, name: "sales", liveID: "sales"),
        InventoryEntry(
            product: "orders", target: "prod", key: "tables.sales.crm.orders", kind: .table, name: "sales.crm.orders",
            liveID: "7f1c"),
        InventoryEntry(
            product: "billing", target: "prod", key: "schemas.finance.billing", kind: .schema, name: "finance.billing",
            liveID: "finance.billing"),
        InventoryEntry(
            product: "billing", target: "prod", key: "jobs.nightly", kind: .job, name: "Nightly", liveID: "1001"),
        InventoryEntry(
            product: "billing", target: "qa", key: "notebooks.n", kind: .notebook, name: "/Shared/billing/nightly",
            liveID: "1000017"),
    ]

    func event(_ action: String, _ parameters: [String: String], status: Int? = 200) -> AuditEvent {
        AuditEvent(
            id: UUID().uuidString, time: Date(), service: "unityCatalog", action: action, parameters: parameters,
            statusCode: status)
    }

    func pairs(_ events: [AuditEvent]) -> [String] {
        ChangeLogMatcher.pairs(named: ChangeLogMatcher.identifiers(events), entries: Self.entries).sorted()
    }

    @Test("an object by name, a job by id, a notebook by path; each names its own product and target only")
    func byNameAndID() {
        #expect(pairs([event("updateTables", ["full_name_arg": "sales.crm.orders"])]) == ["orders/prod"])
        #expect(pairs([event("reset", ["job_id": "1001"])]) == ["billing/prod"])
        #expect(pairs([event("import", ["path": "/Shared/billing/nightly"])]) == ["billing/qa"])
        #expect(pairs([event("updateSchema", ["full_name_arg": "other.crm"])]).isEmpty, "someone else's object")
    }

    @Test("a child of an owned object (a column tag) and a SQL command's names count too")
    func childrenAndSQL() {
        #expect(
            pairs([event("createEntityTagAssignment", ["entity_name": "finance.billing.invoices.amount"])])
                == ["billing/prod"])
        let command = AuditEvent(
            id: "1", time: Date(), service: "databrickssql", action: "commandSubmit",
            parameters: ["commandText": "ALTER TABLE `sales`.`crm`.`orders` SET TAGS ('x' = 'y')"])
        #expect(pairs([command]) == ["orders/prod"])
        #expect(
            ChangeLogMatcher.dottedNames(in: "COMMENT ON TABLE sales.crm.orders IS 'a.b c'")
                == ["sales.crm.orders"])
    }

    @Test("reads, SELECT statements and failed requests change nothing")
    func readsAreNotChanges() {
        #expect(pairs([event("getTable", ["full_name_arg": "sales.crm.orders"])]).isEmpty)
        #expect(pairs([event("listSchemas", ["catalog_name": "sales"])]).isEmpty)
        #expect(pairs([event("updateTables", ["full_name_arg": "sales.crm.orders"], status: 403)]).isEmpty)
        let select = AuditEvent(
            id: "2", time: Date(), service: "databrickssql", action: "commandSubmit",
            parameters: ["commandText": "SELECT * FROM sales.information_schema.table_tags"])
        #expect(pairs([select]).isEmpty)
    }
}
