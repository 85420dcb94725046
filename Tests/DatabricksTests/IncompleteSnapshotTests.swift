import CurlHTTP
import Databricks
import Foundation
import LakegateCore
import Logging
import Testing

/// A read that fails after its retries makes the snapshot incomplete, and `readComplete` refuses it with the
/// endpoint and the status: 401, 403, a missing parent, 5xx, a truncated page, an unreachable workspace.
@Suite struct IncompleteSnapshotTests {
    static let desired = DesiredState(
        product: "c360", target: "dev",
        resources: [
            Resource(kind: .catalog, key: "catalogs.main", name: "c360_dev", fields: [:]),
            Resource(kind: .schema, key: "schemas.crm", name: "c360_dev.crm", fields: [:]),
            Resource(kind: .table, key: "tables.customers", name: "c360_dev.crm.customers", fields: [:]),
            Resource(kind: .job, key: "jobs.nightly", name: "c360 nightly", fields: [:]),
            Resource(kind: .recipient, key: "recipients.partner", name: "c360_partner", fields: [:]),
        ])

    func populate(_ fx: EmulatorFixture) async throws {
        _ = try await fx.client.createCatalog(["name": "c360_dev"])
        _ = try await fx.client.createSchema(["name": "crm", "catalog_name": "c360_dev"])
        try await fx.sql("CREATE TABLE c360_dev.crm.customers (id BIGINT)")
    }

    /// The error `readComplete` throws; fails the test when it returns.
    func refusal(_ client: DatabricksClient, _ desired: DesiredState = Self.desired) async throws
        -> IncompleteSnapshotError
    {
        do {
            let snapshot = try await LiveStateReader(client: client).readComplete(desired: desired, inventory: [])
            Issue.record("expected an incomplete snapshot, got \(snapshot.resources.count) resources")
            throw CancellationError()
        } catch let error as IncompleteSnapshotError {
            return error
        }
    }

    @Test func aCompleteReadIsReturned() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        try await populate(fx)
        let snapshot = try await LiveStateReader(client: fx.client).readComplete(
            desired: Self.desired, inventory: [])
        #expect(snapshot.complete)
        #expect(snapshot.absent == ["jobs.nightly", "recipients.partner"])
    }

    @Test("a wrong token: every read is refused with 401, and the error names endpoint and status, not the token")
    func wrongTokenIsUnauthenticated() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        try await populate(fx)
        let config = try DatabricksConfig.resolve(
            explicit: ["host": fx.host, "token": "dapi-wrong-token-999", "warehouse_id": EmulatorFixture.warehouse],
            environment: [:], homeDirectory: "/nonexistent")
        let client = try DatabricksClient(
            config: config, retryPolicy: RetryPolicy(budget: 5, maxJitter: 0.01), logger: Logger(label: "test"))
        let error = try await refusal(client)
        #expect(!error.failures.isEmpty)
        #expect(error.failures.allSatisfy { $0.reason == "unauthenticated" }, "\(error)")
        #expect(error.reason == "unauthenticated")
        let text = "\(error)"
        #expect(text.contains("HTTP 401"))
        #expect(text.contains("GET /api/2.1/unity-catalog/catalogs/c360_dev"))
        #expect(text.contains("could not be read completely, so nothing was planned"))
        #expect(!text.contains("dapi-wrong-token-999"))
    }

    @Test(
        "one endpoint failing is enough: 403, 500 and a truncated page each refuse the snapshot",
        arguments: [
            (["path_prefix": "/api/2.1/unity-catalog/tables", "status": 403], "permissionDenied", "HTTP 403"),
            (["path_prefix": "/api/2.2/jobs/list", "status": 500], "internalError", "HTTP 500"),
            (["path_prefix": "/api/2.1/unity-catalog/recipients", "status": 500], "internalError", "HTTP 500"),
            (["path_prefix": "/api/2.1/unity-catalog/schemas", "truncated": true], "invalidResponse", "not JSON"),
        ] as [(JSONValue, String, String)])
    func oneFailingEndpointRefusesTheSnapshot(fault: JSONValue, reason: String, words: String) async throws {
        let fx = try EmulatorFixture(retry: RetryPolicy(budget: 2, maxJitter: 0.01))
        defer { fx.stop() }
        try await populate(fx)
        try await fx.setFaults(["paths": [fault]])
        let error = try await refusal(fx.client)
        #expect(error.failures.count == 1, "\(error)")
        #expect(error.reason == reason, "\(error)")
        #expect("\(error)".contains(fault["path_prefix"]?.stringValue ?? "?"))
        #expect("\(error)".contains(words), "\(error)")
        // The non-throwing read keeps the same failure in the snapshot, and never calls the object absent.
        let snapshot = await LiveStateReader(client: fx.client).read(desired: Self.desired, inventory: [])
        #expect(!snapshot.complete)
        #expect(!snapshot.absent.contains("tables.customers"))
    }

    @Test("a 503 that lasts longer than the retry budget refuses the snapshot, saying the budget ran out")
    func unavailableAfterRetries() async throws {
        let fx = try EmulatorFixture(retry: RetryPolicy(budget: 1.5, maxJitter: 0.01))
        defer { fx.stop() }
        try await populate(fx)
        try await fx.setFaults(["paths": [["path_prefix": "/api/2.1/unity-catalog/catalogs", "status": 503]]])
        let error = try await refusal(fx.client)
        #expect(error.reason == "unavailable", "\(error)")
        #expect("\(error)".contains("retry budget"), "\(error)")
    }

    @Test("a catalog the product builds in but neither creates nor finds is a failed read, not a plan of creates")
    func missingParentIsIncomplete() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        let desired = DesiredState(
            product: "c360", target: "dev",
            resources: [
                Resource(kind: .table, key: "tables.t", name: "nocat.crm.t", fields: [:]),
                Resource(kind: .volume, key: "volumes.v", name: "nocat.crm.v", fields: [:]),
            ])
        let error = try await refusal(fx.client, desired)
        #expect(error.failures.count == 1, "\(error)")
        #expect("\(error)".contains("catalog nocat, needed by tables.t"), "\(error)")
        #expect(error.reason == "notFound")

        // A schema missing from an existing catalog that the product does not create: the same.
        _ = try await fx.client.createCatalog(["name": "nocat"])
        let schemaError = try await refusal(fx.client, desired)
        #expect("\(schemaError)".contains("schema nocat.crm, needed by tables.t"), "\(schemaError)")

        // Created by the product: absent parents are a plan of creates.
        var creating = desired
        creating.resources.append(Resource(kind: .schema, key: "schemas.crm", name: "nocat.crm", fields: [:]))
        let snapshot = try await LiveStateReader(client: fx.client).readComplete(desired: creating, inventory: [])
        #expect(snapshot.absent == ["tables.t", "volumes.v", "schemas.crm"])
    }

    @Test("an unreachable workspace refuses the snapshot as a timeout")
    func unreachableWorkspace() async throws {
        let config = try DatabricksConfig.resolve(
            explicit: ["host": "http://127.0.0.1:9", "token": "t", "warehouse_id": "w"], environment: [:],
            homeDirectory: "/nonexistent")
        let client = try DatabricksClient(
            config: config, transport: CurlTransportConfiguration(connectTimeout: 1),
            retryPolicy: RetryPolicy(budget: 1, maxJitter: 0.01), logger: Logger(label: "test"))
        let error = try await refusal(client)
        #expect(error.reason == "timeout", "\(error)")
    }
}
