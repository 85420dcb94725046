// Renders a generated product with many tables and reports wall time and peak memory.
//
//   swift build -c release --product bench-render && .build/release/bench-render [tables] [columns]
import BenchSupport
import Descriptors
import Foundation
import LakegateCore

let arguments = CommandLine.arguments
let tableCount = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
let columnCount = arguments.count > 2 ? Int(arguments[2]) ?? 30 : 30

/// Writes a product with `tables` tables of `columns` columns, split over 20 contracts.
func generate(into root: URL, tables: Int, columns: Int) throws {
    let fm = FileManager.default
    try fm.createDirectory(at: root.appendingPathComponent("contracts"), withIntermediateDirectories: true)
    let contracts = 20
    var bundle = """
        bundle:
          name: bench
        variables:
          catalog:
            default: bench_dev
        targets:
          dev:
            default: true
        resources:
          catalogs:
            bench:
              name: ${var.catalog}
          schemas:

        """
    var ports = ""
    for c in 0..<contracts {
        bundle += "    s\(c):\n      catalog_name: ${resources.catalogs.bench.name}\n      name: s\(c)\n"
        ports += "  - name: p\(c)\n    contract: urn:bench:c\(c)\n    schema: s\(c)\n"
        var text = """
            apiVersion: v3.1.0
            kind: DataContract
            id: urn:bench:c\(c)
            version: 1.0.0
            status: active
            schema:

            """
        for t in stride(from: c, to: tables, by: contracts) {
            text += "  - name: t\(t)\n    physicalType: table\n    businessName: Table \(t)\n"
            text += "    description: Generated table \(t).\n    properties:\n"
            for k in 0..<columns {
                let type = ["STRING", "BIGINT", "DECIMAL(18,2)", "TIMESTAMP", "DATE"][k % 5]
                text += "      - name: c\(k)\n        businessName: Column \(k)\n        physicalType: \(type)\n"
                text += "        description: Column \(k) of table \(t).\n        classification: internal\n"
                if k % 10 == 0 { text += "        tags: [pii]\n" }
            }
        }
        try Data(text.utf8).write(to: root.appendingPathComponent("contracts/c\(c).odcs.yaml"))
    }
    try Data(bundle.utf8).write(to: root.appendingPathComponent("databricks.yml"))
    let product = """
        id: bench
        name: Bench
        domain: bench
        owner: bench@example.com
        version: 1.0.0
        outputPorts:
        \(ports)
        access:
          grants:
            - principal: analysts
              privileges: [SELECT]

        """
    try Data(product.utf8).write(to: root.appendingPathComponent("dataproduct.yaml"))
}

let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-render-\(UUID().uuidString)")
try generate(into: root, tables: tableCount, columns: columnCount)
defer { try? FileManager.default.removeItem(at: root) }

let clock = ContinuousClock()
// CPU time too: on a shared machine wall time includes waiting for a core.
let cpuStart = processCPUNanoseconds()
var state: DesiredState?
var digest = ""
let elapsed = try clock.measure {
    let product = try ProductLoader.load(DirectoryFileSource(root: root))
    let rendered = try product.render(target: "dev")
    digest = rendered.digest
    state = rendered
}
let cpuSeconds = Double(processCPUNanoseconds() - cpuStart) / 1e9
guard let state else { fatalError("nothing rendered") }
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("bench-render: \(tableCount) tables x \(columnCount) columns")
print("  resources: \(state.resources.count)  digest: \(digest.prefix(23))…")
print(String(format: "  load+validate+render: %.3f s", seconds))
print(String(format: "  CPU time (process): %.3f s", cpuSeconds))
print(String(format: "  peak RSS (VmHWM): %.1f MiB", peakRSSMiB()))
