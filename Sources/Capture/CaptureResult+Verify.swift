import Descriptors
import LakegateCore
import Planner

extension CaptureResult {
    /// Renders the product with the edits applied and plans it against the same snapshot: what would still
    /// change, as plan lines (`~ tables.customers: comment`). Empty when the capture is complete.
    ///
    /// - Throws: `DiagnosticList` when the edited product no longer loads or renders (a bug in capture).
    public func remainingChanges(
        product: Product, target: String, live: LiveSnapshot, inventory: [InventoryEntry]
    ) throws -> [String] {
        let source = OverlayFileSource(
            base: product.fileSource, files: Dictionary(uniqueKeysWithValues: edits.map { ($0.path, $0.after) }))
        let desired = try ProductLoader.load(source).render(target: target)
        // Deletes are never captured (an owned object the files do not name): they are reported separately.
        let plan = try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: desired, live: live, inventory: inventory)
        return plan.actions.filter { action in
            action.type != .retain && action.type != .delete && !(action.type == .adopt && action.changes.isEmpty)
        }.map { action in
            let fields = action.changes.map(\.field).joined(separator: ", ")
            return "\(action.type.mark) \(action.key)" + (fields.isEmpty ? "" : ": \(fields)")
        }
    }
}
