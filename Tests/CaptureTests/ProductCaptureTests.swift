import Capture
import Descriptors
import Foundation
import LakegateCore
import Planner
import TestSupport
import Testing

@Suite("Capture: live state into product files")
struct ProductCaptureTests {
    /// The customer-360 example, its dev rendering, and a live snapshot that matches it.
    struct Fixture {
        let product: Product
        let desired: DesiredState
        var live: LiveSnapshot

        init(root: URL = Paths.example("customer-360")) throws {
            product = try ProductLoader.load(DirectoryFileSource(root: root))
            desired = try product.render(target: "dev")
            var resources: [String: LiveResource] = [:]
            for resource in desired.resources {
                resources[resource.key] = LiveResource(
                    kind: resource.kind, key: resource.key, name: resource.name, id: resource.name,
                    fields: resource.fields, ownedMarker: true)
            }
            live = LiveSnapshot(resources: resources)
        }

        mutating func edit(_ key: String, _ path: [String], _ change: (JSONValue?) -> JSONValue?) {
            var resource = live.resources[key]!
            let fields = JSONValue.object(resource.fields)
            var value = fields
            // Walk down by keys, columns and text instructions addressed by name or id.
            func set(_ node: JSONValue?, _ rest: ArraySlice<String>) -> JSONValue? {
                guard let step = rest.first else { return change(node) }
                if var items = node?.arrayValue {
                    let index = items.firstIndex { $0["name"]?.stringValue == step || $0["id"]?.stringValue == step }!
                    items[index] = set(items[index], rest.dropFirst()) ?? .null
                    return .array(items)
                }
                var members = node?.objectValue ?? [:]
                members[step] = set(members[step], rest.dropFirst())
                return .object(members)
            }
            value = set(value, path[...]) ?? .object([:])
            resource.fields = value.objectValue ?? [:]
            live.resources[key] = resource
        }

        func capture() throws -> CaptureResult {
            var capture = ProductCapture(product: product, target: "dev", desired: desired, live: live)
            return try capture.run()
        }

        func text(_ result: CaptureResult, _ path: String) -> String? {
            result.edits.first { $0.path == path }.map { String(decoding: $0.after, as: UTF8.self) }
        }
    }

    @Test func aLiveWorkspaceThatMatchesGivesNoEdits() throws {
        let result = try Fixture().capture()
        #expect(result.edits.isEmpty)
        #expect(result.notCaptured.isEmpty)
    }

    @Test func columnsCommentsGrantsAndGenieInstructionsAreCapturedAndTheRestIsKept() throws {
        var fixture = try Fixture()
        fixture.edit("tables.customers", ["columns"]) { columns in
            .array(
                columns!.arrayValue! + [
                    ["name": "loyalty_tier", "type_text": "string", "nullable": false, "comment": "Tier"]
                ])
        }
        fixture.edit("tables.interactions", ["columns", "channel", "comment"]) { _ in "Contact channel." }
        fixture.edit("tables.customers", ["grants"]) { grants in
            .array(grants!.arrayValue! + [["principal": "marketing", "privileges": ["SELECT"]]])
        }
        fixture.edit("schemas.crm", ["comment"]) { _ in "Customer master data" }
        fixture.edit("catalogs.c360", ["grants"]) { grants in
            .array(grants!.arrayValue!.filter { $0["principal"] != "crm_engineers" })
        }
        fixture.edit(
            "genie_spaces.customer_insights",
            ["serialized_space", "instructions", "text_instructions", "2c3d4e5f60718293a4b5c6d7e8f90a1b", "content"]
        ) { _ in ["Amounts are in EUR."] }
        let result = try fixture.capture()
        #expect(
            result.edits.map(\.path) == [
                "contracts/customers.odcs.yaml", "contracts/interactions.odcs.yaml", "dataproduct.yaml",
                "genie/customer_insights.geniespace.json", "resources/storage.yml",
            ])

