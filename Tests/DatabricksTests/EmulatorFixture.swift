import CurlHTTP
import Databricks
import EmulatorKit
import Foundation
import LakegateCore
import Logging
import TestSupport

/// A running emulator and a client for it; every test starts its own, on a free port or in process.
struct EmulatorFixture {
    /// How the client reaches the emulator.
    enum Mode: String, CaseIterable, Sendable {
        /// `lakegate-emulator` as a child process, over HTTP through libcurl.
        case http
        /// The emulator's request handler in this process, through ``EmulatorTransport``.
        case inProcess
    }

    static let token = "dapi-test-token-0123456789"
    static let warehouse = "a1b2c3d4e5f60001"
    /// The OAuth client the emulator accepts by default.
    static let clientID = "lakegate-emulator"
    static let clientSecret = "lakegate-emulator-secret"

    /// The child process in ``Mode/http``.
    let emulator: EmulatorProcess?
    let client: DatabricksClient

    var host: String { client.host }

    init(
        arguments: [String] = [], retry: RetryPolicy = RetryPolicy(budget: 60, maxJitter: 0.05),
        concurrency: Int = 8, logger: Logger = Logger(label: "test")
    ) throws {
        let emulator = try EmulatorProcess.start(arguments: ["--token", Self.token] + arguments)
        self.emulator = emulator
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

    private init(client: DatabricksClient) {
        emulator = nil
        self.client = client
    }

    /// A fixture in `mode`; `faults` are the emulator's start-up faults.
    static func make(
        _ mode: Mode, faults: FaultSettings = FaultSettings(),
        retry: RetryPolicy = RetryPolicy(budget: 60, maxJitter: 0.05), logger: Logger = Logger(label: "test")
    ) async throws -> EmulatorFixture {
        switch mode {
        case .http:
            var arguments = ["--latency-ms", String(faults.latencyMilliseconds), "--error-rate", "\(faults.errorRate)"]
            if let limit = faults.rateLimit { arguments += ["--rate-limit", String(limit)] }
            return try EmulatorFixture(arguments: arguments, retry: retry, logger: logger)
        case .inProcess:
            let emulator = try await InProcessEmulator(
                configuration: EmulatorConfiguration(token: Self.token, faults: faults))
            return EmulatorFixture(client: try emulator.client(retryPolicy: retry, logger: logger))
        }
    }

    func stop() { emulator?.stop() }

    /// Every request the emulator logged so far, oldest first.
    func requests() async throws -> [JSONValue] {
        try await client.call("GET", "/_emulator/requests")["requests"]?.arrayValue ?? []
    }

    /// Runs SQL on the emulator's warehouse.
    @discardableResult
    func sql(_ statement: String) async throws -> Databricks.SQLResult {
        try await client.executeSQL(statement, warehouseID: Self.warehouse)
    }

    /// `POST /_emulator/faults` with `settings`.
    func setFaults(_ settings: JSONValue) async throws {
        try await client.call("POST", "/_emulator/faults", body: settings)
    }
}
