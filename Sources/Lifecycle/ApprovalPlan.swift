import Databricks
import Foundation
import GitSource
import LakegateCore
import Logging
import Planner
import Sync

/// The plan an approval would trigger: the release commit planned against the target's workspace.
public enum ApprovalPlan {
    /// One line: the plan summary, or why the workspace could not be planned against.
    public static func summary(
        location: ProductLocation, commit: ObjectID, target: String, stateDirectory: URL,
        explicit: [String: String]
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
            let session = try await PlanSession.make(
                source: source, target: target, stateDirectory: stateDirectory, config: config, rules: PlanRules(),
                logger: logger)
            return "\(session.plan.summary.line) (workspace \(config.values["host"] ?? "?"))"
        } catch {
            return "not available: workspace not reachable or plan refused: \(error)"
        }
    }
}
