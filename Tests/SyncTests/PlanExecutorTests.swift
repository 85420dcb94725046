import Databricks
import Foundation
import LakegateCore
import Planner
import Store
import Sync
import TestSupport
import Testing

@Suite("Plan executor against the emulator")
struct PlanExecutorTests {
    @Test func aFailedActionSkipsItsDependentsButNotIndependentActions() async throws {
        let bench = try EmulatorBench()
        let inventory = try InventoryStore(stateDirectory: bench.state)
        let catalog = Resource(
            kind: .catalog, key: "catalogs.ok", name: "independent_cat", fields: ["name": "independent_cat"])
        let broken = PlanAction(
            type: .create, kind: .function, key: "functions.broken", name: "missing_cat.missing.f",
            operations: [.sql("CREATE FUNCTION `missing_cat`.`missing`.`f`() RETURNS STRING RETURN 'x'")])
        let dependent = PlanAction(
            type: .create, kind: .table, key: "tables.dependent", name: "missing_cat.missing.t",
            operations: [.sql("CREATE TABLE `missing_cat`.`missing`.`t` (`id` bigint)")],
            dependsOn: ["functions.broken"], wave: 1)
        let independent = PlanAction(
            type: .create, kind: .catalog, key: catalog.key, name: catalog.name, operations: [.create(catalog)],
            resource: catalog)
        let plan = Plan(product: "p", target: "dev", actions: [independent, broken, dependent])
        let performer = DatabricksPerformer(
            client: bench.client, warehouseID: "a1b2c3d4e5f60001", source: DirectoryFileSource(root: bench.product),
            product: "p", target: "dev")
        let report = await PlanExecutor(performer: performer, inventory: inventory).execute(plan)

        let status = Dictionary(uniqueKeysWithValues: report.results.map { ($0.key, $0.status) })
        #expect(status["catalogs.ok"] == .succeeded)
        if case .failed(let message) = status["functions.broken"] {
            #expect(message.contains("missing_cat") || message.lowercased().contains("not"))
        } else {
            Issue.record("functions.broken should fail, got \(String(describing: status["functions.broken"]))")
        }
        #expect(status["tables.dependent"] == .skipped(because: "functions.broken"))
        #expect(!report.succeeded)
        #expect(report.summary.contains("Apply failed: 1 failed, 1 skipped"))
        #expect(try inventory.entries(product: "p", target: "dev").map(\.key) == ["catalogs.ok"])
    }
}
