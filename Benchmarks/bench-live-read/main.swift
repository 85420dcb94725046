// Live read of a product with 1,000 tables in 20 schemas against the local emulator with injected latency:
// HTTP requests made and wall time, at concurrency 1 and 8.
//
//   swift build -c release --product bench-live-read --product lakegate-emulator
//   .build/release/bench-live-read [--tables 1000] [--schemas 20] [--latency-ms 20]
import CurlHTTP
import Databricks
import Foundation
import LakegateCore
import Logging

func option(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}

let tableCount = option("--tables", 1000)
let schemaCount = option("--schemas", 20)
let latency = option("--latency-ms", 20)
let token = "dapi-bench-token"
let warehouse = "a1b2c3d4e5f60001"

/// Starts `lakegate-emulator` (next to this executable) on a free port and returns it with its base URL.
func startEmulator() throws -> (Process, String) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("lakegate-emulator")
    let process = Process()
    process.executableURL = executable
    process.arguments = ["--host", "127.0.0.1", "--port", "0", "--token", token]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line: [UInt8] = []
    while true {
        let byte = out.fileHandleForReading.readData(ofLength: 1)
        guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
        line.append(first)
    }
    return (process, String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces))
}

func client(host: String, concurrency: Int) throws -> DatabricksClient {
    let config = try DatabricksConfig.resolve(
        explicit: ["host": host, "token": token, "warehouse_id": warehouse], environment: [:],
        homeDirectory: "/nonexistent")
    return try DatabricksClient(
        config: config, transport: CurlTransportConfiguration(maxConcurrency: concurrency),
        logger: Logger(label: "bench"))
}

let (emulator, host) = try startEmulator()
defer { emulator.terminate() }

// Populate through the SQL endpoint, as tables are created in a real workspace.
let setup = try client(host: host, concurrency: 8)
_ = try await setup.createCatalog(["name": "bench"])
var resources: [Resource] = [Resource(kind: .catalog, key: "catalogs.bench", name: "bench", fields: [:])]
for schema in 0..<schemaCount {
    _ = try await setup.createSchema(["name": .string("s\(schema)"), "catalog_name": "bench"])
    resources.append(Resource(kind: .schema, key: "schemas.s\(schema)", name: "bench.s\(schema)", fields: [:]))
}
try await withThrowingTaskGroup(of: Void.self) { group in
    for table in 0..<tableCount {
        let schema = table % schemaCount
        group.addTask {
            _ = try await setup.executeSQL(
                "CREATE TABLE bench.s\(schema).t\(table) (id BIGINT NOT NULL, name STRING, amount DECIMAL(10,2))",
                warehouseID: warehouse)
        }
    }
    try await group.waitForAll()
}
for table in 0..<tableCount {
    resources.append(
        Resource(kind: .table, key: "tables.t\(table)", name: "bench.s\(table % schemaCount).t\(table)", fields: [:]))
}
let desired = DesiredState(product: "bench", target: "dev", resources: resources)
try await setup.call("POST", "/_emulator/faults", body: ["latency_ms": .int(Int64(latency))])

print("live read: \(tableCount) tables in \(schemaCount) schemas, \(latency) ms injected latency per request")
print("concurrency  requests  wall_s  found  absent  complete")
for concurrency in [1, 8] {
    let reader = try client(host: host, concurrency: concurrency)
    let started = ContinuousClock.now
    let snapshot = await LiveStateReader(client: reader).read(desired: desired, inventory: [])
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let requests = await reader.requestCount()
    print(
        String(
            format: "%11d  %8d  %6.2f  %5d  %6d  %@", concurrency, requests, seconds, snapshot.resources.count,
            snapshot.absent.count, snapshot.complete ? "yes" : "no \(snapshot.failures.prefix(3))"))
}
