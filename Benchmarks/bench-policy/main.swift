// bench-policy: 200 policies (the starter pack's rules, cloned) over a generated product with 500 tables.
// Usage: bench-policy [--tables N] [--policies N] [--runs N]
import Foundation
import Governance
import LakegateCore

var tables = 500
var policyCount = 200
var runs = 7
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--tables": tables = Int(arguments.next() ?? "") ?? tables
    case "--policies": policyCount = Int(arguments.next() ?? "") ?? policyCount
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    default:
        print("usage: bench-policy [--tables N] [--policies N] [--runs N]")
        exit(argument == "--help" ? 0 : 2)
    }
}

/// Rule templates in the style of Examples/policies, one per scope mix; `{N}` makes each clone distinct.
let templates: [(scope: String, expression: String)] = [
    (
        "contract",
        """
        contract.schema.all(o, !has(o.properties) ||
          o.properties.filter(p, has(p.businessName) && p.businessName != "").size() * 100 >= {N} * o.properties.size())
        """
    ),
    (
        "contract",
        """
        contract.schema.all(o, !has(o.properties) || o.properties.all(p,
          !(has(p.tags) && "pii" in p.tags) || has(p.customProperties)))
        """
    ),
    ("resource", #"!has(resource.fields.grants) || resource.fields.grants.all(g, g.principal != "account users {N}")"#),
    (
        "resource",
        """
        !(resource.kind in ["catalogs", "schemas", "tables", "volumes"]) ||
          (has(resource.fields.tags) && "lakegate.product" in resource.fields.tags && size(resource.name) > {N} - 100)
        """
    ),
    ("resource", #"resource.kind != "tables" || resource.fields.columns.size() < {N} + 100"#),
    ("dataproduct", #"resources.exists(r, r.kind == "genie_spaces") || {N} < 0"#),
    (
        "dataproduct",
        """
        has(dp.regulatory) && has(dp.regulatory.dora) && (!(dp.regulatory.dora.criticality in ["critical"]) ||
          (has(dp.regulatory.dora.rtoMinutes) && dp.regulatory.dora.rtoMinutes <= 240 + {N}))
        """
    ),
    ("outputport", #"has(port.description) && size(port.description) >= {N} % 20"#),
]

func generatedPolicies(count policyCount: Int) throws -> [Policy] {
    var result: [Policy] = []
    for index in 0..<policyCount {
        let template = templates[index % templates.count]
        let expression = template.expression.replacingOccurrences(of: "{N}", with: String(50 + index % 20))
        let indented = expression.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let text = """
            id: bench.rule-\(index)
            version: "1"
            status: enabled
            scope: \(template.scope)
            severity: {qa: warning, prod: error}
            expression: |
            \(indented)
            message: rule \(index) failed
            """
        result.append(try PolicyLoader.parse(Data(text.utf8), path: "rule-\(index).yaml"))
    }
    return result
}

func generatedInputs(tables: Int) -> PolicyTargetInputs {
    var objects: [JSONValue] = []
    var resources: [Resource] = [
        Resource(
            kind: .catalog, key: "catalogs.c", name: "bench_prod", fields: ["tags": ["lakegate.product": "bench"]]),
        Resource(kind: .genieSpace, key: "genie_spaces.g", name: "Bench", fields: ["title": "Bench"]),
    ]
    for t in 0..<tables {
        var properties: [JSONValue] = []
        var columns: [JSONValue] = []
        for c in 0..<10 {
            var property: [String: JSONValue] = ["name": .string("col_\(c)"), "logicalType": "string"]
            if c < 8 { property["businessName"] = .string("Column \(c)") }
            if c == 3 {
                property["tags"] = ["pii"]
                property["customProperties"] = [["property": "ucColumnMask", "value": "gov.mask"]]
            }
            properties.append(.object(property))
            columns.append(["name": .string("col_\(c)"), "type_text": "string", "nullable": true])
        }
        objects.append(["name": .string("table_\(t)"), "properties": .array(properties)])
        resources.append(
            Resource(
                kind: .table, key: "tables.table_\(t)", name: "bench_prod.s.table_\(t)",
                fields: [
                    "columns": .array(columns), "tags": ["lakegate.product": "bench", "lakegate.target": "prod"],
                    "grants": [["principal": "analysts", "privileges": ["SELECT"]]],
                ]))
    }
    let contract: JSONValue = ["id": "bench", "version": "1.0.0", "schema": .array(objects)]
    let dp: JSONValue = [
        "id": "bench", "owner": "a@b.example",
        "outputPorts": [["name": "main", "description": "The whole generated product.", "contract": "bench"]],
        "regulatory": ["dora": ["criticality": "critical", "rtoMinutes": 120, "rpoMinutes": 30, "backupPolicy": "x"]],
    ]
    return PolicyTargetInputs(
        productID: "bench", target: "prod", env: ["name": "prod"], dataProduct: dp,
        contracts: [.init(path: "contracts/bench.yaml", json: contract)],
        state: DesiredState(product: "bench", target: "prod", resources: resources))
}

/// CPU time of this process: wall-clock figures are meaningless on a machine shared with other builds.
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func seconds(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

do {
    var start = ContinuousClock.now
    let policies = try generatedPolicies(count: policyCount)
    let loadSeconds = seconds(start)
    let inputs = generatedInputs(tables: tables)
    let evaluator = PolicyEvaluator(policies: policies)
    var timings: [Double] = []
    var cpuTimings: [Double] = []
    var report = evaluator.check(inputs)
    for _ in 0..<runs {
        start = ContinuousClock.now
        let cpuStart = cpuSeconds()
        report = evaluator.check(inputs)
        cpuTimings.append(cpuSeconds() - cpuStart)
        timings.append(seconds(start))
    }
    timings.sort()
    cpuTimings.sort()
    let evaluations = report.results.count
    let failures = report.results.filter { $0.outcome != .pass }.count
    print("policies: \(policies.count), tables: \(tables), resources: \(inputs.state.resources.count)")
    print("evaluations per check: \(evaluations) (\(failures) not passing)")
    if let first = report.results.first(where: { $0.outcome != .pass }) {
        print("first not passing: \(first.policy) on \(first.subject): \(first.outcome.rawValue) \(first.message)")
    }
    print(String(format: "parse+compile %d policies: %.1f ms", policies.count, loadSeconds * 1000))
    print(
        String(
            format: "check (one target): median %.1f ms, min %.1f ms, max %.1f ms over %d runs",
            timings[timings.count / 2] * 1000, timings[0] * 1000, timings[timings.count - 1] * 1000, runs))
    print(
        String(
            format: "check CPU time: median %.1f ms, min %.1f ms", cpuTimings[cpuTimings.count / 2] * 1000,
            cpuTimings[0] * 1000))
    print(timings[timings.count / 2] < 1.0 ? "target < 1 s (wall, median): met" : "target < 1 s (wall, median): MISSED")
} catch {
    print("bench-policy: \(error)")
    exit(1)
}
