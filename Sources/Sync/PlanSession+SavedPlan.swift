import Databricks
import Descriptors
import Foundation
import LakegateCore
import Logging
import Planner
import Store

extension PlanSession {
    /// This session's plan in the form `lakegate plan -out FILE` writes: with the desired state, the live
    /// fingerprints and the inventory it was made from.
    public func saved(
        rules: PlanRules, productDirectory: URL, stateDirectory: URL, host: String, now: Date = Date()
    ) -> SavedPlan {
        SavedPlan(
            plan: plan, desired: desired, snapshot: snapshot, inventory: inventoryEntries, rules: rules,
            productDirectory: productDirectory.standardizedFileURL.path,
            stateDirectory: stateDirectory.standardizedFileURL.path, host: host,
            createdAt: ISO8601DateFormatter().string(from: now))
    }

    /// Plans `saved` again (its product directory, state directory and rules, the workspace of `config`) and
    /// returns the session only when it would apply exactly the saved plan: same desired state, same live
    /// fingerprints, same inventory, same plan digest.
    ///
    /// - Throws: ``SavedPlanError`` listing what changed since the plan was saved (nothing is applied), or the
    ///   error of the read.
    public static func resume(
        _ saved: SavedPlan, path: String, config: DatabricksConfig, connector: WorkspaceConnector = .curl,
        logger: Logger
    ) async throws -> PlanSession {
        let host = config.host ?? ""
        guard Self.sameHost(host, saved.host) else {
            throw SavedPlanError(
                path: path, "the plan was made for workspace \(saved.host), not \(host): nothing was applied")
        }
        let directory = URL(fileURLWithPath: saved.productDirectory)
        let stateDirectory = URL(fileURLWithPath: saved.stateDirectory)
        let source = DirectoryFileSource(root: directory)
        let product: Product
        do {
            product = try ProductLoader.load(source)
        } catch {
            throw SavedPlanError(
                path: path, "the product files in \(saved.productDirectory) no longer load: nothing was applied",
                changes: ["\(error)"])
        }
        let inventory = try await Blocking.run { try InventoryStore(stateDirectory: stateDirectory) }
        let session = try await make(
            product: product, source: source, target: saved.target, inventory: inventory, config: config,
            connector: connector, rules: saved.rules, logger: logger)
        let now = session.saved(
            rules: saved.rules, productDirectory: directory, stateDirectory: stateDirectory, host: saved.host)
        let changes = saved.changes(since: now)
        guard changes.isEmpty, now.planDigest == saved.planDigest else {
            throw SavedPlanError(
                path: path,
                "the plan is stale: \(changes.count) change(s) since it was made; nothing was applied, "
                    + "run lakegate plan -out again", changes: changes)
        }
        return session
    }

    /// Hosts compared without case and trailing slashes.
    static func sameHost(_ a: String, _ b: String) -> Bool {
        func normalized(_ host: String) -> String {
            var text = host.lowercased()
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return normalized(a) == normalized(b)
    }
}
