import Databricks
import Descriptors
import Foundation
import LakegateCore
import Planner
import Store
import Sync
import TestSupport
import Testing

/// Three-way plans against the in-process emulator, over random (last applied, desired, live) triples of
/// customer-360's tables: what the workspace holds after the apply is checked unit by unit (``MergeUnits``),
/// and planning again changes nothing. A sample of seeds: each is a fresh emulated workspace.
@Suite("Three-way plans on the emulator")
struct ThreeWayEmulatorPropertyTests {
    static let seeds: [UInt64] = Array(1...24)
    static let serverProperties = ["delta.", "spark.", "clusteringColumns", "option.", "external.", "owner"]

    /// Random changes to a table's normalized fields that a person (or a new revision) could make: comments,
    /// column comments and tags, table tags, grants. Masks, types and columns stay.
    static func mutate(_ fields: [String: JSONValue], rng: inout SplitMix64, who: String) -> [String: JSONValue] {
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        var f = fields
        if chance(0.3) { f["comment"] = chance(0.2) ? nil : .string("\(who) table \(rng.next() % 3)") }
        if var columns = f["columns"]?.arrayValue, !columns.isEmpty {
            for _ in 0..<2 where chance(0.5) {
                let index = Int(rng.next() % UInt64(columns.count))
                guard var column = columns[index].objectValue else { continue }
                if chance(0.6) {
                    column["comment"] = chance(0.2) ? nil : .string("\(who) note \(rng.next() % 3)")
                } else {
                    var tags = column["tags"]?.objectValue ?? [:]
                    tags["\(who)_k\(rng.next() % 2)"] = .string("v\(rng.next() % 2)")
                    column["tags"] = .object(tags)
                }
                columns[index] = .object(column)
            }
            f["columns"] = .array(columns)
        }
        if chance(0.3) {
            var tags = f["tags"]?.objectValue ?? [:]
            tags["\(who)_t\(rng.next() % 2)"] = .string("x")
            f["tags"] = .object(tags)
        }
        if chance(0.4) {
            var grants = (f["grants"]?.arrayValue ?? []).filter { $0["principal"]?.stringValue != "\(who)_team" }
            let chosen = ["SELECT", "MODIFY"].filter { _ in chance(0.6) }
            if !chosen.isEmpty {
                grants.append(["principal": .string("\(who)_team"), "privileges": .array(chosen.map { .string($0) })])
            }
            f["grants"] = .array(grants)
        }
        return Normalizer.normalize(f, kind: .table)
    }

    /// The product's desired state with each table's fields replaced by `change` of its normalized fields.
    static func changed(
        _ desired: DesiredState, _ change: (Resource, [String: JSONValue]) -> [String: JSONValue]
    ) -> DesiredState {
        var copy = desired
        copy.resources = desired.resources.map { resource in
            guard resource.kind == .table else { return resource }
            var r = resource
            r.fields = change(resource, Normalizer.normalize(resource.fields, kind: .table))
            return r
        }
        return copy
    }

    /// Live table fields as the planner compares them: normalized, without the properties the workspace adds.
    static func tables(_ snapshot: LiveSnapshot) -> [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        for (key, live) in snapshot.resources where key.hasPrefix("tables.") {
            var fields = Normalizer.normalize(live.fields, kind: .table)
            if var properties = fields["properties"]?.objectValue {
                for k in properties.keys where serverProperties.contains(where: { k.hasPrefix($0) }) {
                    properties[k] = nil
                }
                fields["properties"] = properties.isEmpty ? nil : .object(properties)
            }
            result[key] = fields
        }
        return result
    }

    struct Round {
        let client: DatabricksClient
        let inventory: InventoryStore
        let source: any FileSource

        func plan(_ desired: DesiredState, selfHeal: Bool, lastApplied: [String: JSONValue]) async throws
            -> (Plan, LiveSnapshot)
        {
            let entries = try inventory.entries(product: desired.product, target: desired.target)
            let snapshot = try await LiveStateReader(client: client, warehouseID: InProcessEmulator.warehouseID)
                .readComplete(desired: desired, inventory: entries)
            let plan = try Planner(rules: PlanRules(selfHeal: selfHeal)).plan(
                desired: desired, live: snapshot, inventory: entries, lastApplied: lastApplied)
            return (plan, snapshot)
        }

