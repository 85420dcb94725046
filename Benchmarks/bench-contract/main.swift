// Validates a product whose one ODCS contract is about 16 MB (325,000 columns by default) and reports wall time,
// CPU time and peak memory.
//
//   swift build -c release --product bench-contract --scratch-path .build-release
//   .build-release/release/bench-contract [tables] [columns per table] [plain|quoted|block]   # default 1000 x 325 plain
import BenchSupport
import Descriptors
import Foundation
import LakegateCore

let arguments = CommandLine.arguments
let tableCount = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let columnCount = arguments.count > 2 ? Int(arguments[2]) ?? 325 : 325
/// `quoted`: a quoted scalar in the contract's header (read by the plain-subset reader); `block`: a block scalar
/// there instead, which sends the whole file through Yams.
let variant = arguments.count > 3 ? arguments[3] : "plain"

/// Writes a product with one schema and one contract of `tables` tables × `columns` columns.
func generate(into root: URL, tables: Int, columns: Int) throws -> Int {
    try FileManager.default.createDirectory(
        at: root.appendingPathComponent("contracts"), withIntermediateDirectories: true)
    let bundle = """
        bundle:
          name: bench
        targets:
          dev:
            default: true
        resources:
          catalogs:
            bench:
              name: bench_dev
          schemas:
            big:
              catalog_name: ${resources.catalogs.bench.name}
              name: big

        """
    let product = """
        id: bench
        name: Bench
        domain: bench
        owner: bench@example.com
        version: 1.0.0
        outputPorts:
          - name: big
            contract: urn:bench:big
            schema: big

        """
    var text = "apiVersion: v3.1.0\nkind: DataContract\nid: urn:bench:big\nversion: 1.0.0\nstatus: active\n"
    if variant == "quoted" { text += "name: \"Big contract: every column\"\n" }
    if variant == "block" { text += "description:\n  purpose: |\n    Every column.\n" }
    text += "schema:\n"
    let types = ["STRING", "BIGINT", "DECIMAL(18,2)", "TIMESTAMP", "DATE"]
    for t in 0..<tables {
        text += "  - name: t\(t)\n    physicalType: table\n    properties:\n"
        for k in 0..<columns {
            text += "      - name: c\(k)\n        physicalType: \(types[k % types.count])\n"
        }
    }
    try Data(bundle.utf8).write(to: root.appendingPathComponent("databricks.yml"))
    try Data(product.utf8).write(to: root.appendingPathComponent("dataproduct.yaml"))
    let contract = Data(text.utf8)
    try contract.write(to: root.appendingPathComponent("contracts/big.odcs.yaml"))
    return contract.count
}

let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-contract-\(UUID().uuidString)")
let bytes = try generate(into: root, tables: tableCount, columns: columnCount)
defer { try? FileManager.default.removeItem(at: root) }

let cpuStart = processCPUNanoseconds()
var diagnostics: [Diagnostic] = []
let elapsed = ContinuousClock().measure {
    diagnostics = ProductLoader.validate(DirectoryFileSource(root: root))
}
let cpuSeconds = Double(processCPUNanoseconds() - cpuStart) / 1e9
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("bench-contract: \(tableCount) tables x \(columnCount) columns in one contract (\(variant))")
print(String(format: "  contract: %.1f MiB, %d columns", Double(bytes) / 1_048_576, tableCount * columnCount))
print("  diagnostics: \(diagnostics.count)\(diagnostics.first.map { " (first: \($0))" } ?? "")")
print(String(format: "  validate (load + every target): %.3f s", seconds))
print(String(format: "  CPU time (process): %.3f s", cpuSeconds))
print(String(format: "  peak RSS (VmHWM): %.1f MiB", peakRSSMiB()))
if !diagnostics.isEmpty { exit(1) }
