import Databricks
import Descriptors
import Foundation
import LakegateCore
import Logging
import Planner
import Store

extension PlanSession {
    /// Loads, renders, reads and plans a product read from any file source (a git tree at a commit), with the
    /// inventory of the state database in `stateDirectory`.
    public static func make(
        source: any FileSource, target: String, stateDirectory: URL, config: DatabricksConfig, rules: PlanRules,
        logger: Logger
    ) async throws -> PlanSession {
        try await make(
            source: source, target: target, inventory: try InventoryStore(stateDirectory: stateDirectory),
            config: config, rules: rules, logger: logger)
    }

    /// Loads, renders, reads and plans with an open inventory (the controller's state store).
    public static func make(
        source: any FileSource, target: String, inventory: InventoryStore, config: DatabricksConfig,
        rules: PlanRules, logger: Logger, observer: (@Sendable (_ group: String, _ status: Int) -> Void)? = nil
    ) async throws -> PlanSession {
        let desired = try ProductLoader.load(source).render(target: target)
        let entries = try inventory.entries(product: desired.product, target: desired.target)
        let client = try DatabricksClient(config: config, logger: logger, observer: observer)
        let snapshot = await LiveStateReader(client: client).read(desired: desired, inventory: entries)
        let plan = try Planner(rules: rules).plan(desired: desired, live: snapshot, inventory: entries)
        return PlanSession(
            desired: desired, inventoryEntries: entries, snapshot: snapshot, plan: plan, client: client,
            inventory: inventory, source: source)
    }
}

extension PlanSession {
    /// The same session with `plan` in place of the planned one (the controller drops deletes when prune is off).
    public func replacingPlan(_ plan: Plan) -> PlanSession {
        PlanSession(
            desired: desired, inventoryEntries: inventoryEntries, snapshot: snapshot, plan: plan, client: client,
            inventory: inventory, source: source)
    }
}
