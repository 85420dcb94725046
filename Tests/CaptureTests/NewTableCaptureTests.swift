import Capture
import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("Capture: tables built in the workspace without the product")
struct NewTableCaptureTests {
    typealias Fixture = ProductCaptureTests.Fixture

    /// A table as the live reader canonicalizes it: lower-case types, no ownership markers.
    static func table(_ full: String, comment: String, grants: JSONValue = []) -> LiveResource {
        let parts = full.split(separator: ".").map(String.init)
        let columns: JSONValue = [
            ["name": "account_id", "type_text": "bigint", "nullable": false, "comment": "Loyalty account"],
            [
                "name": "email", "type_text": "string", "nullable": true, "comment": "Contact e-mail",
                "mask": ["function_name": .string("\(parts[0]).crm.mask_pii_string"), "using_column_names": []],
            ],
            ["name": "points", "type_text": "decimal(12,2)", "nullable": true, "comment": "Points balance"],
        ]
        return LiveResource(
            kind: .table, key: "tables.\(parts[2])", name: full, id: full,
            fields: [
                "name": .string(parts[2]), "catalog_name": .string(parts[0]), "schema_name": .string(parts[1]),
                "table_type": "MANAGED", "comment": .string(comment), "tags": ["domain": "crm"],
                "columns": columns, "grants": grants,
            ],
            ownedMarker: false)
    }

    @Test func aNewTableJoinsTheContractOfItsSchemaAndItsMaskAndOnlyTheAdoptionRemains() throws {
        var fixture = try Fixture()
        fixture.live.unclaimedTables = [
            Self.table(
                "c360_dev.crm.loyalty_accounts", comment: "Loyalty programme accounts",
                grants: [["principal": "marketing", "privileges": ["SELECT"]]]),
            // A quality monitor's output in the same schema is not a product table.
            Self.table("c360_dev.crm.customers_profile_metrics", comment: "metrics"),
        ]
        let result = try fixture.capture()
        #expect(result.edits.map(\.path) == ["contracts/customers.odcs.yaml", "dataproduct.yaml"])
        let customers = try #require(fixture.text(result, "contracts/customers.odcs.yaml"))
        #expect(
            customers.contains(
                """
                  - name: loyalty_accounts
                    description: Loyalty programme accounts
                    physicalType: table
                    tags: [domain:crm]
                    properties:
                      - name: account_id
                        description: Loyalty account
                        physicalType: BIGINT
                        required: true
                      - name: email
                        description: Contact e-mail
                        physicalType: STRING
                      - name: points
                        description: Points balance
                        physicalType: DECIMAL(12,2)
                slaProperties:
                """), "\(customers)")
        #expect(!customers.contains("customers_profile_metrics"))
        #expect(
            result.notes == [
                "tables.loyalty_accounts: output port 'customers' publishes it, so its share will include "
                    + "c360_dev.crm.loyalty_accounts after apply"
            ])
        let dataProduct = try #require(fixture.text(result, "dataproduct.yaml"))
        #expect(dataProduct.contains("        - interactions.notes\n        - loyalty_accounts.email\n"))
        #expect(
            result.notCaptured == [
                "tables.loyalty_accounts: marketing holds SELECT on c360_dev.crm.loyalty_accounts; grants of a newly "
                    + "captured table come from access.grants, and applying revokes these"
            ])

        // Planned against the same workspace, the new table is adopted (markers, the product's grants), nothing else.
        let remaining = try result.remainingChanges(
            product: fixture.product, target: "dev", live: fixture.live, inventory: [])
        #expect(remaining.isEmpty, "\(remaining)")
        let edited = try result.rendered(fixture.product, target: "dev")
        let table = try #require(edited.resource(forKey: "tables.loyalty_accounts"))
        #expect(table.name == "c360_dev.crm.loyalty_accounts")
        #expect(table.fields["columns"]?.arrayValue?[1]["mask"]?["function_name"] == "c360_dev.crm.mask_pii_string")
    }

    @Test func aTableInASchemaNoPortPublishesGetsANewContractAndPort() throws {
        let directory = try TemporaryDirectory(prefix: "lakegate-capture-new-contract")
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("customer-360")
        try FileManager.default.copyItem(at: Paths.example("customer-360"), to: root)
        let storage = root.appendingPathComponent("resources/storage.yml")
        let text = try String(contentsOf: storage, encoding: .utf8).replacingOccurrences(
            of: "  schemas:\n",
            with: "  schemas:\n    staging:\n      catalog_name: ${resources.catalogs.c360.name}\n      name: staging\n"
        )
        try text.write(to: storage, atomically: true, encoding: .utf8)
        var fixture = try Fixture(root: root)
        fixture.live.unclaimedTables = [Self.table("c360_dev.staging.raw_loyalty", comment: "Raw loyalty extract")]

        let result = try fixture.capture()
        #expect(result.edits.map(\.path) == ["contracts/staging.odcs.yaml", "dataproduct.yaml"])
        #expect(result.edits.first?.before == nil, "a new file")
        let contract = try #require(fixture.text(result, "contracts/staging.odcs.yaml"))
        #expect(
            contract.hasPrefix(
                """
                apiVersion: v3.1.0
                kind: DataContract
                id: urn:lakegate:crm:customer-360:staging
                name: staging
                version: 0.1.0
                status: draft
                """))
        #expect(contract.contains("schema:\n  - name: raw_loyalty\n    description: Raw loyalty extract\n"))
        let dataProduct = try #require(fixture.text(result, "dataproduct.yaml"))
        #expect(
            dataProduct.contains(
                "    schema: engagement\n  - name: staging\n    description: Tables of c360_dev.staging, captured from the workspace.\n"
                    + "    contract: urn:lakegate:crm:customer-360:staging\n    schema: staging\n\naccess:\n"),
            "the blank line before access: stays after the new port")
        #expect(result.notes.contains { $0.hasPrefix("contracts/staging.odcs.yaml: a new contract") })
        let remaining = try result.remainingChanges(
            product: fixture.product, target: "dev", live: fixture.live, inventory: [])
        #expect(remaining.isEmpty, "\(remaining)")
    }
}
