import Capture
import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("Capture: Genie spaces record only what the contracts do not give")
struct GenieCaptureTests {
    typealias Fixture = ProductCaptureTests.Fixture
    static let space = "genie_spaces.customer_insights"
    static let file = "genie/customer_insights.geniespace.json"

    /// Sets `key` of `column`'s config (nil removes it) of table `table` in the live space.
    static func setColumn(
        _ fixture: inout Fixture, table: String, column: String, _ key: String, to value: JSONValue?
    ) {
        var resource = fixture.live.resources[space]!
        var tables = resource.fields["serialized_space"]!["data_sources"]!["tables"]!.arrayValue!
        let index = tables.firstIndex { $0["identifier"]?.stringValue == table }!
        var entry = tables[index].objectValue!
        var configs = entry["column_configs"]?.arrayValue ?? []
        let position =
            configs.firstIndex { $0["column_name"]?.stringValue == column }
            ?? {
                configs.append(["column_name": .string(column)])
                return configs.count - 1
            }()
        var config = configs[position].objectValue!
        config[key] = value
        configs[position] = .object(config)
        entry["column_configs"] = .array(configs)
        tables[index] = .object(entry)
        var serialized = resource.fields["serialized_space"]!.objectValue!
        var sources = serialized["data_sources"]!.objectValue!
        sources["tables"] = .array(tables)
        serialized["data_sources"] = .object(sources)
        resource.fields["serialized_space"] = .object(serialized)
        fixture.live.resources[space] = resource
    }

    /// The product with `result`'s edits written, applied: a fixture whose live state is its rendering.
    static func applied(_ result: CaptureResult, to root: URL = Paths.example("customer-360")) throws -> (
        Fixture, TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory(copying: root, prefix: "lakegate-genie-capture")
        for edit in result.edits {
            try edit.after.write(to: directory.url.appendingPathComponent(edit.path))
        }
        return (try Fixture(root: directory.url), directory)
    }

    static func remaining(_ result: CaptureResult, _ fixture: Fixture) throws -> [String] {
        try result.remainingChanges(product: fixture.product, target: "dev", live: fixture.live, inventory: [])
    }

