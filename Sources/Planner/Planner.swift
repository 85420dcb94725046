import LakegateCore

/// Computes the plan for one product and target: a pure function of the desired state, the live snapshot,
/// the inventory and the environment rules. It does no I/O; ``PlanAction/operations`` say what to call.
public struct Planner: Sendable {
    /// The environment rules: allowed destroys, the delete share limit, adoption.
    public var rules: PlanRules

    public init(rules: PlanRules = PlanRules()) {
        self.rules = rules
    }

    /// The ordered plan that brings `live` to `desired`.
    ///
    /// `lastApplied` holds what Lakegate last applied per resource key (normalized fields, an object). With
    /// ``PlanRules/selfHeal`` off the plan is three-way for every resource that has a record (see
    /// ``ThreeWayMerge``): live changes to fields the revision did not change stay, listed in ``Plan/drift``.
    /// A resource without a record is planned two-way this once (a warning says so) and recorded after the apply.
    ///
    /// - Throws: ``PlanError`` listing every problem: a column type change, an object that exists but cannot
    ///   be adopted, or more deletes than the allowed share of the owned resources.
    public func plan(
        desired: DesiredState, live: LiveSnapshot, inventory: [InventoryEntry], lastApplied: [String: JSONValue] = [:]
    ) throws -> Plan {
        var owned: [String: InventoryEntry] = [:]
        for entry in inventory where entry.product == desired.product && entry.target == desired.target {
            owned[entry.key] = entry
        }
        var actions: [PlanAction] = []
        var problems: [PlanError.Problem] = []
        var warnings: [String] = []
        var forget: [String] = []
        var drift: [PlanDrift] = []
        var record: [String: JSONValue] = [:]
        var unrecorded: [String] = []
        if !live.complete {
            let reasons = live.failures.isEmpty ? "" : ": " + live.failures.joined(separator: "; ")
            warnings.append("the live snapshot is incomplete, so nothing is deleted\(reasons)")
        }

        // Each resource compares on its own, and comparing is most of a plan's time.
        let comparisons = desired.resources.concurrentMap { compare($0, live: live, last: lastApplied[$0.key]) }
        for (resource, comparison) in zip(desired.resources, comparisons) {
            let (liveResource, diff, desiredFields): (LiveResource, ResourceDiff, [String: JSONValue])
            switch comparison {
            case .absent(let create, let fields):
                if live.complete || live.absent.contains(resource.key) {
                    actions.append(create)
                    if lastApplied[resource.key] != .object(fields) { record[resource.key] = .object(fields) }
                } else {
                    warnings.append("\(resource.key): not created because its live state could not be read")
                }
                continue
            case .present(let found, let differences, let kept, let fields):
                (liveResource, diff, desiredFields) = (found, differences, fields)
                if !kept.isEmpty {
                    drift.append(PlanDrift(kind: resource.kind, key: resource.key, name: resource.name, changes: kept))
                }
                if !rules.selfHeal && lastApplied[resource.key] == nil && !diff.changes.isEmpty {
                    unrecorded.append(resource.key)
                }
            }
            let wasApplied = lastApplied[resource.key]
            // What is recorded as applied: not a replace that is postponed or retained.
            var applies = true
            problems += diff.problems.map { PlanError.Problem(key: resource.key, message: $0) }
            let isOwned = owned[resource.key] != nil
            if !isOwned {
                if !liveResource.ownedMarker && !rules.allowAdoption {
                    problems.append(
                        .init(
                            key: resource.key,
                            message: "\(resource.name) exists but is not owned by this product, and adoption is "
                                + "disabled for target \(desired.target)"))
                    continue
                }
                if !diff.immutable.isEmpty {
                    let fields = diff.immutable.map(\.field).joined(separator: ", ")
                    problems.append(
                        .init(
                            key: resource.key,
                            message: "\(resource.name) exists, is not owned by this product and differs in fields "
                                + "that cannot change (\(fields)); rename it in the product or remove the object"))
                    continue
                }
                actions.append(
                    PlanAction(
                        type: .adopt, kind: resource.kind, key: resource.key, name: resource.name,
                        changes: diff.changes, operations: diff.operations, dependsOn: resource.dependsOn,
                        liveID: liveResource.id, etag: liveResource.etag,
                        reason: liveResource.ownedMarker
                            ? "carries this product's ownership markers but is missing from the inventory"
                            : "exists and is not owned yet",
                        resource: diff.normalizedResource))
            } else if !diff.immutable.isEmpty {
                if !live.complete {
                    // A replace deletes first; with an incomplete snapshot nothing is deleted.
                    warnings.append("\(resource.key): replace postponed until the live state reads completely")
                    applies = false
                } else if resource.kind.isStateful && !rules.allowDestroy.contains(resource.key) {
                    let fields = diff.immutable.map(\.field).joined(separator: ", ")
                    actions.append(
                        PlanAction(
                            type: .retain, kind: resource.kind, key: resource.key, name: liveResource.name,
                            changes: diff.immutable, liveID: liveResource.id,
                            reason:
                                "\(fields) differs from the workspace and cannot change in place: retained; replacing loses data, "
                                + "pass --allow-destroy \(resource.key) to replace"))
                    applies = false
                } else {
                    // A replace creates the object anew: from the desired fields, not the merged ones.
                    var create = createAction(resource, fields: desiredFields)
                    create.type = .replace
                    create.changes = diff.immutable + diff.changes
                    create.operations.insert(.delete, at: 0)
                    create.liveID = liveResource.id
                    actions.append(create)
                }
            } else if !diff.operations.isEmpty {
                actions.append(
                    PlanAction(
                        type: .update, kind: resource.kind, key: resource.key, name: resource.name,
                        changes: diff.changes, operations: diff.operations, dependsOn: resource.dependsOn,
                        liveID: liveResource.id, etag: liveResource.etag, resource: diff.normalizedResource))
            }
            let appliedColumns = Set(
                (wasApplied?["columns"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
            for column in diff.retainedColumns {
                // Say what happened: the contract dropped a column Lakegate applied, or the column was made in
                // the workspace and never was in the contract.
                let what =
                    appliedColumns.contains(column)
                    ? "column \(column) was dropped from the contract and still exists in the workspace: retained"
                    : "column \(column) exists in the workspace but not in the contract: retained"
                actions.append(
                    PlanAction(
                        type: .retain, kind: .table, key: "\(resource.key).columns.\(column)",
                        name: "\(resource.name).\(column)", liveID: liveResource.id,
                        reason: "\(what); dropping it loses data, pass --allow-destroy "
                            + "\(resource.key).columns.\(column) to drop it"))
            }
            if applies, wasApplied != .object(desiredFields) { record[resource.key] = .object(desiredFields) }
        }
        if !unrecorded.isEmpty {
            warnings.append(
                "no last-applied record for \(unrecorded.joined(separator: ", ")) (state from before three-way plans): "
                    + "planned two-way this once, so live changes to these are reverted; recorded after the apply")
        }

        let desiredKeys = Set(desired.resources.map(\.key))
        var deletes = 0
        for entry in owned.values.sorted(by: { $0.key < $1.key }) where !desiredKeys.contains(entry.key) {
            guard live.complete else { continue }
            guard let liveResource = live.resources[entry.key] else {
                forget.append(entry.key)
                continue
            }
            if !liveResource.ownedMarker {
                actions.append(
                    PlanAction(
                        type: .retain, kind: entry.kind, key: entry.key, name: liveResource.name,
                        liveID: liveResource.id,
                        reason: "in the inventory but the live object lacks this product's ownership markers"))
            } else if entry.kind.isStateful && !rules.allowDestroy.contains(entry.key) {
                actions.append(
                    PlanAction(
                        type: .retain, kind: entry.kind, key: entry.key, name: liveResource.name,
                        liveID: liveResource.id,
                        reason: "left the desired state and still exists in the workspace: retained; a "
                            + "\(entry.kind.singular) holds data, pass --allow-destroy \(entry.key) to delete it"))
            } else if !rules.prune {
                // Checked before the delete share: with prune off nothing is deleted, so nothing is refused.
                actions.append(
                    PlanAction(
                        type: .retain, kind: entry.kind, key: entry.key, name: liveResource.name,
                        liveID: liveResource.id, reason: "left the desired state; prune is off for \(desired.target)"))
            } else {
                deletes += 1
                actions.append(
                    PlanAction(
                        type: .delete, kind: entry.kind, key: entry.key, name: liveResource.name,
                        operations: [.delete], liveID: liveResource.id, etag: liveResource.etag))
            }
        }
        actions += duplicateActions(live, owned: owned)
        if deletes > 0, Double(deletes) > rules.maxDeleteShare * Double(max(owned.count, 1)) {
            let percent = Int((rules.maxDeleteShare * 100).rounded())
            problems.append(
                .init(
                    key: "",
                    message: "the plan deletes \(deletes) of \(owned.count) owned resources, more than the allowed "
                        + "\(percent)%; check the desired state, or raise the limit for this run"))
        }
        if !problems.isEmpty { throw PlanError(problems) }
        var plan = Plan(
            product: desired.product, target: desired.target, actions: Self.ordered(actions), forget: forget,
            warnings: warnings)
        plan.drift = drift.sorted { $0.key < $1.key }
        plan.lastApplied = record
        return plan
    }

    /// One desired resource normalized and compared with its live object, if there is one.
    enum Comparison {
        /// No live object: the create action, and the normalized desired fields.
        case absent(create: PlanAction, fields: [String: JSONValue])
        /// The live object, the differences from it, the live changes kept (three-way plans): each a change
        /// from the live value to the desired one that the plan does not make, and the normalized desired fields.
        case present(live: LiveResource, diff: ResourceDiff, drift: [FieldChange], fields: [String: JSONValue])
    }

    /// Compares `resource` with its live object: two-way, or three-way with `last` when self-heal is off.
    func compare(_ resource: Resource, live: LiveSnapshot, last: JSONValue?) -> Comparison {
        let desiredFields = Normalizer.normalize(resource.fields, kind: resource.kind)
        guard let liveResource = live.resources[resource.key] else {
            return .absent(create: createAction(resource, fields: desiredFields), fields: desiredFields)
        }
        let liveFields = aligned(Normalizer.normalize(liveResource.fields, kind: resource.kind), to: desiredFields)
        let diffAgainst = { (fields: [String: JSONValue]) in
            var diff = ResourceDiff(
                resource: resource, desired: fields, live: liveFields, liveName: liveResource.name,
                allowDestroy: rules.allowDestroy)
            diff.compute()
            return diff
        }
        let twoWay = diffAgainst(desiredFields)
        guard !rules.selfHeal, let last = last?.objectValue, !twoWay.changes.isEmpty else {
            return .present(live: liveResource, diff: twoWay, drift: [], fields: desiredFields)
        }
        let merged = ThreeWayMerge.merge(last: last, desired: desiredFields, live: liveFields, kind: resource.kind)
        let threeWay = diffAgainst(merged)
        // A live change is kept where the merged plan does not make the two-way change (or makes another).
        let made = Set(threeWay.changes)
        let kept = twoWay.changes.filter { !made.contains($0) }
        return .present(live: liveResource, diff: threeWay, drift: kept, fields: desiredFields)
    }

    /// Live fields restricted to what the desired state manages: workspace-added properties are dropped.
    func aligned(_ live: [String: JSONValue], to desired: [String: JSONValue]) -> [String: JSONValue] {
        guard let properties = live["properties"]?.objectValue else { return live }
        let managed = desired["properties"]?.objectValue ?? [:]
        let isKept = { (key: String) in managed[key] != nil || !Normalizer.isServerProperty(key) }
        if properties.keys.allSatisfy(isKept) { return live }
        var result = live
        let kept = properties.filter { isKept($0.key) }
        result["properties"] = kept.isEmpty ? nil : .object(kept)
        return result
    }

    func createAction(_ resource: Resource, fields: [String: JSONValue]) -> PlanAction {
        let changes = fields.keys.sorted().map { FieldChange(field: $0, before: nil, after: fields[$0]) }
        var normalized = resource
        // Jobs and monitors are sent as written: normalization drops defaults and valueless tags they need.
        if resource.kind != .job && resource.kind != .qualityMonitor { normalized.fields = fields }
        return PlanAction(
            type: .create, kind: resource.kind, key: resource.key, name: resource.name, changes: changes,
            operations: CreateOperations.of(normalized), dependsOn: resource.dependsOn, resource: normalized)
    }
}
