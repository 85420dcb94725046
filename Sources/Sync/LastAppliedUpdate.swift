import Foundation
import LakegateCore
import Planner
import Store

/// The last-applied records one carried-out plan changes: the desired fields of every resource whose action
/// succeeded (or that needed none), and the removal of every resource deleted or forgotten. Written after an
/// apply (the controller's and `lakegate apply`) and after a plan with nothing to apply.
public struct LastAppliedUpdate: Sendable, Equatable {
    /// Resource key → normalized desired fields to record.
    public var record: [String: JSONValue]
    /// Resource keys whose records go.
    public var remove: [String]

    /// The update for `plan` carried out as `report` says; nil `report` when nothing was applied, which records
    /// only resources without an action (in sync, or kept drift).
    public init(plan: Plan, report: ApplyReport?) {
        var statuses: [String: ActionResult.Status] = [:]
        for result in report?.results ?? [] { statuses[result.key] = result.status }
        var acted: Set<String> = []
        var deleted: [String] = []
        for action in plan.actions where action.type != .retain {
            acted.insert(action.key)
            if action.type == .delete, statuses[action.key] == .succeeded { deleted.append(action.key) }
        }
        record = plan.lastApplied.filter { key, _ in !acted.contains(key) || statuses[key] == .succeeded }
        remove = (plan.forget + deleted).sorted()
    }

    /// Whether there is nothing to write.
    public var isEmpty: Bool { record.isEmpty && remove.isEmpty }

    /// Writes the update into `store` for the plan's product and target; a fenced store writes only under its lease.
    public func write(to store: StateStore, product: String, target: String) async throws {
        guard !isEmpty else { return }
        let update = self
        try await Blocking.run {
            try store.recordLastApplied(product: product, target: target, record: update.record, remove: update.remove)
        }
    }
}
