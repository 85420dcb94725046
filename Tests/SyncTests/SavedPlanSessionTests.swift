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

/// `lakegate apply FILE` through the in-process emulator: a saved plan applies exactly when nothing moved, and is
/// refused, naming what moved and applying nothing, when the product files, a live object or the host changed.
@Suite struct SavedPlanSessionTests {
    /// customer-360 copied to a temporary directory, a state directory and the emulator in process.
    struct Setup {
        let emulator: InProcessEmulator
        let directory: TemporaryDirectory
        var product: URL { directory.url.appendingPathComponent("product") }
        var state: URL { directory.url.appendingPathComponent("state") }

        init() async throws {
            emulator = try await InProcessEmulator()
            directory = try TemporaryDirectory(prefix: "lakegate-saved-plan")
            try FileManager.default.copyItem(at: Paths.example("customer-360"), to: product)
        }

        var connector: WorkspaceConnector {
            let transport = emulator.transport
            return WorkspaceConnector { config, logger in
                try DatabricksClient(config: config, transport: transport, logger: logger)
            }
        }

        static var logger: Logger {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return logger
        }

        /// `lakegate plan -out`: plans dev and saves it, as read back from its file.
        func save() async throws -> SavedPlan {
            let source = DirectoryFileSource(root: product)
            let session = try await PlanSession.make(
                product: try ProductLoader.load(source), source: source, target: "dev",
                inventory: try InventoryStore(stateDirectory: state), config: emulator.config, connector: connector,
                rules: PlanRules(), logger: Self.logger)
            let saved = session.saved(
                rules: PlanRules(), productDirectory: product, stateDirectory: state,
                host: emulator.config.host ?? "")
            return try SavedPlan.read(Data(saved.fileText.utf8), path: "dev.plan")
        }

        /// `lakegate apply FILE`'s check.
        func resume(_ saved: SavedPlan, config: DatabricksConfig? = nil) async throws -> PlanSession {
            try await PlanSession.resume(
                saved, path: "dev.plan", config: config ?? emulator.config, connector: connector, logger: Self.logger)
        }

        func writes() async throws -> Int {
            EmulatorRequestLog.writes(try await emulator.requests()).count
        }
    }

    @Test func aSavedPlanAppliesExactlyWhenNothingMoved() async throws {
        let setup = try await Setup()
        defer { setup.directory.remove() }
        let saved = try await setup.save()
        #expect(saved.plan["actions"]?.arrayValue?.isEmpty == false)
        let session = try await setup.resume(saved)
        #expect(session.plan.digest == saved.planDigest)
        #expect(try await setup.writes() == 0)
        let report = await session.apply()
        #expect(report.succeeded, "\(report.summary)")
        #expect(try await setup.writes() > 0)
        // Applied, the saved plan is stale: the workspace and the inventory moved.
        let error = await #expect(throws: SavedPlanError.self) { try await setup.resume(saved) }
        #expect(error?.changes.contains { $0.hasPrefix("inventory:") } == true)
    }

    @Test func aLiveObjectCreatedSinceThePlanRefusesItAndNothingIsApplied() async throws {
        let setup = try await Setup()
        defer { setup.directory.remove() }
        let saved = try await setup.save()
        let catalog = try #require(saved.desiredResources.keys.first { $0.hasPrefix("catalogs.") })
        #expect(saved.live[catalog] == SavedPlan.absent)
        _ = try await setup.emulator.client().call(
            "POST", "/api/2.1/unity-catalog/catalogs", body: ["name": "c360_dev", "comment": "made by hand"])
        let writes = try await setup.writes()
        let error = await #expect(throws: SavedPlanError.self) { try await setup.resume(saved) }
        #expect(error?.changes.contains("live \(catalog): created in the workspace since the plan") == true)
        #expect(error?.reason.contains("nothing was applied") == true)
        #expect(try await setup.writes() == writes)
    }

    @Test func aProductFileChangedSinceThePlanRefusesIt() async throws {
        let setup = try await Setup()
        defer { setup.directory.remove() }
        let saved = try await setup.save()
        let contract = setup.product.appendingPathComponent("contracts/customers.odcs.yaml")
        let text = try String(contentsOf: contract, encoding: .utf8)
        try text.replacingOccurrences(of: "name: phone\n", with: "name: phone_number\n").write(
            to: contract, atomically: true, encoding: .utf8)
        let dataproduct = setup.product.appendingPathComponent("dataproduct.yaml")
        try String(contentsOf: dataproduct, encoding: .utf8).replacingOccurrences(
            of: "- customers.phone\n", with: "- customers.phone_number\n"
        ).write(to: dataproduct, atomically: true, encoding: .utf8)
        let error = await #expect(throws: SavedPlanError.self) { try await setup.resume(saved) }
        #expect(
            error?.changes.contains { $0.hasPrefix("desired tables.") && $0.hasSuffix("changed in the product files") }
                == true, "\(String(describing: error))")
        #expect(try await setup.writes() == 0)
    }

    @Test func anotherWorkspaceIsRefusedBeforeAnythingIsRead() async throws {
        let setup = try await Setup()
        defer { setup.directory.remove() }
        let saved = try await setup.save()
        let other = try InProcessEmulator.config(host: "https://other.example", token: InProcessEmulator.token)
        let error = await #expect(throws: SavedPlanError.self) { try await setup.resume(saved, config: other) }
        #expect(error?.reason.contains("was made for workspace") == true)
    }
}
