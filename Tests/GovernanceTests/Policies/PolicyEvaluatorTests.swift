import Foundation
import LakegateCore
import Testing

@testable import Governance

@Suite("PolicyEvaluator")
struct PolicyEvaluatorTests {
    static func policy(
        _ id: String, scope: PolicyScope, status: PolicyStatus = .enabled, severity: String = "error",
        _ expression: String
    ) throws -> Policy {
        let text = """
            id: \(id)
            version: "1"
            status: \(status.rawValue)
            scope: \(scope.rawValue)
            severity: \(severity)
            expression: '\(expression.replacingOccurrences(of: "'", with: "''"))'
            message: \(id) failed
            """
        return try PolicyLoader.parse(Data(text.utf8), path: "\(id).yaml")
    }

    static let contract: JSONValue = [
        "id": "c1", "version": "1.0.0",
        "schema": [["name": "t", "properties": [["name": "a", "businessName": "A"], ["name": "b"]]]],
    ]

    static func inputs(
        target: String = "prod", previous: PolicyTargetInputs.PreviousRelease? = nil, contract: JSONValue = contract
    )
        -> PolicyTargetInputs
    {
        let resources = [
            Resource(kind: .catalog, key: "catalogs.c", name: "c", fields: ["grants": []]),
            Resource(
                kind: .table, key: "tables.t", name: "c.s.t",
                fields: ["grants": [["principal": "account users", "privileges": ["SELECT"]]]]),
        ]
        return PolicyTargetInputs(
            productID: "p1", target: target, env: ["name": .string(target), "mode": "production"],
            dataProduct: ["id": "p1", "outputPorts": [["name": "o1", "contract": "c1"], ["name": "o2"]]],
            contracts: [.init(path: "contracts/c1.yaml", json: contract)],
            state: DesiredState(product: "p1", target: target, resources: resources), previous: previous)
    }

