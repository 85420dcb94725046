import Descriptors
import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("Genie descriptions from the contracts")
struct GenieContractMetadataTests {
    static let genieFile = "genie/customer_insights.geniespace.json"

    /// customer-360 whose Genie file configures two columns of `customers`: `segment` with its own description and
    /// a Genie-only setting, `email` with an explicitly empty description.
    static func product() throws -> TemporaryDirectory {
        let directory = try ProductFixture.copy(example: "customer-360")
        let path = directory.url.appendingPathComponent(genieFile)
        let text = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(
            of: #"{"identifier": "${var.catalog}.crm.customers"}"#,
            with: #"""
                {"identifier": "${var.catalog}.crm.customers", "column_configs": [
                  {"column_name": "segment", "description": ["Premium or standard; ask marketing."], "get_example_values": true},
                  {"column_name": "email", "description": []}
                ]}
                """#)
        try Data(text.utf8).write(to: path)
        return directory
    }

    static func columns(_ directory: URL) throws -> [String: JSONValue] {
        let state = try ProductLoader.load(DirectoryFileSource(root: directory)).render(target: "dev")
        let space = try #require(state.resource(forKey: "genie_spaces.customer_insights"))
        let table = try #require(
            space.fields["serialized_space"]?["data_sources"]?["tables"]?.arrayValue?.first {
                $0["identifier"] == "c360_dev.crm.customers"
            })
        #expect(table["description"] == ["One row per customer (golden record)."])
        var result: [String: JSONValue] = [:]
        for config in table["column_configs"]?.arrayValue ?? [] { result[config["column_name"]!.stringValue!] = config }
        return result
    }

    @Test func whatTheFileSaysWinsKeyByKeyAndEverythingElseComesFromTheContract() throws {
        let directory = try Self.product()
        defer { directory.remove() }
        let columns = try Self.columns(directory.url)
        #expect(
            columns["segment"]
                == [
                    "column_name": "segment", "description": ["Premium or standard; ask marketing."],
                    "get_example_values": true, "synonyms": ["Customer segment"],
                ])
        #expect(columns["email"] == ["column_name": "email", "description": [], "synonyms": ["E-mail address"]])
        #expect(
            columns["status"]
                == [
                    "column_name": "status", "description": ["active, dormant or closed."],
                    "synonyms": ["Customer status"],
                ])
        #expect(columns.count == 8, "every described column of the contract: \(columns.keys.sorted())")
    }

    /// Lifecycle steps 5 and 8: a description written into the contract later still reaches Genie, also for a
    /// table the Genie file configures.
    @Test func aLaterContractEditReachesGenieUnlessTheFileOverridesIt() throws {
        let directory = try Self.product()
        defer { directory.remove() }
        let contract = directory.url.appendingPathComponent("contracts/customers.odcs.yaml")
        let text = try String(contentsOf: contract, encoding: .utf8)
            .replacingOccurrences(of: "description: active, dormant or closed.", with: "description: Lifecycle state.")
            .replacingOccurrences(
                of: "description: Marketing segment (premium or standard), recomputed nightly.",
                with: "description: Marketing segment.")
        try Data(text.utf8).write(to: contract)
        let columns = try Self.columns(directory.url)
        #expect(columns["status"]?["description"] == ["Lifecycle state."])
        #expect(columns["segment"]?["description"] == ["Premium or standard; ask marketing."], "the file's override")
    }
}
