import Databricks
import Foundation
import GitSource
import LakegateCore
import Logging
import Planner
import Store
import Sync

/// The plan an approval would trigger: the release commit planned against the target's workspace.
public enum ApprovalPlan {
    /// One line: the plan summary, or why the workspace could not be planned against.
    ///
    /// - Parameter inventory: opens the inventory the plan is made with (the state directory's, or shared
    ///   PostgreSQL state's).
    public static func summary(
        location: ProductLocation, commit: ObjectID, target: String,
        inventory: @escaping @Sendable () throws -> InventoryStore, explicit: [String: String]
    ) async -> String {
        let config: DatabricksConfig
        do {
            config = try DatabricksConfig.resolve(explicit: explicit)
        } catch {
            return "not available: no workspace configured (\(error))"
        }
        do {
            let source = try await Blocking.run {
                try GitTreeFileSource(repositoryPath: location.workTree, revision: commit.hex, prefix: location.prefix)
            }
            var logger = Logger(label: "lakegate.approve")
            logger.logLevel = .critical
            let inventory = try await Blocking.run { try inventory() }
            let session = try await PlanSession.make(
                source: source, target: target, inventory: inventory, config: config, rules: PlanRules(),
                logger: logger)
            return "\(session.plan.summary.line) (workspace \(config.values["host"] ?? "?"))"
        } catch {
            return "not available: workspace not reachable or plan refused: \(error)"
        }
    }
}