    @Test func scopesDecideHowOftenAndOnWhat() throws {
        let policies = try [
            Self.policy("dp", scope: .dataproduct, #"dp.id == "p1" && env.name == "prod" && resource == null"#),
            Self.policy("port", scope: .outputport, #"port.name == "o1" ? contract.id == "c1" : contract == null"#),
            Self.policy("contract", scope: .contract, #"contract.schema.size() == 1 && prev == null"#),
            Self.policy("res", scope: .resource, #"resource.kind in ["catalogs", "tables"] && resources.size() == 2"#),
            Self.policy("plan", scope: .plan, "plan != null"),
        ]
        let report = PolicyEvaluator(policies: policies).check(Self.inputs())
        let subjects = Dictionary(grouping: report.results, by: \.policy).mapValues { $0.map(\.subject) }
        #expect(subjects["dp"] == ["p1"])
        #expect(subjects["port"] == ["outputPorts.o1", "outputPorts.o2"])
        #expect(subjects["contract"] == ["contracts/c1.yaml"])
        #expect(subjects["res"] == ["catalogs.c", "tables.t"])
        #expect(subjects["plan"] == nil)
        #expect(report.skipped == ["plan"])
        #expect(report.results.allSatisfy { $0.outcome == .pass })
        #expect(report.passed)
    }

    @Test func failuresBlockOnlyWhenEnabledWithErrorSeverity() throws {
        let expression = #"resource.fields.grants.all(g, g.principal != "account users")"#
        let policies = try [
            Self.policy("enabled-error", scope: .resource, expression),
            Self.policy("enabled-warning", scope: .resource, severity: "warning", expression),
            Self.policy("grace", scope: .resource, status: .grace, expression),
            Self.policy("deprecated", scope: .resource, status: .deprecated, expression),
            Self.policy("draft", scope: .resource, status: .draft, expression),
            Self.policy("qa-only", scope: .resource, severity: "{qa: error}", expression),
        ]
        let report = PolicyEvaluator(policies: policies).check(Self.inputs())
        let failed = report.results.filter { $0.outcome == .fail }
        #expect(Set(failed.map(\.policy)) == ["enabled-error", "enabled-warning", "grace", "deprecated"])
        #expect(failed.allSatisfy { $0.subject == "tables.t" })
        #expect(failed.filter(\.blocking).map(\.policy) == ["enabled-error"])
        #expect(failed.first { $0.policy == "deprecated" }?.severity == .info)
        #expect(report.skipped.sorted() == ["draft", "qa-only"])
        #expect(!report.passed)
        #expect(failed.first { $0.policy == "enabled-error" }?.message == "enabled-error failed")
    }

    @Test func evaluationErrorsAreReportedAndBlock() throws {
        let policies = try [
            Self.policy("missing-key", scope: .dataproduct, "dp.nothing == 1"),
            Self.policy("not-bool", scope: .dataproduct, "dp.id"),
        ]
        let report = PolicyEvaluator(policies: policies).check(Self.inputs())
        #expect(report.results.allSatisfy { $0.outcome == .error && $0.blocking })
        #expect(report.results.first { $0.policy == "not-bool" }?.message.contains("not a bool") == true)
    }

    @Test func costLimitStopsRunawayExpressions() throws {
        let policy = try Self.policy(
            "runaway", scope: .dataproduct, "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, a + b > 0))")
        let report = PolicyEvaluator(policies: [policy], costLimit: 50).check(Self.inputs())
        #expect(report.results.first?.outcome == .error)
    }

    @Test func contractIntegrityAgainstThePreviousRelease() throws {
        let builtin = try PolicyLoader.parse(
            Data(
                """
                id: contract.integrity
                version: "1"
                status: enabled
                scope: contract
                severity: error
                check: contract-breaking-changes
                message: breaking
                """.utf8), path: "integrity.yaml")
        let bumped = try Self.policy(
            "bumped", scope: .contract,
            "prev == null || prev.contract == null || prev.contract == contract || prev.contract.version != contract.version"
        )
        let evaluator = PolicyEvaluator(policies: [builtin, bumped])
        let previousState = DesiredState(product: "p1", target: "prod", resources: [])
        let previous = PolicyTargetInputs.PreviousRelease(
            dataProduct: ["id": "p1"], contracts: [.init(path: "contracts/c1.yaml", json: Self.contract)],
            state: previousState)
        // Same contract: passes.
        #expect(evaluator.check(Self.inputs(previous: previous)).passed)
        // Property removed without a new version: both fail.
        var removed = Self.contract
        removed = [
            "id": "c1", "version": "1.0.0",
            "schema": [["name": "t", "properties": [["name": "a", "businessName": "A"]]]],
        ]
        let broken = evaluator.check(Self.inputs(previous: previous, contract: removed))
        #expect(Set(broken.results.filter { $0.outcome == .fail }.map(\.policy)) == ["contract.integrity", "bumped"])
        let message = broken.results.first { $0.policy == "contract.integrity" }?.message ?? ""
        #expect(message.contains("schema.t.properties.b (property-added-or-removed)"))
        // With a new major version the breaking change is allowed.
        var major = removed.objectValue!
        major["version"] = "2.0.0"
        #expect(evaluator.check(Self.inputs(previous: previous, contract: .object(major))).passed)
        // Without a previous release there is nothing to compare.
        #expect(evaluator.check(Self.inputs(contract: removed)).passed)
    }

    @Test func reportsRenderAsJSONTextAndSARIF() throws {
        let policy = try Self.policy("no-account-users", scope: .resource, #"resource.fields.grants.size() == 0"#)
        let report = PolicyEvaluator(policies: [policy]).check([Self.inputs(target: "qa"), Self.inputs(target: "prod")])
        let json = report.jsonValue
        let targets = try #require(json["targets"]?.arrayValue)
        #expect(targets.map { $0["target"] } == ["qa", "prod"])
        let result = try #require(targets[0]["results"]?.arrayValue?.last)
        #expect(result["policy"] == "no-account-users")
        #expect(result["status"] == "fail")
        #expect(result["severity"] == "error")
        #expect(result["subject"] == "tables.t")
        #expect(result["message"] == "no-account-users failed")
        #expect(report.text.contains("target prod: BLOCKED (1 blocking)"))
        let sarif = report.sarif(policies: [policy], toolVersion: "0.0.0")
        #expect(sarif["version"] == "2.1.0")
        let run = try #require(sarif["runs"]?.arrayValue?.first)
        #expect(run["tool"]?["driver"]?["name"] == "lakegate")
        #expect(run["tool"]?["driver"]?["rules"]?.arrayValue?.first?["id"] == "no-account-users")
        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0["level"] == "error" && $0["message"]?["text"] != nil })
        #expect(results[0]["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"] != nil)
    }
}
