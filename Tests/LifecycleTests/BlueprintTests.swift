import Descriptors
import Foundation
import Governance
import LakegateCore
import Lifecycle
import TestSupport
import Testing

@Suite("blueprints")
struct BlueprintTests {
    static let required = ["product_id=sales-leads", "domain=sales", "owner=lead.owner@bank.example"]

    static func load(_ name: String) throws -> Blueprint {
        try Blueprint.load(from: DirectoryFileSource(root: Paths.example("blueprints/\(name)")))
    }

    @Test(arguments: ["sql-output-port", "pipeline"])
    func examplesRenderToAValidProductThatPassesTheStarterPolicies(name: String) throws {
        let blueprint = try Self.load(name)
        let values = try ParameterValues.resolve(
            blueprint, given: ParameterValues.parse(Self.required), prompter: nil)
        #expect(values["schema"] == "sales_leads")
        let (files, product) = try ProductInitializer(blueprint: blueprint, values: values).renderedProduct()
        #expect(files["contracts/sales_leads.odcs.yaml"] != nil)
        #expect(product.id == "sales-leads")
        #expect(product.targets == ["dev", "prod", "qa"])
        let policies = try PolicyLoader.load(from: DirectoryFileSource(root: Paths.example("policies")))
        for target in product.targets {
            let report = PolicyEvaluator(policies: policies).check([
                try PolicyTargetInputs(product: product, target: target)
            ])
            let blocking = report.targets.flatMap(\.results).filter(\.blocking)
            #expect(report.passed, "\(name) \(target): \(blocking.map { "\($0.policy) \($0.subject)" })")
        }
        let state = try product.render(target: "prod")
        let kinds = Set(state.resources.map(\.kind.rawValue))
        #expect(kinds.isSuperset(of: ["catalogs", "schemas", "tables", "genie_spaces", "shares"]))
        if name == "pipeline" {
            #expect(kinds.contains("jobs"))
            #expect(product.sourceFiles == ["src/ingest.py", "src/transform.sql"])
        }
    }

    @Test func aMissingParameterWithoutTerminalIsNamed() throws {
        let blueprint = try Self.load("sql-output-port")
        let error = #expect(throws: LifecycleError.self) {
            try ParameterValues.resolve(blueprint, given: ["product_id": "x-y"], prompter: nil)
        }
        #expect(error?.message.contains("missing parameter 'domain'") == true)
        #expect(error?.message.contains("missing parameter 'owner'") == true)
        #expect(error?.message.contains("--set owner=VALUE") == true)
    }

    @Test func setValuesAreCheckedAgainstPatternsAndNames() throws {
        let blueprint = try Self.load("sql-output-port")
        var given = try ParameterValues.parse(Self.required)
        given["product_id"] = "Sales Leads"
        let bad = #expect(throws: LifecycleError.self) {
            try ParameterValues.resolve(blueprint, given: given, prompter: nil)
        }
        #expect(bad?.message.contains("--set product_id: 'Sales Leads' does not match") == true)
        given["product_id"] = "sales"
        given["colour"] = "blue"
        let unknown = #expect(throws: LifecycleError.self) {
            try ParameterValues.resolve(blueprint, given: given, prompter: nil)
        }
        #expect(unknown?.message.contains("no parameter 'colour'") == true)
        #expect(throws: LifecycleError.self) { try ParameterValues.parse(["novalue"]) }
    }

    @Test func aTerminalIsAskedUntilTheValueIsValidAndAnEmptyAnswerTakesTheDefault() throws {
        let blueprint = try Self.load("sql-output-port")
        let answers = Answers(
            ["Bad Id", "orders-x", "finance", "owner@bank.example"] + Array(repeating: "", count: 20))
        let values = try ParameterValues.resolve(
            blueprint, given: [:], prompter: Prompter(ask: { answers.next($0) }, tell: { answers.told($0) }))
        #expect(values["product_id"] == "orders-x")
        #expect(values["catalog_prefix"] == "orders_x")
        #expect(values["consumer_group"] == "finance_analysts")
        #expect(answers.messages.contains { $0.contains("'Bad Id' does not match") })
        #expect(
            answers.questions.contains(
                "Catalog name prefix (the catalogs are <prefix>_dev, _qa and _prod) [orders_x]: "))
    }

    @Test func manifestErrorsNameFileLineAndField() throws {
        let scratch = try TemporaryDirectory(prefix: "lakegate-blueprint")
        defer { scratch.remove() }
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("template"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: scratch.url.appendingPathComponent("template/x.txt"))
        try Data(
            """
            name: broken
            parameters:
              - name: Bad-Name
                prompt: What
              - name: ok
                promt: typo
                pattern: "([a-z"

            """.utf8
        ).write(to: scratch.url.appendingPathComponent("blueprint.yaml"))
        let error = #expect(throws: DiagnosticList.self) {
            try Blueprint.load(from: DirectoryFileSource(root: scratch.url))
        }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.contains { $0.hasPrefix("blueprint.yaml:3:11: parameter name 'Bad-Name'") })
        #expect(messages.contains { $0.hasPrefix("blueprint.yaml:6:5: unknown key 'promt'") })
        #expect(messages.contains { $0.contains("missing required key 'prompt'") })
        #expect(messages.contains { $0.hasPrefix("blueprint.yaml:7:14: pattern ([a-z is not a valid") })
    }
}

/// Scripted terminal answers.
final class Answers: @unchecked Sendable {
    private var pending: [String]
    private(set) var questions: [String] = []
    private(set) var messages: [String] = []

    init(_ answers: [String]) { pending = answers }

    func next(_ question: String) -> String? {
        questions.append(question)
        return pending.isEmpty ? nil : pending.removeFirst()
    }

    func told(_ message: String) { messages.append(message) }
}
