import Databricks
import Foundation
import LakegateCore
import Synchronization
import Testing

/// Two products in one catalog, read as the controller reads them in one pass: the catalog, its schema listing
/// and its five tag views are read once for both; each product's own reads are still made. Requests are counted
/// from the emulator's own request log.
@Suite struct SharedReadsTests {
    let base = LiveStateReaderTests()

    /// c360 (LiveStateReaderTests' objects) and billing: its own schema and table in the same catalog c360_dev.
    func populate(_ fx: EmulatorFixture) async throws {
        try await base.populate(fx)
        _ = try await fx.client.createSchema(["name": "billing", "catalog_name": "c360_dev", "comment": "Billing"])
        try await fx.sql("CREATE TABLE c360_dev.billing.invoices (id BIGINT) COMMENT 'invoices'")
        let markers = "'lakegate.product' = 'billing', 'lakegate.target' = 'dev'"
        for (key, value) in [("lakegate.product", "billing"), ("lakegate.target", "dev")] {
            _ = try await fx.client.createTagAssignment(
                entityType: "schemas", entityName: "c360_dev.billing", key: key, value: value)
        }
        try await fx.sql("ALTER TABLE c360_dev.billing.invoices SET TAGS (\(markers))")
    }

    var billing: DesiredState {
        DesiredState(
            product: "billing", target: "dev",
            resources: [
                Resource(kind: .schema, key: "schemas.billing", name: "c360_dev.billing", fields: [:]),
                Resource(kind: .table, key: "tables.invoices", name: "c360_dev.billing.invoices", fields: [:]),
            ])
    }

    func requestLog(_ fx: EmulatorFixture) async throws -> [JSONValue] {
        try await fx.client.call("GET", "/_emulator/requests")["requests"]?.arrayValue ?? []
    }

    /// Both products read at once (as a pass with concurrency runs them), with `shared` or without; the snapshots
    /// and the requests made, as `METHOD path` or `SQL statement`.
    func readBoth(_ fx: EmulatorFixture, shared: SharedReads?) async throws -> (LiveSnapshot, LiveSnapshot, [String]) {
        let before = try await requestLog(fx).count
        async let c360 = LiveStateReader(client: fx.client, shared: shared).read(desired: base.desired, inventory: [])
        async let billing = LiveStateReader(client: fx.client, shared: shared).read(desired: billing, inventory: [])
        let snapshots = await (c360, billing)
        let requests = try await requestLog(fx).dropFirst(before).map { request in
            request["statement"]?.stringValue.map { "SQL " + $0 }
                ?? "\(request["method"]?.stringValue ?? "") \(request["path"]?.stringValue ?? "")"
        }
        return (snapshots.0, snapshots.1, requests)
    }

    @Test func productsInOneCatalogReadItsTagViewsAndListingsOnce() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        try await populate(fx)
        let (c360Alone, billingAlone, unshared) = try await readBoth(fx, shared: nil)
        #expect(c360Alone.complete && billingAlone.complete, "\(c360Alone.failures) \(billingAlone.failures)")
        #expect(billingAlone.resources["tables.invoices"]?.ownedMarker == true)
        #expect(c360Alone.resources["tables.customers"]?.ownedMarker == true)

        let shared = SharedReads()
        let (c360, billing, sharedRequests) = try await readBoth(fx, shared: shared)
        #expect(c360 == c360Alone)
        #expect(billing == billingAlone)

        func count(_ requests: [String], _ prefix: String) -> Int { requests.filter { $0.hasPrefix(prefix) }.count }
        // Without sharing each product reads the catalog, lists its schemas and runs the five tag statements.
        #expect(count(unshared, "SQL SELECT * FROM c360_dev.information_schema.") == 10)
        #expect(count(unshared, "GET /api/2.1/unity-catalog/catalogs/c360_dev") == 2)
        #expect(count(unshared, "GET /api/2.1/unity-catalog/schemas") == 2)
        // Shared: once per catalog for both; each schema's table listing once (one product each here).
        #expect(count(sharedRequests, "SQL SELECT * FROM c360_dev.information_schema.") == 5, "\(sharedRequests)")
        for view in ["catalog_tags", "schema_tags", "table_tags", "column_tags", "volume_tags"] {
            #expect(count(sharedRequests, "SQL SELECT * FROM c360_dev.information_schema.\(view)") == 1)
        }
        #expect(count(sharedRequests, "GET /api/2.1/unity-catalog/catalogs/c360_dev") == 1)
        #expect(count(sharedRequests, "GET /api/2.1/unity-catalog/schemas") == 1)
        #expect(sharedRequests.count == unshared.count - 7, "\(sharedRequests)\n\(unshared)")
        // The catalog, its schema listing and the five tag views: read by one product, answered to the other.
        #expect(await shared.counts().shared == 7)

        // A third read in the same pass makes no request for the catalog at all.
        let before = try await requestLog(fx).count
        let again = await LiveStateReader(client: fx.client, shared: shared).read(desired: self.billing, inventory: [])
        let third = try await requestLog(fx).dropFirst(before)
        #expect(again == billingAlone)
        #expect(third.isEmpty, "\(third)")
    }

    @Test func aWriteInvalidatesWhatThePassHadRead() async throws {
        let fx = try EmulatorFixture()
        defer { fx.stop() }
        try await populate(fx)
        let shared = SharedReads()
        let first = await LiveStateReader(client: fx.client, shared: shared).read(desired: billing, inventory: [])
        #expect(first.resources["tables.invoices"]?.fields["tags"]?["cost_center"] == nil)
        try await fx.sql("ALTER TABLE c360_dev.billing.invoices SET TAGS ('cost_center' = 'cc-7')")
        // Without invalidation the pass still answers from its first read (so the controller must invalidate).
        let stale = await LiveStateReader(client: fx.client, shared: shared).read(desired: billing, inventory: [])
        #expect(stale == first)
        await shared.invalidate()
        let fresh = await LiveStateReader(client: fx.client, shared: shared).read(desired: billing, inventory: [])
        #expect(fresh.resources["tables.invoices"]?.fields["tags"]?["cost_center"] == "cc-7")
    }

    @Test func aFailedSharedReadFailsEveryProductThatNeededIt() async throws {
        let fx = try EmulatorFixture(retry: RetryPolicy(budget: 0.3, maxJitter: 0.01))
        defer { fx.stop() }
        try await populate(fx)
        try await fx.setFaults(["error_rate": 1.0])
        let (c360, billing, _) = try await readBoth(fx, shared: SharedReads())
        for snapshot in [c360, billing] {
            #expect(!snapshot.complete)
            #expect(!snapshot.failures.isEmpty)
            #expect(snapshot.absent.isEmpty, "a failed shared read is never 'absent'")
            #expect(snapshot.resources.isEmpty)
        }
    }

    @Test func aCancelledReaderCancelsTheRequestItWaitsFor() async throws {
        let shared = SharedReads()
        let cancelled = Mutex(false)
        let reader = Task {
            try await shared.value("catalog hanging") {
                // A workspace that does not answer for 30 s: serve's shutdown must not wait for it.
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    cancelled.withLock { $0 = true }
                    throw error
                }
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        reader.cancel()
        await #expect(throws: CancellationError.self) { try await reader.value }
        #expect(cancelled.withLock { $0 }, "the shared request was cancelled, not run to its end")
    }
}
