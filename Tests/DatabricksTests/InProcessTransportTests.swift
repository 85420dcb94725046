import CurlHTTP
import Databricks
import EmulatorKit
import Foundation
import LakegateCore
import Logging
import TestSupport
import Testing

/// The in-process emulator transport answers as `lakegate-emulator` does over HTTP: the same responses, the
/// same errors, the same request log, faults and OAuth included.
@Suite struct InProcessTransportTests {
    /// A fixed conversation with a workspace: every answer (or error) in order, with generated ids and times
    /// masked.
    static func conversation(_ fx: EmulatorFixture) async throws -> [JSONValue] {
        let client = fx.client
        var answers: [JSONValue] = []
        func record(_ step: () async throws -> JSONValue) async {
            do {
                answers.append(normalized(try await step()))
            } catch let error as DatabricksError {
                answers.append([
                    "error": .string(error.kind.rawValue), "status": .int(Int64(error.status)),
                    "message": .string(error.message), "attempts": .int(Int64(error.attempts)),
                ])
            } catch {
                answers.append(["unexpected": .string("\(error)")])
            }
        }
        await record {
            try await client.createCatalog(["name": "Sales", "comment": "c", "properties": ["k": "v"]]).json
        }
        await record { try await client.createCatalog(["name": "sales"]).json }
        await record { try await client.getCatalog("sales") }
        await record { try await client.getCatalog("no such") }
        await record { try await client.createSchema(["name": "crm", "catalog_name": "sales"]).json }
        await record {
            try await client.call(
                "POST", "/api/2.0/sql/statements",
                body: [
                    "warehouse_id": .string(EmulatorFixture.warehouse), "wait_timeout": "10s",
                    "statement": "CREATE TABLE sales.crm.people (id BIGINT NOT NULL COMMENT 'key', email STRING)",
                ])
        }
        await record {
            try await client.call(
                "POST", "/api/2.0/sql/statements",
                body: ["warehouse_id": .string(EmulatorFixture.warehouse), "statement": "SELEC nonsense"])
        }
        await record { .array(try await client.listTables(catalog: "sales", schema: "crm", maxResults: 1)) }
        await record {
            try await client.updateGrants(
                securableType: "table", fullName: "sales.crm.people",
                changes: [["principal": "analysts", "add": ["SELECT"]]])
        }
        await record { .array(try await client.getGrants(securableType: "table", fullName: "sales.crm.people")) }
        await record { .int(try await client.createJob(["name": "nightly", "tasks": []])) }
        await record { .array(try await client.listJobs(name: "nightly")) }
        await record { try await client.call("PATCH", "/api/2.1/unity-catalog/catalogs/sales", body: ["comment": 5]) }
        await record { try await client.call("GET", "/api/2.1/unity-catalog/nowhere", query: [("a", "x y&z")]) }
        await record { try await client.currentUser() }
        await record { .array(try await client.listWarehouses()) }
        await record {
            try await client.deleteSchema("sales.crm", force: true)
            return .null
        }
        answers.append(.array(try await fx.requests()))
        return answers
    }

