import Descriptors
import LakegateCore
import Planner

extension CaptureResult {
    /// `product` with these edits made, loaded and rendered for `target`.
    ///
    /// - Throws: `DiagnosticList` when the edited product does not load or render.
    public func rendered(_ product: Product, target: String) throws -> DesiredState {
        let source = OverlayFileSource(
            base: product.fileSource, files: Dictionary(uniqueKeysWithValues: edits.map { ($0.path, $0.after) }))
        return try ProductLoader.load(source).render(target: target)
    }

    /// Renders the product with the edits applied and plans it against the same snapshot: what would still
    /// change, as plan lines (`~ tables.customers: comment`). Empty when the capture is complete.
    ///
    /// A newly captured table (one of ``LiveSnapshot/unclaimedTables`` that the edited files now name) is planned
    /// against its live state: its adoption, which sets the ownership markers and the grants `access.grants` gives
    /// it, is expected and not a remaining change, and so is adding it to the share of the output port that
    /// publishes it; anything else that would change on it is. The other objects built in the workspace that the
    /// files now describe (``captured``) are planned against their live state the same way: their adoption, which
    /// sets the markers, is expected.
    ///
    /// - Throws: `DiagnosticList` when the edited product no longer loads or renders (a bug in capture).
    public func remainingChanges(
        product: Product, target: String, live: LiveSnapshot, inventory: [InventoryEntry]
    ) throws -> [String] {
        let desired = try rendered(product, target: target)
        var live = live
        for table in live.unclaimedTables where live.resources[table.key] == nil {
            if desired.resource(forKey: table.key)?.name.lowercased() == table.name {
                live.resources[table.key] = table
            }
        }
        for space in live.unclaimedGenieSpaces {
            guard let key = newGenieSpaces[space.id], live.resources[key] == nil else { continue }
            var found = space
            found.key = key
            live.resources[key] = found
        }
        for (key, space) in contractFollowUps { live.resources[key]?.fields["serialized_space"] = space }
        // Objects built in the workspace that the edited files now describe: planned as the next plan finds them.
        var adopted: Set<String> = []
        for object in captured {
            let name = WorkspaceFile.normalized(object.name).lowercased()
            guard
                let resource = desired.resources.first(where: {
                    $0.kind == object.kind && WorkspaceFile.normalized($0.name).lowercased() == name
                }), live.resources[resource.key] == nil
            else { continue }
            var found = object
            found.key = resource.key
            found.name = resource.name
            if object.kind == .notebook { found.fields["path"] = resource.fields["path"] }
            live.resources[resource.key] = found
            adopted.insert(resource.key)
        }
        // Deletes are never captured (an owned object the files do not name): they are reported separately.
        let plan = try Planner(rules: PlanRules(maxDeleteShare: 1)).plan(
            desired: desired, live: live, inventory: inventory)
        let newTables = Set(live.unclaimedTables.map(\.key))
        let sharedObjects = Set(live.unclaimedTables.map { "objects.\($0.name)" })
        return plan.actions.compactMap { action -> String? in
            guard action.type != .retain && action.type != .delete else { return nil }
            var changes = action.changes
            if action.type == .adopt && newTables.contains(action.key) {
                let markers = [OwnershipMarker.productKey, OwnershipMarker.targetKey].map { "tags.\($0)" }
                changes.removeAll {
                    markers.contains($0.field) || $0.field == "grants" || $0.field.hasPrefix("grants.")
                }
            }
            if action.type == .adopt && adopted.contains(action.key) {
                // Adopting sets the markers (and, in development mode, the `dev` tag of a job).
                let markers = [OwnershipMarker.productKey, OwnershipMarker.targetKey]
                var adoption = Set(markers)
                if action.kind == .job { adoption.insert("dev") }
                changes.removeAll { change in
                    markers.contains { change.field.contains($0) }
                        || (action.kind == .job && change.field.hasSuffix("tags.dev"))
                        || (change.field.hasSuffix("tags") && Self.differOnlyIn(adoption, change.before, change.after))
                }
            }
            if action.kind == .share { changes.removeAll { sharedObjects.contains($0.field) } }
            // An update left without changes changed only what the new tables bring with them.
            let dropped = changes.count < action.changes.count
            if changes.isEmpty && (action.type == .adopt || (action.type == .update && dropped)) { return nil }
            let fields = changes.map(\.field).joined(separator: ", ")
            return "\(action.type.mark) \(action.key)" + (fields.isEmpty ? "" : ": \(fields)")
        }
    }

    /// Whether two tag maps are the same but for the `keys` (the tags adoption adds).
    static func differOnlyIn(_ keys: Set<String>, _ before: JSONValue?, _ after: JSONValue?) -> Bool {
        var left = before?.objectValue ?? [:]
        var right = after?.objectValue ?? [:]
        for key in keys {
            left[key] = nil
            right[key] = nil
        }
        return left == right
    }
}
