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
        let inventory = try await Blocking.run { try InventoryStore(stateDirectory: stateDirectory) }
        return try await make(
            source: source, target: target, inventory: inventory, config: config, rules: rules, logger: logger)
    }

    /// Loads, renders, reads and plans with an open inventory (the controller's state store).
    public static func make(
        source: any FileSource, target: String, inventory: InventoryStore, config: DatabricksConfig,
        rules: PlanRules, logger: Logger
    ) async throws -> PlanSession {
        try await make(
            product: try ProductLoader.load(source), source: source, target: target, inventory: inventory,
            config: config, rules: rules, logger: logger)
    }

    /// Renders, reads and plans a product already loaded from `source` (the controller loads it once per
    /// reconcile); `source` supplies the notebook contents at apply. `shared` holds the reads this pass already
    /// made for other products of the workspace (the controller's; nil reads everything).
    public static func make(
        product: Product, source: any FileSource, target: String, inventory: InventoryStore, config: DatabricksConfig,
        connector: WorkspaceConnector = .curl, rules: PlanRules, logger: Logger,
        observer: WorkspaceConnector.Observer? = nil, shared: SharedReads? = nil
    ) async throws -> PlanSession {
        let desired = try product.render(target: target)
        let (entries, lastApplied) = try await Blocking.run {
            (
                try inventory.entries(product: desired.product, target: desired.target),
                try inventory.lastApplied(product: desired.product, target: desired.target)
            )
        }
        let client = try connector.client(config: config, logger: logger, observer: observer)
        // Once per session, for the reader's tag queries and the apply's statements alike. A failed listing
        // leaves it nil: the reader then records the failure and the apply refuses SQL.
        var warehouseID = config.warehouseID
        if warehouseID == nil {
            let listWarehouses: @Sendable () async throws -> [JSONValue] = { try await client.listWarehouses() }
            let warehouses =
                if let shared { try? await shared.value("warehouses", listWarehouses) } else {
                    try? await listWarehouses()
                }
            warehouseID = warehouses?.first?["id"]?.stringValue
        }
        // Only a complete read may be planned: a failed read throws rather than look like "no changes".
        let snapshot = try await LiveStateReader(client: client, warehouseID: warehouseID, shared: shared).readComplete(
            desired: desired, inventory: entries)
        let plan = try Planner(rules: rules).plan(
            desired: desired, live: snapshot, inventory: entries, lastApplied: lastApplied)
        return PlanSession(
            desired: desired, inventoryEntries: entries, snapshot: snapshot, plan: plan, warehouseID: warehouseID,
            client: client, inventory: inventory, source: source)
    }
}
