import Foundation
import LakegateCore
import TestSupport
import Testing

@Suite("lakegate policy check and contract diff")
struct PolicyCheckCommandTests {
    static let lakegate = Paths.executable("lakegate").path
    static let policies = Paths.example("policies").path

    @Test func customer360PassesTheProdSet() throws {
        let run = try ProcessRunner.run(
            Self.lakegate,
            [
                "policy", "check", "--target", "qa", "--target", "prod", Paths.example("customer-360").path,
                "--policies", Self.policies,
            ])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("target prod: PASSED"))
        #expect(run.stdout.contains("target qa: PASSED"))
    }

    @Test func policyViolationsFailTheProdSetWithTheExpectedMessages() throws {
        let product = Paths.example("invalid/policy-violations").path
        let run = try ProcessRunner.run(
            Self.lakegate,
            ["policy", "check", "--target", "prod", product, "--policies", Self.policies, "--output", "json"])
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        let report = try JSONValue(parsing: run.stdout)
        let target = try #require(report["targets"]?.arrayValue?.first)
        #expect(target["passed"] == false)
        let blocking = (target["results"]?.arrayValue ?? []).filter { $0["blocking"] == true }
        let found = Set(blocking.map { "\($0["policy"]?.stringValue ?? "") \($0["subject"]?.stringValue ?? "")" })
        let expected: Set<String> = [
            "access.pii-columns-masked contracts/customers.odcs.yaml",
            "access.no-account-users-grants tables.interactions",
            "regulation.dora-resilience policy-violations",
            "architecture.delta-share policy-violations",
            "metadata.business-names contracts/interactions.odcs.yaml",
        ]
        #expect(found == expected)
        let messages = Set(blocking.compactMap { $0["message"]?.stringValue })
        #expect(messages.contains("a column tagged pii has no column mask in dataproduct.yaml access.columnMasks"))
        #expect(messages.contains("a privilege is granted to 'account users'"))
        #expect(messages.contains { $0.hasPrefix("DORA criticality is missing") })
        #expect(messages.contains("the product publishes no Delta Share"))
        #expect(messages.contains("fewer than 70% of the columns of a table have a business name"))
    }

    @Test func sarifOutputIsAMinimalValidLog() throws {
        let product = Paths.example("invalid/policy-violations").path
        let run = try ProcessRunner.run(
            Self.lakegate,
            ["policy", "check", "--target", "prod", product, "--policies", Self.policies, "--output", "sarif"])
        #expect(run.status == 3)
        let log = try JSONValue(parsing: run.stdout)
        #expect(log["version"] == "2.1.0")
        let results = try #require(log["runs"]?.arrayValue?.first?["results"]?.arrayValue)
        #expect(results.count >= 5)
        #expect(results.allSatisfy { $0["ruleId"]?.stringValue != nil && $0["message"]?["text"] != nil })
    }

    @Test func againstAPreviousReleaseDetectsBreakingContracts() throws {
        let scratch = try TemporaryDirectory(prefix: "lakegate-against")
        defer { scratch.remove() }
        let current = scratch.url.appendingPathComponent("current")
        try FileManager.default.copyItem(at: Paths.example("customer-360"), to: current)
        let contract = current.appendingPathComponent("contracts/interactions.odcs.yaml")
        var text = try String(contentsOf: contract, encoding: .utf8)
        text = text.replacingOccurrences(of: "classification: internal", with: "classification: public")
        try text.write(to: contract, atomically: true, encoding: .utf8)
        let run = try ProcessRunner.run(
            Self.lakegate,
            [
                "policy", "check", "--target", "prod", current.path, "--policies", Self.policies, "--against",
                Paths.example("customer-360").path,
            ])
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("contract.no-breaking-changes"))
        #expect(run.stdout.contains("classification-loosened"))
        #expect(run.stdout.contains("contract.version-bumped"))
    }

    @Test func badPolicyFilesExitOneWithPositions() throws {
        let scratch = try TemporaryDirectory(prefix: "lakegate-bad-policy")
        defer { scratch.remove() }
        try Data(
            "id: x\nversion: \"1\"\nstatus: enabled\nscope: dataproduct\nseverity: error\nexpression: \"dp.id ==\"\nmessage: m\n"
                .utf8
        )
        .write(to: scratch.url.appendingPathComponent("x.yaml"))
        let run = try ProcessRunner.run(
            Self.lakegate, ["policy", "check", Paths.example("customer-360").path, "--policies", scratch.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("x.yaml:6:"))
        #expect(run.stderr.contains("CEL:"))
    }

    @Test func contractDiffExitCodes() throws {
        let contract = Paths.example("customer-360").appendingPathComponent("contracts/customers.odcs.yaml").path
        let same = try ProcessRunner.run(Self.lakegate, ["contract", "diff", contract, contract])
        #expect(same.status == 0)
        #expect(same.stdout.contains("not breaking for the consumer"))
        let other = Paths.example("customer-360").appendingPathComponent("contracts/interactions.odcs.yaml").path
        let different = try ProcessRunner.run(Self.lakegate, ["contract", "diff", contract, other, "--output", "json"])
        #expect(different.status == 3)
        #expect(try JSONValue(parsing: different.stdout)["breaking"] == true)
        let missing = try ProcessRunner.run(Self.lakegate, ["contract", "diff", contract, "/nonexistent.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent.yaml"))
    }
}
