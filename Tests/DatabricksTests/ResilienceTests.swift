import CurlHTTP
import Databricks
import Foundation
import LakegateCore
import Logging
import TestSupport
import Testing

@Suite struct ResilienceTests {
    @Test func thirtyPercentUnavailableStillSucceeds() async throws {
        let fx = try EmulatorFixture(arguments: ["--error-rate", "0.3", "--fault-seed", "7"])
        defer { fx.stop() }
        let client = fx.client
        // Concurrently, so the emulator's 1 s Retry-After waits overlap.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await client.createCatalog(["name": .string("c\(index)")]) }
            }
            try await group.waitForAll()
        }
        #expect(
            try await client.listCatalogs().filter { $0["name"]?.stringValue?.hasPrefix("c") == true }
                .count >= 20)
        // Some requests were answered 503 and retried (the seed makes that certain, not merely likely).
        #expect(await client.requestCount() > 21)
    }

    @Test func rateLimitStormStillSucceeds() async throws {
        let fx = try EmulatorFixture(arguments: ["--rate-limit", "20"])
        defer { fx.stop() }
        let client = fx.client
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<60 { group.addTask { _ = try await client.listWarehouses() } }
            try await group.waitForAll()
        }
        #expect(await client.requestCount() >= 60)
    }

    @Test func wrongTokenIsUnauthenticated() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let config = try DatabricksConfig.resolve(
            explicit: ["host": fx.host, "token": "dapi-wrong"], environment: [:],
            homeDirectory: "/nonexistent")
        let client = try DatabricksClient(config: config, logger: Logger(label: "test"))
        do {
            _ = try await client.listCatalogs()
            Issue.record("wrong token accepted")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            #expect(error.status == 401)
            #expect(error.attempts == 1)
        }
    }

    @Test func connectionRefusedIsAConnectionErrorWithinTheBudget() async throws {
        let config = try DatabricksConfig.resolve(
            explicit: ["host": "http://127.0.0.1:1", "token": "dapi-x"], environment: [:],
            homeDirectory: "/nonexistent")
        let client = try DatabricksClient(
            config: config, retryPolicy: RetryPolicy(budget: 120, maxJitter: 0.01, maxBackoff: 0.1, maxAttempts: 3),
            logger: Logger(label: "test"))
        do {
            _ = try await client.listCatalogs()
            Issue.record("request to a closed port succeeded")
        } catch let error as DatabricksError {
            #expect(error.kind == .connectionFailed)
            #expect(error.attempts == 3)
        }
    }

    @Test func traceLogsNeverShowSecrets() async throws {
        let capture = LogCapture()
        let fx = try EmulatorFixture(logger: capture.logger())
        defer { fx.stop() }
        _ = try await fx.client.createCatalog(["name": "c"])
        _ = try await fx.client.listCatalogs()
        _ = try? await fx.client.getCatalog("missing")
        // OAuth too: the client secret and the issued access token.
        let secret = EmulatorFixture.clientSecret
        let config = try DatabricksConfig.resolve(
            explicit: ["host": fx.host, "client_id": EmulatorFixture.clientID, "client_secret": secret],
            environment: [:],
            homeDirectory: "/nonexistent")
        let oauth = try DatabricksClient(config: config, logger: capture.logger())
        _ = try await oauth.listCatalogs()
        let lines = capture.all
        #expect(lines.contains { $0.contains("http request") })
        #expect(lines.contains { $0.contains("/oidc/v1/token") })
        for line in lines {
            #expect(!line.contains(EmulatorFixture.token), "token in: \(line)")
            #expect(!line.contains(secret), "client secret in: \(line)")
            #expect(!line.contains("lgoauth-"), "access token in: \(line)")
            #expect(!line.lowercased().contains("authorization: bearer"), "authorization in: \(line)")
            #expect(!line.lowercased().contains("authorization: basic"), "basic credentials in: \(line)")
        }
        #expect(lines.contains { $0.contains(Redactor.mask) })
    }

    @Test func oauthMachineToMachineSignsIn() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let config = try DatabricksConfig.resolve(
            explicit: [
                "host": fx.host, "client_id": EmulatorFixture.clientID,
                "client_secret": EmulatorFixture.clientSecret,
            ],
            environment: [:],
            homeDirectory: "/nonexistent")
        let client = try DatabricksClient(config: config, logger: Logger(label: "test"))
        #expect(client.authMethod.name == "oauth-m2m")
        _ = try await client.listCatalogs()
        _ = try await client.listWarehouses()
        // Discovery (2) + token (1) + two API calls: the token is cached.
        #expect(await client.requestCount() == 5)
    }

    @Test func wrongClientSecretIsUnauthenticated() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let config = try DatabricksConfig.resolve(
            explicit: [
                "host": fx.host, "client_id": EmulatorFixture.clientID, "client_secret": "wrong-secret",
            ],
            environment: [:], homeDirectory: "/nonexistent")
        let client = try DatabricksClient(config: config, logger: Logger(label: "test"))
        do {
            _ = try await client.listCatalogs()
            Issue.record("wrong client secret accepted")
        } catch let error as DatabricksError {
            #expect(error.kind == .unauthenticated)
            #expect(!error.description.contains("wrong-secret"))
        }
    }
}
