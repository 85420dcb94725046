import Databricks
import Descriptors
import Foundation
import LakegateCore
import Logging
import Planner
import Store
import Sync
import TestSupport
import Testing

/// A session reads the workspace once: one warehouse discovery for the read and the apply, and adoption from the
/// snapshot the plan was made from.
@Suite struct PlanSessionTests {
    static func connector(_ emulator: InProcessEmulator) -> WorkspaceConnector {
        let transport = emulator.transport
        return WorkspaceConnector { config, logger in
            try DatabricksClient(config: config, transport: transport, logger: logger)
        }
    }

    @Test func theWarehouseIsDiscoveredOncePerSession() async throws {
        let emulator = try await InProcessEmulator()
        let directory = try TemporaryDirectory(prefix: "lakegate-session")
        defer { directory.remove() }
        let source = DirectoryFileSource(root: Paths.example("customer-360"))
        // No warehouse in the configuration: the session lists the warehouses itself.
        let config = DatabricksConfig(values: ["host": emulator.transport.baseURL, "token": InProcessEmulator.token])
        let inventory = try InventoryStore(stateDirectory: directory.url)
        func listings() async throws -> Int {
            try await emulator.requests().filter {
                $0["method"]?.stringValue == "GET" && $0["path"]?.stringValue == "/api/2.0/sql/warehouses"
            }.count
        }
        // The second session reads existing catalogs (tag queries need the warehouse) and applies again.
        for round in 1...2 {
            let before = try await listings()
            let session = try await PlanSession.make(
                product: try ProductLoader.load(source), source: source, target: "dev", inventory: inventory,
                config: config, connector: Self.connector(emulator), rules: PlanRules(), logger: Logger(label: "test"))
            #expect(session.warehouseID == InProcessEmulator.warehouseID)
            let report = await session.apply()
            #expect(report.succeeded, "\(report.summary)")
            #expect(try await listings() - before == 1, "round \(round)")
        }
    }

    @Test func anOwnedObjectInThePlansSnapshotIsAdoptedWithoutARead() async throws {
        let emulator = try await InProcessEmulator()
        let resource = Resource(kind: .catalog, key: "catalogs.c360", name: "c360_dev", fields: [:])
        let live = LiveResource(
            kind: .catalog, key: "catalogs.c360", name: "c360_dev", id: "c360_dev", fields: [:], ownedMarker: true)
        let performer = DatabricksPerformer(
            client: try emulator.client(), warehouseID: InProcessEmulator.warehouseID,
            source: DirectoryFileSource(root: Paths.example("customer-360")), product: "customer-360", target: "dev",
            snapshot: LiveSnapshot(resources: ["catalogs.c360": live]))
        let action = PlanAction(
            type: .create, kind: .catalog, key: "catalogs.c360", name: "c360_dev", resource: resource)
        #expect(await performer.ownedLiveID(of: action) == "c360_dev")
        #expect(try await emulator.requests().isEmpty)

        // Not in the snapshot (created since the plan): read, and not adopted without the markers.
        let unseen = DatabricksPerformer(
            client: try emulator.client(), warehouseID: InProcessEmulator.warehouseID,
            source: DirectoryFileSource(root: Paths.example("customer-360")), product: "customer-360", target: "dev",
            snapshot: LiveSnapshot())
        #expect(await unseen.ownedLiveID(of: action) == nil)
        #expect(try await !emulator.requests().isEmpty)
    }
}
