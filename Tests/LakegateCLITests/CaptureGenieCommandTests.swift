import Databricks
import Foundation
import LakegateCore
import TestSupport
import Testing

/// Lifecycle steps 3 to 8 for Genie on the emulator: business metadata written in the contracts keeps reaching
/// the Genie space after a capture, a Genie-file override wins, and a space built in dev is captured.
@Suite("lakegate capture: Genie spaces against the emulator")
struct CaptureGenieCommandTests {
    typealias Setup = CaptureCommandTests.Setup

    /// The serialized space of the Genie space titled `title`.
    static func space(_ setup: Setup, _ title: String) async throws -> (id: String, etag: JSONValue, space: JSONValue) {
        let id = try #require(
            try await setup.client.listGenieSpaces().first { $0["title"]?.stringValue == title }?["space_id"]?
                .stringValue)
        let info = try await setup.client.getGenieSpace(id)
        return (
            id, info["etag"] ?? .null, try JSONValue(parsing: try #require(info["serialized_space"]?.stringValue))
        )
    }

    /// The `column_configs` entry of `column` in table `table` of a serialized space.
    static func column(_ space: JSONValue, _ table: String, _ column: String) -> JSONValue? {
        let entry = space["data_sources"]?["tables"]?.arrayValue?.first { $0["identifier"]?.stringValue == table }
        return entry?["column_configs"]?.arrayValue?.first { $0["column_name"]?.stringValue == column }
    }

    @Test func contractDescriptionsKeepReachingGenieAfterACaptureAndAGenieOverrideWins() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let title = "Customer 360 insights (dev)"
        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")

