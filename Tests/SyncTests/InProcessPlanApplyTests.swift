import Databricks
import Descriptors
import EmulatorKit
import Foundation
import LakegateCore
import Logging
import Planner
import Store
import Sync
import TestSupport
import Testing

/// A plan and an apply through the in-process emulator transport make the same plan, the same calls and the
/// same converged workspace as over HTTP.
@Suite struct InProcessPlanApplyTests {
    /// What one plan → apply → plan round left behind.
    struct Round: Equatable {
        var firstPlan: [String]
        var applied: Bool
        var secondPlan: [String]
        /// The emulator's request log, ids and times masked, sorted (the executor runs actions in parallel).
        var requests: [String]
    }

    /// Plans customer-360 for dev, applies it all and plans again, with `client` and a fresh state directory.
    static func round(client: DatabricksClient) async throws -> Round {
        let directory = try TemporaryDirectory(prefix: "lakegate-in-process")
        defer { directory.remove() }
        let source = DirectoryFileSource(root: Paths.example("customer-360"))
        let inventory = try InventoryStore(stateDirectory: directory.url.appendingPathComponent("state"))
        let desired = try ProductLoader.load(source).render(target: "dev")
        func plan() async throws -> Plan {
            let entries = try inventory.entries(product: desired.product, target: desired.target)
            let snapshot = await LiveStateReader(client: client).read(desired: desired, inventory: entries)
            return try Planner().plan(desired: desired, live: snapshot, inventory: entries)
        }
        let first = try await plan()
        let performer = DatabricksPerformer(
            client: client, warehouseID: InProcessEmulator.warehouseID, source: source, product: desired.product,
            target: desired.target)
        let report = await PlanExecutor(performer: performer, inventory: inventory).execute(first)
        let second = try await plan()
        let log = try await client.call("GET", "/_emulator/requests")["requests"]?.arrayValue ?? []
        return Round(
            firstPlan: first.actions.map { "\($0.type) \($0.key)" }, applied: report.succeeded,
            secondPlan: second.actions.map { "\($0.type) \($0.key)" },
            requests: log.map { masked($0.canonicalJSON) }.sorted())
    }

    static func masked(_ text: String) -> String {
        text.replacingOccurrences(
            of: "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", with: "<uuid>",
            options: .regularExpression)
    }

    @Test func planAndApplyMatchTheRunOverHTTP() async throws {
        let emulator = try await InProcessEmulator()
        let inProcess = try await Self.round(client: try emulator.client())

        let process = try EmulatorProcess.start(arguments: ["--token", InProcessEmulator.token])
        defer { process.stop() }
        let host = process.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let http = try await Self.round(
            client: try DatabricksClient(
                config: try InProcessEmulator.config(host: host, token: InProcessEmulator.token),
                logger: Logger(label: "test")))

        #expect(!inProcess.firstPlan.isEmpty)
        #expect(inProcess.applied)
        #expect(inProcess.secondPlan.isEmpty, "\(inProcess.secondPlan)")
        #expect(inProcess.firstPlan == http.firstPlan)
        #expect(inProcess.applied == http.applied)
        #expect(inProcess.secondPlan == http.secondPlan)
        #expect(inProcess.requests.count == http.requests.count)
        #expect(Set(inProcess.requests).symmetricDifference(http.requests).isEmpty)
    }

    @Test func aWorkspaceThatFailsEveryCallPlansNothingInProcess() async throws {
        let emulator = try await InProcessEmulator()
        let client = try emulator.client(retryPolicy: RetryPolicy(budget: 0.5, maxJitter: 0.01, maxAttempts: 2))
        let source = DirectoryFileSource(root: Paths.example("customer-360"))
        let desired = try ProductLoader.load(source).render(target: "dev")
        try await emulator.setFaults(["error_rate": 1.0])
        let snapshot = await LiveStateReader(client: client).read(desired: desired, inventory: [])
        #expect(!snapshot.complete)
        #expect(snapshot.absent.isEmpty)
        let plan = try Planner().plan(desired: desired, live: snapshot, inventory: [])
        #expect(plan.actions.isEmpty)
        #expect(plan.warnings.contains { $0.contains("incomplete") })
        #expect(try await emulator.requests().allSatisfy { $0["status"] == 503 })
    }
}