        func apply(_ plan: Plan, _ desired: DesiredState) async -> ApplyReport {
            let performer = DatabricksPerformer(
                client: client, warehouseID: InProcessEmulator.warehouseID, source: source, product: desired.product,
                target: desired.target)
            return await PlanExecutor(performer: performer, inventory: inventory).execute(plan)
        }
    }

    @Test("self-heal off keeps every unchanged unit's live value and converges; self-heal on converges too")
    func threeWayOnTheEmulator() async throws {
        let source = DirectoryFileSource(root: Paths.example("customer-360"))
        let base = try ProductLoader.load(source).render(target: "dev")
        var kept = 0
        for seed in Self.seeds {
            var rng = SplitMix64(state: seed)
            let emulator = try await InProcessEmulator()
            let directory = try TemporaryDirectory(prefix: "lakegate-three-way")
            defer { directory.remove() }
            let round = Round(
                client: try emulator.client(),
                inventory: try InventoryStore(stateDirectory: directory.url.appendingPathComponent("state")),
                source: source)
            // Last applied: a mutation of the product, applied and recorded.
            let last = Self.changed(base) { _, fields in Self.mutate(fields, rng: &rng, who: "git") }
            let (first, _) = try await round.plan(last, selfHeal: true, lastApplied: [:])
            #expect(await round.apply(first, last).succeeded, "seed \(seed)")
            let records = first.lastApplied
            // Changes in the workspace, made as a person would (here: through a two-way apply of their own).
            let dev = Self.changed(last) { _, fields in Self.mutate(fields, rng: &rng, who: "dev") }
            let (edits, _) = try await round.plan(dev, selfHeal: true, lastApplied: [:])
            #expect(await round.apply(edits, dev).succeeded, "seed \(seed)")
            // A new revision: unchanged, or changed in places.
            let desired =
                seed % 3 == 0 ? last : Self.changed(last) { _, fields in Self.mutate(fields, rng: &rng, who: "git") }
            let (plan, before) = try await round.plan(desired, selfHeal: false, lastApplied: records)
            #expect(await round.apply(plan, desired).succeeded, "seed \(seed)")
            let (again, after) = try await round.plan(
                desired, selfHeal: false, lastApplied: records.merging(plan.lastApplied) { $1 })
            #expect(
                !again.hasChanges,
                "seed \(seed): \(again.actions.filter { $0.type != .retain }.map { ($0.key, $0.changes) })")
            let (beforeTables, afterTables) = (Self.tables(before), Self.tables(after))
            for resource in desired.resources where resource.kind == .table {
                let l = records[resource.key]?.objectValue ?? [:]
                let d = Normalizer.normalize(resource.fields, kind: .table)
                let v = beforeTables[resource.key] ?? [:]
                let (lu, du, vu) = (
                    MergeUnits.flatten(l, kind: .table), MergeUnits.flatten(d, kind: .table),
                    MergeUnits.flatten(v, kind: .table)
                )
                kept += Set(lu.keys).union(du.keys).union(vu.keys).filter { du[$0] == lu[$0] && vu[$0] != du[$0] }.count
                let violations = MergeUnits.violations(
                    last: l, desired: d, before: v, after: afterTables[resource.key] ?? [:], kind: .table)
                #expect(violations.isEmpty, "seed \(seed), \(resource.key): \(violations)")
            }
            // Self-heal on: two-way from here, and it converges to the desired state.
            let (heal, _) = try await round.plan(desired, selfHeal: true, lastApplied: records)
            #expect(await round.apply(heal, desired).succeeded, "seed \(seed)")
            let (healed, _) = try await round.plan(desired, selfHeal: true, lastApplied: records)
            #expect(!healed.hasChanges, "seed \(seed): \(healed.actions.filter { $0.type != .retain }.map(\.key))")
        }
        #expect(kept > 0, "the seeds must make live changes the plan keeps")
    }
}