    @Test func aDescriptionEditedInGenieIsRecordedAloneAndGoesWhenItIsTheContractsAgain() throws {
        var fixture = try Fixture()
        Self.setColumn(
            &fixture, table: "c360_dev.crm.customers", column: "segment", "description", to: ["Ask marketing."])
        let result = try fixture.capture()
        #expect(result.edits.map(\.path) == [Self.file])
        let genie = try #require(fixture.text(result, Self.file))
        #expect(
            genie.contains(
                #"{"identifier": "${var.catalog}.crm.customers", "column_configs": [{"column_name": "segment", "description": ["Ask marketing."]}]}"#
            ), "\(genie)")
        #expect(!genie.contains("Customer segment"), "synonyms the contract gives stay out of the file")
        #expect(
            result.notes == [
                "genie space customer_insights: column customers.segment description changed in Genie: recorded in "
                    + "\(Self.file) (it overrides the contract's)"
            ])
        #expect(try Self.remaining(result, fixture).isEmpty)

        // Applied: the override stays, nothing more to capture.
        var (deployed, directory) = try Self.applied(result)
        defer { directory.remove() }
        let again = try deployed.capture()
        #expect(again.edits.isEmpty && again.notes.isEmpty, "\(again.edits.map(\.path)) \(again.notes)")

        // Set back to the contract's text in Genie: the file no longer says anything about the column.
        Self.setColumn(
            &deployed, table: "c360_dev.crm.customers", column: "segment", "description",
            to: ["Marketing segment (premium or standard), recomputed nightly."])
        let back = try deployed.capture()
        let reverted = try #require(deployed.text(back, Self.file))
        #expect(reverted.contains(#"{"identifier": "${var.catalog}.crm.customers"}"#), "\(reverted)")
        #expect(
            back.notes == [
                "genie space customer_insights: column customers.segment description is the contract's: removed "
                    + "from \(Self.file), it is derived again"
            ])
        #expect(try Self.remaining(back, deployed).isEmpty)
    }

    @Test func aDescriptionRemovedInGenieIsRecordedAsEmpty() throws {
        var fixture = try Fixture()
        Self.setColumn(&fixture, table: "c360_dev.crm.customers", column: "email", "description", to: nil)
        let result = try fixture.capture()
        let genie = try #require(fixture.text(result, Self.file))
        #expect(genie.contains(#""column_configs": [{"column_name": "email", "description": []}]}"#), "\(genie)")
        #expect(result.notes.first?.contains("column customers.email description removed in Genie") == true)
        #expect(try Self.remaining(result, fixture).isEmpty)
    }

    /// A file written by an older capture holds every description: those equal to the contract's leave it.
    @Test func valuesEqualToTheContractsLeaveTheFile() throws {
        let directory = try TemporaryDirectory(copying: Paths.example("customer-360"), prefix: "lakegate-genie-frozen")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent(Self.file)
        try Data(
            try String(contentsOf: path, encoding: .utf8).replacingOccurrences(
                of: #"{"identifier": "${var.catalog}.crm.customers"}"#,
                with:
                    #"{"identifier": "${var.catalog}.crm.customers", "column_configs": [{"column_name": "status", "description": ["active, dormant or closed."]}, {"column_name": "segment", "description": ["Ask marketing."], "synonyms": ["Customer segment"]}]}"#
            ).utf8
        ).write(to: path)
        let fixture = try Fixture(root: directory.url)
        let result = try fixture.capture()
        let genie = try #require(fixture.text(result, Self.file))
        #expect(
            genie.contains(#""column_configs": [{"column_name": "segment", "description": ["Ask marketing."]}]"#),
            "\(genie)")
        #expect(result.notes.count == 2, "\(result.notes)")
        #expect(result.notes.contains { $0.contains("column customers.status description is the contract's") })
        #expect(result.notes.contains { $0.contains("column customers.segment synonyms is the contract's") })
        #expect(try Self.remaining(result, fixture).isEmpty)
    }

    /// A space built in dev on the product's tables becomes a file and a bundle resource; one that also names
    /// another catalog's table is reported.
    @Test func aGenieSpaceBuiltInDevIsCapturedAndOneOutsideTheProductIsReported() throws {
        var fixture = try Fixture()
        let warehouse = try #require(fixture.desired.resource(forKey: Self.space)?.fields["warehouse_id"])
        let serialized: JSONValue = [
            "version": 2,
            "data_sources": [
                "tables": [
                    [
                        "identifier": "c360_dev.crm.customers",
                        "description": ["One row per customer (golden record)."],
                        "column_configs": [
                            ["column_name": "status", "description": ["active, dormant or closed."]],
                            ["column_name": "segment", "description": ["Churn risk segment."]],
                        ],
                    ]
                ]
            ],
            "instructions": ["text_instructions": [["id": "a1", "content": ["Churn means closed."]]]],
        ]
        fixture.live.unclaimedGenieSpaces = [
            LiveResource(
                kind: .genieSpace, key: "01f0churn", name: "Churn questions (dev)", id: "01f0churn",
                fields: ["title": "Churn questions (dev)", "warehouse_id": warehouse, "serialized_space": serialized],
                ownedMarker: false),
            LiveResource(
                kind: .genieSpace, key: "01f0mixed", name: "Mixed", id: "01f0mixed",
                fields: [
                    "title": "Mixed", "warehouse_id": warehouse,
                    "serialized_space": [
                        "version": 2,
                        "data_sources": [
                            "tables": [["identifier": "c360_dev.crm.customers"], ["identifier": "finance.gl.entries"]]
                        ],
                    ],
                ], ownedMarker: false),
        ]
        // A second space with the title of the declared one: titles identify spaces, so it is not captured.
        fixture.live.unclaimedGenieSpaces.append(
            LiveResource(
                kind: .genieSpace, key: "01f0twin", name: "Customer 360 insights (dev)", id: "01f0twin",
                fields: [
                    "title": "Customer 360 insights (dev)", "warehouse_id": warehouse, "serialized_space": serialized,
                ],
                ownedMarker: false))
        let result = try fixture.capture()
        #expect(result.edits.map(\.path) == ["genie/churn_questions.geniespace.json", "resources/workloads.yml"])
        let edit = try #require(result.edits.first)
        #expect(edit.before == nil)
        let genie = try JSONValue(parsing: edit.after)
        #expect(
            genie["data_sources"] == [
                "tables": [
                    [
                        "identifier": "${var.catalog}.crm.customers",
                        "column_configs": [["column_name": "segment", "description": ["Churn risk segment."]]],
                    ]
                ]
            ])
        #expect(genie["instructions"] == serialized["instructions"])
        let workloads = try #require(fixture.text(result, "resources/workloads.yml"))
        #expect(
            workloads.contains(
                "    churn_questions:\n      title: Churn questions (${bundle.target})\n"
                    + "      file_path: ../genie/churn_questions.geniespace.json\n      warehouse_id: ${var.warehouse_id}\n"
            ),
            "\(workloads)")
        #expect(result.newGenieSpaces == ["01f0churn": "genie_spaces.churn_questions"])
        #expect(
            result.notCaptured == [
                "genie space 'Mixed' (id 01f0mixed) is new in the workspace and also names tables outside the "
                    + "product's catalogs and schemas (finance.gl.entries): not captured; declare it by hand if it is the product's",
                "genie space 'Customer 360 insights (dev)' (id 01f0twin) is new in the workspace, but "
                    + "genie_spaces.customer_insights has the same title (titles identify spaces): not captured; "
                    + "rename one of them",
            ])
        let remaining = try Self.remaining(result, fixture)
        #expect(remaining.isEmpty, "\(remaining)")
        let edited = try result.rendered(fixture.product, target: "prod")
        #expect(edited.resource(forKey: "genie_spaces.churn_questions")?.name == "Churn questions (prod)")
    }
}

