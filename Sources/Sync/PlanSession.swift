import Databricks
import Descriptors
import Foundation
import LakegateCore
import Logging
import Planner
import Store

/// One product, one target, one workspace: loads and renders the product, reads the inventory and the live
/// state, and plans. `lakegate plan` prints ``plan``; `lakegate apply` executes it with ``apply(concurrency:)``.
public struct PlanSession: Sendable {
    /// The rendered desired state.
    public let desired: DesiredState
    /// The inventory entries of this product and target when the plan was made.
    public let inventoryEntries: [InventoryEntry]
    /// The live snapshot the plan was made from.
    public let snapshot: LiveSnapshot
    /// The plan.
    public let plan: Plan
    /// The SQL warehouse for statements and tag queries: the configured one, else the first the workspace
    /// lists, discovered once when the session is made.
    public let warehouseID: String?
    let client: DatabricksClient
    let inventory: InventoryStore
    let source: any FileSource

    /// Loads, renders, reads and plans.
    ///
    /// - Throws: `DiagnosticList` for product errors, ``PlanError`` when the plan is refused, client and
    ///   inventory errors otherwise.
    public static func make(
        productDirectory: URL, target: String, stateDirectory: URL, config: DatabricksConfig, rules: PlanRules,
        logger: Logger
    ) async throws -> PlanSession {
        try await make(
            source: DirectoryFileSource(root: productDirectory), target: target, stateDirectory: stateDirectory,
            config: config, rules: rules, logger: logger)
    }

    /// Executes the plan against the workspace, recording ownership as it goes. The live state is the one the
    /// plan was made from: apply does not read it again.
    public func apply(
        concurrency: Int = 4, afterOperation: (@Sendable () -> Void)? = nil,
        beforeOperation: (@Sendable () -> Void)? = nil
    ) async -> ApplyReport {
        let performer = DatabricksPerformer(
            client: client, warehouseID: warehouseID, source: source, product: desired.product,
            target: desired.target, snapshot: snapshot)
        var executor = PlanExecutor(performer: performer, inventory: inventory, concurrency: concurrency)
        executor.afterOperation = afterOperation
        executor.beforeOperation = beforeOperation
        return await executor.execute(plan)
    }

    /// HTTP requests made so far by this session's client.
    public func requestCount() async -> Int {
        await client.requestCount()
    }
}
