import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("Render")
struct RenderTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    private func render(_ example: String, _ target: String) throws -> DesiredState {
        try ProductLoader.load(DirectoryFileSource(root: Paths.example(example))).render(target: target)
    }

    @Test(arguments: [
        ("customer-360", "dev"), ("customer-360", "qa"), ("customer-360", "prod"), ("orders", "dev"),
        ("orders", "prod"),
    ])
    func matchesGolden(example: String, target: String) throws {
        let rendered = try render(example, target).jsonValue.prettyJSON + "\n"
        let golden = Self.goldenDirectory.appendingPathComponent("\(example).\(target).json")
        if ProcessInfo.processInfo.environment["LAKEGATE_UPDATE_GOLDEN"] == "1" {
            try Data(rendered.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(rendered == expected, "render of \(example) for \(target) differs from \(golden.lastPathComponent)")
    }

    @Test func examplesAreValidForEveryTarget() throws {
        for example in ["customer-360", "orders"] {
            #expect(ProductLoader.validate(DirectoryFileSource(root: Paths.example(example))).isEmpty)
        }
    }

    @Test func renderingTwiceGivesTheSameBytes() throws {
        let first = try render("customer-360", "prod").jsonValue.prettyJSON
        let second = try render("customer-360", "prod").jsonValue.prettyJSON
        #expect(first == second)
    }

    @Test func reorderingYAMLKeysKeepsTheDigest() throws {
        let original = try render("customer-360", "qa")
        let copy = try ProductFixture.copy(example: "customer-360")
        defer { copy.remove() }
        // Move whole top-level sections and swap keys inside mappings.
        let dp = try ProductFixture.read(copy.url, "dataproduct.yaml")
        let sections = dp.components(separatedBy: "\n\n")
        try Data(sections.reversed().joined(separator: "\n\n").utf8)
            .write(to: copy.url.appendingPathComponent("dataproduct.yaml"))
        try ProductFixture.edit(
            copy.url, "resources/storage.yml", "      name: crm\n      comment: Curated customer master data\n",
            "      comment: Curated customer master data\n      name: crm\n")
        try ProductFixture.edit(
            copy.url, "contracts/customers.odcs.yaml",
            "        logicalType: string\n        physicalType: STRING\n        primaryKey: true\n",
            "        primaryKey: true\n        physicalType: STRING\n        logicalType: string\n")
        let reordered = try ProductLoader.load(DirectoryFileSource(root: copy.url)).render(target: "qa")
        #expect(reordered.digest == original.digest)
        #expect(reordered.jsonValue.prettyJSON == original.jsonValue.prettyJSON)
    }

    @Test func yamlOutputReadsBackAsTheSameDocument() throws {
        let state = try render("customer-360", "prod")
        let yaml = YAMLEmitter.emit(state.jsonValue)
        let parsed = try YAMLParser.parse(Data(yaml.utf8), path: "render.yaml")
        #expect(parsed.jsonValue == state.jsonValue)
        #expect(yaml.hasPrefix("digest: \"sha256:"))
    }

    @Test func targetsChangeNamesButNotKeys() throws {
        let dev = try render("customer-360", "dev")
        let prod = try render("customer-360", "prod")
        #expect(dev.resources.map(\.key) == prod.resources.map(\.key))
        #expect(dev.resource(forKey: "tables.customers")?.name == "c360_dev.crm.customers")
        #expect(prod.resource(forKey: "tables.customers")?.name == "c360_prod.crm.customers")
        #expect(dev.digest != prod.digest)
    }

    @Test func developmentModePausesSchedulesAndTagsJobs() throws {
        let dev = try #require(try render("customer-360", "dev").resource(forKey: "jobs.refresh_customer_360"))
        let prod = try #require(try render("customer-360", "prod").resource(forKey: "jobs.refresh_customer_360"))
        #expect(dev.fields["settings"]?["schedule"]?["pause_status"] == "PAUSED")
        #expect(dev.fields["settings"]?["tags"]?["dev"] == "")
        #expect(prod.fields["settings"]?["schedule"]?["pause_status"] == "UNPAUSED")
        #expect(prod.fields["settings"]?["tags"]?["dev"] == nil)
        #expect(prod.fields["settings"]?["max_concurrent_runs"] == 1)
    }

    @Test func tablesCarryContractMetadataMasksAndMarkers() throws {
        let state = try render("customer-360", "qa")
        let table = try #require(state.resource(forKey: "tables.customers"))
        #expect(table.fields["tags"]?[OwnershipMarker.productKey] == "customer-360")
        #expect(table.fields["tags"]?[OwnershipMarker.targetKey] == "qa")
        let email = try #require(table.fields["columns"]?.arrayValue?.first { $0["name"] == "email" })
        #expect(
            email
                == [
                    "name": "email", "type_text": "string", "nullable": true,
                    "comment": "Primary contact e-mail address.",
                    "tags": ["pii": "", "classification": "restricted", "business_name": "E-mail address"],
                    "mask": ["function_name": "c360_qa.crm.mask_pii_string", "using_column_names": []],
                ])
        #expect(table.dependsOn == ["functions.mask_pii_date", "functions.mask_pii_string", "schemas.crm"])
        let interactions = try #require(state.resource(forKey: "tables.interactions"))
        #expect(
            interactions.fields["row_filter"]
                == ["function_name": "c360_qa.engagement.interactions_by_region", "input_column_names": ["region"]])
        let score = interactions.fields["columns"]?.arrayValue?.first { $0["name"] == "sentiment_score" }
        #expect(score?["type_text"] == "decimal(4,3)")
    }

    @Test func sharesDependOnTablesAndRecipients() throws {
        let state = try render("customer-360", "prod")
        let share = try #require(state.resource(forKey: "shares.customers"))
        #expect(share.name == "c360_customers_prod")
        #expect(
            share.dependsOn == ["recipients.partner_insurance", "tables.customer_addresses", "tables.customers"])
        #expect(share.fields["grants"] == [["principal": "partner_insurance", "privileges": ["SELECT"]]])
        let genie = try #require(state.resource(forKey: "genie_spaces.customer_insights"))
        #expect(genie.dependsOn == ["tables.customer_addresses", "tables.customers", "tables.interactions"])
    }
}