    /// `value` with UUIDs and timestamps replaced by placeholders.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(
                [String: JSONValue](
                    uniqueKeysWithValues: members.map { key, member in
                        let isTime = key.hasSuffix("_at") || key.hasSuffix("_time") || key.hasSuffix("timestamp")
                        return (key, isTime ? "<time>" : normalized(member))
                    }))
        case .array(let items):
            return .array(items.map(normalized))
        case .string(let text):
            return .string(
                text.replacingOccurrences(
                    of: "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", with: "<uuid>",
                    options: .regularExpression))
        default:
            return value
        }
    }

    @Test func answersAndRequestLogAreTheSameAsOverHTTP() async throws {
        let http = try await EmulatorFixture.make(.http)
        defer { http.stop() }
        let inProcess = try await EmulatorFixture.make(.inProcess)
        let overHTTP = try await Self.conversation(http)
        let overCall = try await Self.conversation(inProcess)
        #expect(overHTTP.count == overCall.count)
        for (index, (expected, actual)) in zip(overHTTP, overCall).enumerated() {
            #expect(actual == expected, "step \(index)")
        }
        // The conversation did reach the workspace: creates, errors and the log are real.
        #expect(overCall[0]["name"] == "sales")
        #expect(overCall[1]["error"] == "alreadyExists")
        #expect(overCall[3]["status"] == 404)
        #expect((overCall.last?.arrayValue?.count ?? 0) >= 17)
    }

    @Test func theLiveStateReaderReadsTheSameSnapshotAsOverHTTP() async throws {
        let workspace = LiveStateReaderTests()
        var snapshots: [LiveSnapshot] = []
        var logs: [[JSONValue]] = []
        for mode in EmulatorFixture.Mode.allCases {
            let fx = try await EmulatorFixture.make(mode)
            defer { fx.stop() }
            try await workspace.populate(fx)
            snapshots.append(await LiveStateReader(client: fx.client).read(desired: workspace.desired, inventory: []))
            logs.append(try await fx.requests().map(Self.normalized))
        }
        #expect(snapshots[0].complete)
        #expect(snapshots[0].resources["tables.customers"] != nil)
        // Object ids are generated UUIDs; everything else is the same.
        let withoutIDs = snapshots.map { snapshot in
            var snapshot = snapshot
            snapshot.resources = snapshot.resources.mapValues { resource in
                var resource = resource
                resource.id = Self.normalized(.string(resource.id)).stringValue ?? ""
                return resource
            }
            return snapshot
        }
        #expect(withoutIDs[1] == withoutIDs[0])
        // The reader runs its reads concurrently, so only the set of requests is fixed.
        #expect(Set(logs[1].map(\.canonicalJSON)) == Set(logs[0].map(\.canonicalJSON)))
        #expect(logs[1].count == logs[0].count)
    }

    @Test(arguments: EmulatorFixture.Mode.allCases)
    func injectedUnavailabilityIsRetriedAndLogged(mode: EmulatorFixture.Mode) async throws {
        let fx = try await EmulatorFixture.make(
            mode, faults: FaultSettings(errorRate: 1),
            retry: RetryPolicy(budget: 300, maxJitter: 0.01, maxAttempts: 2))
        defer { fx.stop() }
        await #expect {
            _ = try await fx.client.listCatalogs()
        } throws: { error in
            let error = error as? DatabricksError
            return error?.kind == .unavailable && error?.status == 503 && error?.attempts == 2
        }
        #expect(await fx.client.requestCount() == 2)
        let log = try await fx.requests()
        #expect(log.map { $0["status"] } == [503, 503])
    }

    @Test func injectedLatencyDelaysEveryAPICallInProcess() async throws {
        let fx = try await EmulatorFixture.make(.inProcess)
        try await fx.client.call("POST", "/_emulator/faults", body: ["latency_ms": 300])
        let started = ContinuousClock.now
        _ = try await fx.client.listCatalogs()
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(try await fx.client.call("GET", "/_emulator/faults")["latency_ms"] == 300)
    }

    @Test(arguments: EmulatorFixture.Mode.allCases)
    func aWrongTokenIsUnauthenticated(mode: EmulatorFixture.Mode) async throws {
        let fx = try await EmulatorFixture.make(mode)
        defer { fx.stop() }
        let config = try InProcessEmulator.config(host: fx.host, token: "dapi-wrong-token")
        let client = try DatabricksClient(config: config, transport: fx.client.transport, logger: Logger(label: "t"))
        await #expect {
            _ = try await client.listCatalogs()
        } throws: { error in
            let error = error as? DatabricksError
            return error?.kind == .unauthenticated && error?.status == 401
        }
        #expect(try await fx.requests().map { $0["status"] } == [401])
    }

    @Test(arguments: EmulatorFixture.Mode.allCases)
    func oauthMachineToMachineDiscoversAndExchangesTheSameWay(mode: EmulatorFixture.Mode) async throws {
        let fx = try await EmulatorFixture.make(mode)
        defer { fx.stop() }
        let config = try DatabricksConfig.resolve(
            explicit: [
                "host": fx.host, "client_id": EmulatorFixture.clientID, "client_secret": EmulatorFixture.clientSecret,
            ], environment: [:], homeDirectory: "/nonexistent")
        let client = try DatabricksClient(config: config, transport: fx.client.transport, logger: Logger(label: "t"))
        #expect(try await client.listCatalogs().isEmpty)
        let log = try await fx.requests().map { "\($0["method"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "")" }
        #expect(
            log == [
                "GET /.well-known/databricks-config", "GET /oidc/.well-known/oauth-authorization-server",
                "POST /oidc/v1/token", "GET /api/2.1/unity-catalog/catalogs",
            ])
    }

    @Test func aURLOutsideTheEmulatorFailsAsAnUnreachableHost() async throws {
        let emulator = try await InProcessEmulator()
        for url in ["http://elsewhere.example/api/2.1/unity-catalog/catalogs", emulator.transport.baseURL + ".evil/x"] {
            await #expect {
                _ = try await emulator.transport.send(HTTPRequest(method: "GET", url: url))
            } throws: { error in
                (error as? CurlTransportError)?.isConnectionError == true
            }
        }
        let config = try InProcessEmulator.config(host: "http://elsewhere.example", token: InProcessEmulator.token)
        let client = try emulator.client(config: config, retryPolicy: RetryPolicy(maxAttempts: 1))
        await #expect {
            _ = try await client.listCatalogs()
        } throws: { error in
            (error as? DatabricksError)?.kind == .connectionFailed
        }
        #expect(try await emulator.requests().isEmpty)
    }

    @Test func connectionErrorsAreRetriedWithinTheBudgetAndOthersAreNot() async throws {
        let emulator = try await InProcessEmulator()
        let retry = RetryPolicy(budget: 300, maxJitter: 0.01, maxBackoff: 0.05)
        let flaky = FlakyTransport(emulator.transport, failures: 2)
        let client = try DatabricksClient(
            config: emulator.config, transport: flaky, retryPolicy: retry, logger: Logger(label: "t"))
        #expect(try await client.listCatalogs().isEmpty)
        #expect(await client.requestCount() == 3)
        #expect(try await emulator.requests().count == 1)

        let broken = FlakyTransport(emulator.transport, failures: 1, code: 60)
        let refused = try DatabricksClient(
            config: emulator.config, transport: broken, retryPolicy: retry, logger: Logger(label: "t"))
        await #expect {
            _ = try await refused.listCatalogs()
        } throws: { error in
            let error = error as? DatabricksError
            return error?.kind == .connectionFailed && error?.attempts == 1
        }
        #expect(broken.requestCount == 1)
    }

    @Test func pathsAndQueriesArriveAsAnHTTPServerReceivesThem() async throws {
        let emulator = try await InProcessEmulator()
        let client = try emulator.client()
        _ = try await client.createCatalog(["name": "c"])
        _ = try await client.createSchema(["name": "s", "catalog_name": "c"])
        await #expect(throws: DatabricksError.self) { try await client.getSchema("c.no such#1") }
        _ = try await client.listTables(catalog: "c", schema: "s", maxResults: 5)
        let log = try await emulator.requests()
        #expect(log[2]["path"] == "/api/2.1/unity-catalog/schemas/c.no such#1")
        #expect(log[2]["status"] == 404)
        #expect(log[3]["query"] == "catalog_name=c&schema_name=s&max_results=5")
    }

    @Test func secretsOfTheConfigurationAreRegisteredWithTheTransportRedactor() async throws {
        let emulator = try await InProcessEmulator()
        _ = try emulator.client()
        #expect(emulator.transport.redactor.text("Bearer \(InProcessEmulator.token)") == "Bearer <redacted>")
    }
}

extension CreateOutcome {
    /// The created object, or the error of a retried create, as one JSON value to compare.
    var json: JSONValue {
        switch self {
        case .created(let value): value
        case .alreadyExistsAfterRetry(let error): ["alreadyExistsAfterRetry": .string(error.message)]
        }
    }
}
