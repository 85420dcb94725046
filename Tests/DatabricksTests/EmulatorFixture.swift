import CurlHTTP
import Databricks
import Foundation
import LakegateCore
import Logging
import TestSupport

/// A running emulator and a client for it; every test starts its own on a free port.
struct EmulatorFixture {
    static let token = "dapi-test-token-0123456789"
    static let warehouse = "a1b2c3d4e5f60001"
    /// The OAuth client the emulator accepts by default.
    static let clientID = "lakegate-emulator"
    static let clientSecret = "lakegate-emulator-secret"

    let emulator: EmulatorProcess
    let client: DatabricksClient

    var host: String {
        emulator.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    init(
        arguments: [String] = [], retry: RetryPolicy = RetryPolicy(budget: 60, maxJitter: 0.05),
        concurrency: Int = 8, logger: Logger = Logger(label: "test")
    ) throws {
        emulator = try EmulatorProcess.start(arguments: ["--token", Self.token] + arguments)
        let host = emulator.baseURL.absoluteString.trimmingCharacters(
            in: CharacterSet(charactersIn: "/"))
        let config = try DatabricksConfig.resolve(
            explicit: ["host": host, "token": Self.token, "warehouse_id": Self.warehouse],
            environment: [:],
            homeDirectory: "/nonexistent")
        client = try DatabricksClient(
            config: config, transport: CurlTransportConfiguration(maxConcurrency: concurrency),
            retryPolicy: retry,
            logger: logger)
    }

    func stop() { emulator.stop() }

    /// Runs SQL on the emulator's warehouse.
    @discardableResult
    func sql(_ statement: String) async throws -> SQLResult {
        try await client.executeSQL(statement, warehouseID: Self.warehouse)
    }

    /// `POST /_emulator/faults` with `settings`.
    func setFaults(_ settings: JSONValue) async throws {
        try await client.call("POST", "/_emulator/faults", body: settings)
    }
}
