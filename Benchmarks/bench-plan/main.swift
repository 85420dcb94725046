// Plans over a synthetic product of N resources (default 10,000) whose live state has server-side noise and
// 10% drift, and reports the planning time and the peak memory. Usage: bench-plan [--resources N] [--runs R]
import Foundation
import LakegateCore
import Planner

var resourceCount = 10_000
var runs = 5
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--resources": resourceCount = Int(arguments.next() ?? "") ?? resourceCount
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--help", "-h":
        print("usage: bench-plan [--resources N] [--runs R]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        exit(2)
    }
}

let markers: JSONValue = ["lakegate.product": "bench", "lakegate.target": "dev"]
let grants: JSONValue = [["principal": "analysts", "privileges": ["SELECT", "USE_SCHEMA"]]]
var resources: [Resource] = [
    Resource(
        kind: .catalog, key: "catalogs.main", name: "bench_dev",
        fields: ["name": "bench_dev", "comment": "bench", "tags": markers, "properties": markers, "grants": grants])
]
let schemaCount = max(1, resourceCount / 100)
for s in 0..<schemaCount {
    resources.append(
        Resource(
            kind: .schema, key: "schemas.s\(s)", name: "bench_dev.s\(s)",
            fields: [
                "name": .string("s\(s)"), "catalog_name": "bench_dev", "comment": "schema", "tags": markers,
                "properties": markers, "grants": grants,
            ], dependsOn: ["catalogs.main"]))
}
var t = 0
while resources.count < resourceCount {
    let schema = t % schemaCount
    // Shaped as the renderer writes columns: a key is absent rather than null.
    let columns: [JSONValue] = (0..<8).map { c in
        var column: [String: JSONValue] = [
            "name": .string("c\(c)"), "type_text": c == 0 ? "bigint" : "string", "nullable": .bool(c != 0),
            "comment": .string("column \(c) of table \(t)"),
        ]
        if c == 1 { column["tags"] = ["pii": "email"] }
        return .object(column)
    }
    resources.append(
        Resource(
            kind: .table, key: "tables.t\(t)", name: "bench_dev.s\(schema).t\(t)",
            fields: [
                "name": .string("t\(t)"), "catalog_name": "bench_dev", "schema_name": .string("s\(schema)"),
                "table_type": "MANAGED", "comment": .string("table \(t)"), "tags": markers, "columns": .array(columns),
                "properties": ["quality": "gold"], "grants": grants,
            ], dependsOn: ["schemas.s\(schema)"]))
    t += 1
}
let desired = DesiredState(product: "bench", target: "dev", resources: resources)
var live: [String: LiveResource] = [:]
var inventory: [InventoryEntry] = []
for (index, resource) in resources.enumerated() {
    var fields = resource.fields
    fields["created_at"] = 1_732_000_000_000
    fields["full_name"] = .string(resource.name)
    fields["owner"] = "owner@example.com"
    if resource.kind == .table {
        fields["properties"] = ["quality": "gold", "delta.minReaderVersion": "1"]
        if index % 10 == 0 { fields["comment"] = "drifted" }
    }
    live[resource.key] = LiveResource(
        kind: resource.kind, key: resource.key, name: resource.name, id: resource.name, fields: fields,
        ownedMarker: true)
    inventory.append(
        InventoryEntry(
            product: "bench", target: "dev", key: resource.key, kind: resource.kind, name: resource.name,
            liveID: resource.name))
}
let snapshot = LiveSnapshot(resources: live)
let planner = Planner()

/// CPU time of this process in milliseconds: on a shared machine wall time also counts other processes.
func cpuMilliseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
}

var times: [Double] = []
var cpuTimes: [Double] = []
var plan: Plan?
for _ in 0..<runs {
    let start = ContinuousClock.now
    let cpuStart = cpuMilliseconds()
    plan = try planner.plan(desired: desired, live: snapshot, inventory: inventory)
    cpuTimes.append(cpuMilliseconds() - cpuStart)
    let elapsed = ContinuousClock.now - start
    times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
}
var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
let peakMB = Double(usage.ru_maxrss) / 1024
let sorted = times.sorted()
print("resources: \(resources.count)")
print("actions: \(plan?.actions.count ?? 0) (\(plan?.summary.line ?? ""))")
print(
    String(
        format: "plan time: median %.1f ms, min %.1f ms, max %.1f ms over %d runs", sorted[sorted.count / 2], sorted[0],
        sorted[sorted.count - 1], runs))
let cpuSorted = cpuTimes.sorted()
print(String(format: "plan CPU time: median %.1f ms, min %.1f ms", cpuSorted[cpuSorted.count / 2], cpuSorted[0]))
print(String(format: "peak RSS: %.1f MB (whole process, input generation included)", peakMB))
