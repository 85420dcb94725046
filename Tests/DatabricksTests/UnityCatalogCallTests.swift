import Databricks
import Foundation
import LakegateCore
import Testing

@Suite struct UnityCatalogCallTests {
    @Test func catalogsAndSchemasRoundTrip() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        guard
            case .created(let created) = try await client.createCatalog(["name": "Sales", "comment": "c"])
        else {
            Issue.record("catalog not created")
            return
        }
        #expect(created["name"]?.stringValue == "sales")
        await #expect(throws: DatabricksError.self) {
            try await client.createCatalog(["name": "sales"])
        }
        do {
            _ = try await client.createCatalog(["name": "sales"])
        } catch let error as DatabricksError {
            // A first-attempt conflict is a plain error, not an adoptable retry outcome.
            #expect(error.kind == .alreadyExists)
            #expect(error.status == 409)
            #expect(error.attempts == 1)
        }
        try await client.updateCatalog("sales", ["comment": "new", "properties": ["a": "1"]])
        let catalog = try await client.getCatalog("sales")
        #expect(catalog["comment"]?.stringValue == "new")
        #expect(catalog["properties"]?["a"]?.stringValue == "1")
        #expect(try await client.listCatalogs().contains { $0["name"]?.stringValue == "sales" })

        for index in 0..<12 {
            _ = try await client.createSchema(["name": .string("s\(index)"), "catalog_name": "sales"])
        }
        let schemas = try await client.listSchemas(catalog: "sales")
        let names = Set(schemas.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: (0..<12).map { "s\($0)" }))
        #expect(try await client.getSchema("sales.s3")["full_name"]?.stringValue == "sales.s3")
        try await client.updateSchema("sales.s3", ["comment": "three"])
        #expect(try await client.getSchema("sales.s3")["comment"]?.stringValue == "three")
        try await client.deleteSchema("sales.s3")
        do {
            _ = try await client.getSchema("sales.s3")
            Issue.record("deleted schema still readable")
        } catch let error as DatabricksError {
            #expect(error.kind == .notFound)
            #expect(error.path == "/api/2.1/unity-catalog/schemas/sales.s3")
        }
        try await client.deleteCatalog("sales", force: true)
        await #expect(throws: DatabricksError.self) { try await client.getCatalog("sales") }
    }

    @Test func tablesThroughSQLAndTheTablesAPI() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        _ = try await client.createCatalog(["name": "c"])
        _ = try await client.createSchema(["name": "s", "catalog_name": "c"])
        try await fx.sql(
            "CREATE TABLE c.s.orders (id BIGINT NOT NULL COMMENT 'key', amount DECIMAL(10,2), note STRING) COMMENT 'orders'"
        )
        for index in 0..<5 { try await fx.sql("CREATE TABLE c.s.t\(index) (x INT)") }
        let tables = try await client.listTables(catalog: "c", schema: "s", maxResults: 2)
        #expect(tables.count == 6)
        let orders = try await client.getTable("c.s.orders")
        #expect(orders["comment"]?.stringValue == "orders")
        #expect(orders["columns"]?.arrayValue?.first?["type_text"]?.stringValue == "bigint")
        #expect(try await client.tableExists("c.s.orders"))
        #expect(try await client.tableExists("c.s.nope") == false)
        let summaries = try await client.listTableSummaries(catalog: "c")
        #expect(summaries.contains { $0["full_name"]?.stringValue == "c.s.orders" })
        try await client.deleteTable("c.s.t0")
        #expect(try await client.tableExists("c.s.t0") == false)

        do {
            try await fx.sql("CREATE TABLE c.s.orders (id BIGINT)")
            Issue.record("duplicate CREATE TABLE succeeded")
        } catch let error as DatabricksError {
            #expect(error.kind == .sqlStatementFailed)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func volumesFunctionsGrantsAndTags() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        _ = try await client.createCatalog(["name": "c"])
        _ = try await client.createSchema(["name": "s", "catalog_name": "c"])
        _ = try await client.createVolume(
            ["catalog_name": "c", "schema_name": "s", "name": "landing", "volume_type": "MANAGED"])
        #expect(try await client.listVolumes(catalog: "c", schema: "s").count == 1)
        try await client.updateVolume("c.s.landing", ["comment": "files"])
        #expect(try await client.readVolume("c.s.landing")["comment"]?.stringValue == "files")

        try await fx.sql("CREATE FUNCTION c.s.mask_email(email STRING) RETURNS STRING RETURN 'x'")
        let functions = try await client.listFunctions(catalog: "c", schema: "s")
        #expect(functions.contains { $0["name"]?.stringValue == "mask_email" })
        #expect(
            try await client.getFunction("c.s.mask_email")["full_name"]?.stringValue == "c.s.mask_email")

        try await client.updateGrants(
            securableType: "schema", fullName: "c.s",
            changes: [["principal": "analysts", "add": ["USE_SCHEMA", "SELECT"]]])
        let grants = try await client.getGrants(securableType: "schema", fullName: "c.s")
        #expect(
            Canonical.grants(grants) == [
                ["principal": "analysts", "privileges": ["SELECT", "USE_SCHEMA"]]
            ])
        try await client.updateGrants(
            securableType: "catalog", fullName: "c",
            changes: [["principal": "analysts", "add": ["USE_CATALOG"]]])
        let effective = try await client.getEffectiveGrants(securableType: "schema", fullName: "c.s")
        #expect(!effective.isEmpty)

        _ = try await client.createTagAssignment(
            entityType: "schemas", entityName: "c.s", key: "team", value: "a")
        try await client.updateTagAssignment(
            entityType: "schemas", entityName: "c.s", key: "team", value: "b")
        #expect(
            try await client.getTagAssignment(entityType: "schemas", entityName: "c.s", key: "team")[
                "tag_value"]?
                .stringValue == "b")
        #expect(
            try await client.listTagAssignments(entityType: "schemas", entityName: "c.s").count == 1)
        try await client.deleteTagAssignment(entityType: "schemas", entityName: "c.s", key: "team")
        #expect(try await client.listTagAssignments(entityType: "schemas", entityName: "c.s").isEmpty)

        try await client.deleteVolume("c.s.landing")
        try await client.deleteFunction("c.s.mask_email")
        await #expect(throws: DatabricksError.self) { try await client.readVolume("c.s.landing") }
    }

    @Test func sharesRecipientsAndMonitors() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let client = fx.client
        _ = try await client.createCatalog(["name": "c"])
        _ = try await client.createSchema(["name": "s", "catalog_name": "c"])
        try await fx.sql("CREATE TABLE c.s.t (id BIGINT, ts TIMESTAMP)")
        _ = try await client.createRecipient(["name": "partner", "authentication_type": "TOKEN"])
        #expect(try await client.listRecipients().contains { $0["name"]?.stringValue == "partner" })
        try await client.updateRecipient("partner", ["comment": "p"])
        #expect(try await client.getRecipient("partner")["comment"]?.stringValue == "p")

        _ = try await client.createShare(["name": "sh"])
        try await client.updateShare(
            "sh",
            [
                "updates": [
                    ["action": "ADD", "data_object": ["name": "c.s.t", "data_object_type": "TABLE"]]
                ]
            ])
        let share = try await client.getShare("sh")
        #expect(share["objects"]?.arrayValue?.first?["name"]?.stringValue == "c.s.t")
        try await client.updateSharePermissions(
            "sh", changes: [["principal": "partner", "add": ["SELECT"]]])
        #expect(
            Canonical.grants(try await client.getSharePermissions("sh")) == [
                ["principal": "partner", "privileges": ["SELECT"]]
            ])
        #expect(try await client.listShares().count == 1)

        _ = try await client.createQualityMonitor(
            table: "c.s.t", ["output_schema_name": "c.s", "assets_dir": "/Shared/m", "snapshot": [:]])
        #expect(
            try await client.getQualityMonitor(table: "c.s.t")["assets_dir"]?.stringValue == "/Shared/m")
        try await client.updateQualityMonitor(
            table: "c.s.t",
            [
                "output_schema_name": "c.s", "assets_dir": "/Shared/m", "snapshot": [:],
                "schedule": ["quartz_cron_expression": "0 0 1 * * ?", "timezone_id": "UTC"],
            ])
        try await client.deleteQualityMonitor(table: "c.s.t")
        try await client.deleteShare("sh")
        try await client.deleteRecipient("partner")
        await #expect(throws: DatabricksError.self) { try await client.getShare("sh") }
    }
}