extension GenieCaptureTests {
    /// A space declared inline in the bundle: the same rules, written into its `serialized_space`.
    @Test func anInlineSpaceRecordsOnlyTheOverrideToo() throws {
        let directory = try TemporaryDirectory(copying: Paths.example("customer-360"), prefix: "lakegate-genie-inline")
        defer { directory.remove() }
        let workloads = directory.url.appendingPathComponent("resources/workloads.yml")
        try Data(
            try String(contentsOf: workloads, encoding: .utf8).replacingOccurrences(
                of: "      file_path: ../genie/customer_insights.geniespace.json\n",
                with: "      serialized_space:\n        version: 2\n        data_sources:\n          tables:\n"
                    + "            - identifier: ${var.catalog}.crm.customers\n"
            ).utf8
        ).write(to: workloads)
        var fixture = try Fixture(root: directory.url)
        #expect(try fixture.capture().edits.isEmpty)
        Self.setColumn(
            &fixture, table: "c360_dev.crm.customers", column: "segment", "description", to: ["Ask marketing."])
        let result = try fixture.capture()
        #expect(result.edits.map(\.path) == ["resources/workloads.yml"])
        let text = try #require(fixture.text(result, "resources/workloads.yml"))
        #expect(
            text.contains(
                "            - identifier: ${var.catalog}.crm.customers\n              column_configs:\n"
                    + "                - description: [Ask marketing.]\n                  column_name: segment\n"),
            "\(text)")
        #expect(!text.contains("Customer segment"))
        #expect(try Self.remaining(result, fixture).isEmpty)
    }
}
