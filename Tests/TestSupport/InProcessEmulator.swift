import CurlHTTP
import Databricks
import EmulatorKit
import Foundation
import LakegateCore
import Logging

/// An emulated workspace in this process and the configuration to reach it, for tests that want the
/// emulator without a port or a child process.
///
/// ```swift
/// let emulator = try await InProcessEmulator()
/// let client = try emulator.client()
/// try await client.call("POST", "/api/2.1/unity-catalog/catalogs", body: ["name": "main"])
/// let log = try await emulator.requests()  // what the emulator recorded
/// ```
public struct InProcessEmulator: Sendable {
    /// The personal access token the emulator requires unless it was configured otherwise.
    public static let token = "dapi-in-process-0123456789"
    /// The SQL warehouse every emulated workspace has.
    public static let warehouseID = "a1b2c3d4e5f60001"

    /// The emulated workspace.
    public let workspace: Workspace
    /// The transport that reaches it.
    public let transport: EmulatorTransport
    /// `host`, `token` and `warehouse_id` of the workspace: resolved from these values only (no environment,
    /// no `~/.databrickscfg`).
    public let config: DatabricksConfig

    /// An emulator with `configuration` (by default: requires ``token``, state in memory).
    public init(configuration: EmulatorConfiguration = EmulatorConfiguration(token: InProcessEmulator.token))
        async throws
    {
        workspace = try Workspace(configuration: configuration, logger: Logger(label: "lakegate-emulator"))
        transport = await EmulatorTransport(workspace: workspace)
        config = try Self.config(host: transport.baseURL, token: configuration.token ?? Self.token)
    }

    /// Configuration values for a workspace at `host` with PAT `token`, resolved from nothing else.
    public static func config(host: String, token: String) throws -> DatabricksConfig {
        try DatabricksConfig.resolve(
            explicit: ["host": host, "token": token, "warehouse_id": warehouseID], environment: [:],
            homeDirectory: "/nonexistent")
    }

    /// A client of the workspace; `config` replaces the PAT configuration (an OAuth client, a wrong token).
    public func client(
        config: DatabricksConfig? = nil, retryPolicy: RetryPolicy = RetryPolicy(budget: 60, maxJitter: 0.05),
        logger: Logger = Logger(label: "test")
    ) throws -> DatabricksClient {
        try DatabricksClient(
            config: config ?? self.config, transport: transport, retryPolicy: retryPolicy, logger: logger)
    }

    /// Every request the emulator recorded so far (`GET /_emulator/requests`), oldest first.
    public func requests() async throws -> [JSONValue] {
        try await control("GET", "/_emulator/requests")["requests"]?.arrayValue ?? []
    }

    /// `POST /_emulator/faults` with `settings` (`latency_ms`, `error_rate`, `rate_limit`).
    public func setFaults(_ settings: JSONValue) async throws {
        try await control("POST", "/_emulator/faults", body: settings)
    }

    /// A `/_emulator/*` control call; throws when the emulator refuses it.
    @discardableResult
    public func control(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        let response = try await transport.send(
            HTTPRequest(method: method, url: transport.baseURL + path, body: body.map { Array($0.canonicalJSON.utf8) }))
        guard (200..<300).contains(response.status) else {
            throw InProcessEmulatorError(message: "\(method) \(path): \(response.status) \(response.bodyText)")
        }
        return try JSONValue(parsing: Data(response.body))
    }
}

/// A control call to the in-process emulator was refused.
public struct InProcessEmulatorError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