        let customers = try #require(fixture.text(result, "contracts/customers.odcs.yaml"))
        #expect(
            customers.contains(
                "        classification: internal\n      - name: loyalty_tier\n        description: Tier\n"
                    + "        physicalType: STRING\n        required: true\n  - name: customer_addresses\n"))
        // Business metadata the workspace does not hold is still there.
        for kept in [
            "quality:", "mustBeGreaterThan: 0", "purpose: One golden record", "slaProperties:", "firstLevelApprovers",
        ] {
            #expect(customers.contains(kept))
        }
        let interactions = try #require(fixture.text(result, "contracts/interactions.odcs.yaml"))
        #expect(interactions.contains("        description: Contact channel.\n        logicalType: string\n"))

        let dataProduct = try #require(fixture.text(result, "dataproduct.yaml"))
        #expect(dataProduct.contains("\n# The product: identity"))
        #expect(
            dataProduct.contains("    - principal: marketing\n      privileges: [SELECT]\n      tables: [customers]\n"))

        let storage = try #require(fixture.text(result, "resources/storage.yml"))
        #expect(storage.contains("      comment: Customer master data\n"))
        #expect(storage.contains("        - principal: ${var.steward_group}\n"), "the reference still resolves")
        #expect(!storage.contains("principal: crm_engineers\n          privileges: [USE_CATALOG]"))

        let genie = try #require(fixture.text(result, "genie/customer_insights.geniespace.json"))
        #expect(
            genie.contains("{\"id\": \"2c3d4e5f60718293a4b5c6d7e8f90a1b\", \"content\": [\"Amounts are in EUR.\"]}"))
        #expect(genie.contains("\"${var.catalog}.crm.customers\""))
        // Descriptions stay derived from the contracts, also where capture just changed the contract: the space
        // gets the new text at the next apply, and the note says so.
        #expect(genie.contains("{\"identifier\": \"${var.catalog}.crm.customer_addresses\"},"))
        #expect(genie.contains("{\"identifier\": \"${var.catalog}.engagement.interactions\"}\n"), "\(genie)")
        #expect(!genie.contains("column_configs"))
        #expect(
            result.notes.contains(
                "genie space customer_insights: column interactions.channel description kept from the contract; "
                    + "Genie still shows the previous text until the next apply"), "\(result.notes)")

        let remaining = try result.remainingChanges(
            product: fixture.product, target: "dev", live: fixture.live, inventory: [])
        #expect(remaining.isEmpty, "\(remaining)")
    }

    @Test func whatTheFilesCannotExpressIsReportedNotDropped() throws {
        var fixture = try Fixture()
        fixture.edit("catalogs.c360", ["tags", "cost"]) { _ in "high" }
        fixture.edit("tables.customers", ["columns", "email", "mask"]) { _ in
            ["function_name": "c360_dev.crm.unknown_mask"]
        }
        let result = try fixture.capture()
        #expect(result.notCaptured.contains { $0.hasPrefix("catalogs.c360: tags other than the ownership markers") })
        #expect(
            result.notCaptured.contains { $0.contains("customers.email: mask function 'c360_dev.crm.unknown_mask'") })
        let remaining = try result.remainingChanges(
            product: fixture.product, target: "dev", live: fixture.live, inventory: [])
        #expect(remaining.contains { $0.hasSuffix("catalogs.c360: tags.cost") }, "\(remaining)")
    }

    @Test func columnTagsMasksAndBusinessTermsMoveInTheirFilesAndADroppedRowFilterIsReported() throws {
        var fixture = try Fixture()
        fixture.edit("tables.customers", ["columns", "status", "tags"]) { tags in
            .object(
                (tags?.objectValue ?? [:]).merging(["business_term": "Customer segment", "retention": "10y"]) { $1 })
        }
        fixture.edit("tables.customers", ["columns", "phone", "mask"]) { _ in nil }
        fixture.edit("tables.customers", ["columns", "segment", "mask"]) { _ in
            ["function_name": "c360_dev.crm.mask_pii_string"]
        }
        fixture.edit("tables.interactions", ["row_filter"]) { _ in nil }
        let result = try fixture.capture()
        let customers = try #require(fixture.text(result, "contracts/customers.odcs.yaml"))
        #expect(customers.contains("            mustBe: 0\n        tags: [retention:10y]\n      - name: created_at\n"))
        let dataProduct = try #require(fixture.text(result, "dataproduct.yaml"))
        #expect(!dataProduct.contains("        - customers.phone\n"))
        #expect(dataProduct.contains("        - interactions.notes\n        - customers.segment\n"))
        #expect(dataProduct.contains("    columns: [customers.segment, customers.status]\n"))
        #expect(dataProduct.contains("  rowFilters:\n    - function: interactions_by_region\n"), "kept")
        #expect(result.notCaptured.contains { $0.hasPrefix("tables.interactions: the row filter was dropped") })
        let remaining = try result.remainingChanges(
            product: fixture.product, target: "dev", live: fixture.live, inventory: [])
        #expect(remaining == ["<= tables.interactions: row_filter"], "adopted: the fixture has no inventory")
    }
}