        // In Genie, an analyst rewrites one column description.
        let (id, etag, space) = try await Self.space(setup, title)
        var tables = try #require(space["data_sources"]?["tables"]?.arrayValue)
        let index = try #require(tables.firstIndex { $0["identifier"] == "c360_dev.crm.customers" })
        let configs = try #require(tables[index]["column_configs"]?.arrayValue).map { config -> JSONValue in
            guard config["column_name"] == "segment", var members = config.objectValue else { return config }
            members["description"] = ["Ask marketing before using it."]
            return .object(members)
        }
        var table = try #require(tables[index].objectValue)
        table["column_configs"] = .array(configs)
        tables[index] = .object(table)
        var edited = try #require(space.objectValue)
        edited["data_sources"] = ["tables": .array(tables)]
        _ = try await setup.client.updateGenieSpace(
            id, ["serialized_space": .string(JSONValue.object(edited).canonicalJSON), "etag": etag])

        let captured = try setup.run([
            "capture", "--target", "dev", "--commit", "-m", "Capture the Genie override", "-m", "Asked by marketing.",
        ])
        #expect(captured.status == 0, "\(captured.stdout)\n\(captured.stderr)")
        #expect(
            captured.stderr.contains(
                "note: genie space customer_insights: column customers.segment description changed in Genie: recorded "
                    + "in genie/customer_insights.geniespace.json (it overrides the contract's)"), "\(captured.stderr)")
        let genie = try setup.file("genie/customer_insights.geniespace.json")
        #expect(
            genie.contains(
                #"{"identifier": "${var.catalog}.crm.customers", "column_configs": [{"column_name": "segment", "description": ["Ask marketing before using it."]}]}"#
            ), "only the override is in the file: \(genie)")
        // Repeated -m are paragraphs, as git joins them.
        #expect(
            try setup.git(["log", "-1", "--format=%B"]) == "Capture the Genie override\n\nAsked by marketing.\n\n")
        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")

        // Step 5: the steward rewrites two descriptions in the contract; push, plan, apply.
        let contract = setup.product + "/contracts/customers.odcs.yaml"
        try String(contentsOfFile: contract, encoding: .utf8)
            .replacingOccurrences(
                of: "description: active, dormant or closed.", with: "description: Lifecycle state of the customer."
            )
            .replacingOccurrences(
                of: "description: Marketing segment (premium or standard), recomputed nightly.",
                with: "description: Marketing segment."
            )
            .write(toFile: contract, atomically: true, encoding: .utf8)
        try setup.git(["commit", "-q", "-am", "Describe status and segment"])
        let plan = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.stdout)")
        #expect(plan.stdout.contains("~ genie space genie_spaces.customer_insights"), "\(plan.stdout)")
        let apply = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let after = try await Self.space(setup, title).space
        #expect(
            Self.column(after, "c360_dev.crm.customers", "status")?["description"] == [
                "Lifecycle state of the customer."
            ])
        #expect(
            Self.column(after, "c360_dev.crm.customers", "segment")?["description"] == [
                "Ask marketing before using it."
            ], "the Genie file's override wins")
        let again = try setup.run(["capture", "--target", "dev"])
        #expect(again.status == 0 && again.stdout == "No changes to capture.\n", "\(again.stdout)\n\(again.stderr)")
    }

    @Test func aGenieSpaceBuiltInDevIsCapturedAndAdoptedAndOneOutsideTheProductIsReported() async throws {
        let setup = try Setup()
        defer { setup.stop() }
        let applied = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        for (title, tables) in [
            ("Churn questions (dev)", ["c360_dev.crm.customers"]),
            ("Finance and customers", ["c360_dev.crm.customers", "finance.gl.entries"]),
        ] {
            let serialized: JSONValue = [
                "version": 2,
                "data_sources": [
                    "tables": .array(
                        tables.map { table in
                            [
                                "identifier": .string(table),
                                "column_configs": [["column_name": "segment", "description": ["Churn risk band."]]],
                            ]
                        })
                ],
                "instructions": ["text_instructions": [["id": "c1", "content": ["Churn means status closed."]]]],
            ]
            _ = try await setup.client.createGenieSpace([
                "title": .string(title), "warehouse_id": .string(CaptureCommandTests.warehouse),
                "serialized_space": .string(serialized.canonicalJSON),
            ])
        }

        let captured = try setup.run(["capture", "--target", "dev", "--commit", "-m", "Capture the churn space"])
        #expect(captured.status == 2, "a space not captured is reported: \(captured.stdout)\n\(captured.stderr)")
        #expect(captured.stdout.contains("--- /dev/null\n+++ b/genie/churn_questions.geniespace.json\n"))
        #expect(
            captured.stderr.contains(
                "not captured: genie space 'Finance and customers' (id "), "\(captured.stderr)")
        #expect(
            captured.stderr.contains(
                "also names tables outside the product's catalogs and schemas (finance.gl.entries)"))
        let genie = try JSONValue(parsing: Data(try setup.file("genie/churn_questions.geniespace.json").utf8))
        #expect(genie["data_sources"]?["tables"]?.arrayValue?.first?["identifier"] == "${var.catalog}.crm.customers")
        #expect(
            try setup.file("resources/workloads.yml").contains(
                "    churn_questions:\n      title: Churn questions (${bundle.target})\n"))
        #expect(try setup.git(["status", "--porcelain"]).isEmpty)

        let adopt = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(adopt.status == 2, "\(adopt.stdout)")
        #expect(adopt.stdout.contains("genie_spaces.churn_questions (Churn questions (dev)) will be adopted"))
        #expect(adopt.stdout.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 to adopt"), "\(adopt.stdout)")
        let apply = try setup.run(["apply", "--target", "dev", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        // Adopted with what the contracts give: the status description, next to the space's own segment text.
        let space = try await Self.space(setup, "Churn questions (dev)").space
        #expect(
            Self.column(space, "c360_dev.crm.customers", "status")?["description"] == ["active, dormant or closed."])
        #expect(Self.column(space, "c360_dev.crm.customers", "segment")?["description"] == ["Churn risk band."])
        let clean = try setup.run(["plan", "--target", "dev", "--detailed-exitcode"])
        #expect(clean.status == 0, "\(clean.stdout)")
        let again = try setup.run(["capture", "--target", "dev"])
        #expect(again.status == 2)
        #expect(again.stdout == "No changes to capture.\n", "\(again.stdout)")
    }
}
