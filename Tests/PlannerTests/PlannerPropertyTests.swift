import LakegateCore
import Planner
import Testing

/// A small seeded generator (SplitMix64) so that every failing case can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// One generated world: desired state, live snapshot, inventory and rules.
struct World {
    var desired: [Resource]
    var live: [String: LiveResource]
    var inventory: [InventoryEntry]
    var rules: PlanRules

    static func generate(seed: UInt64, complete: Bool = true) -> World {
        var rng = SeededRandom(seed: seed)
        var pool: [Resource] = []
        for copy in 0..<Int.random(in: 1...3, using: &rng) {
            for base in Fixtures.all where copy == 0 || rng.chance(0.5) {
                pool.append(variant(of: base, copy: copy, rng: &rng))
            }
        }
        var desired: [Resource] = []
        var live: [String: LiveResource] = [:]
        var inventory: [InventoryEntry] = []
        for resource in pool {
            let isDesired = rng.chance(0.7)
            if isDesired { desired.append(mutate(resource, rng: &rng)) }
            if rng.chance(0.6) {
                // The live copy keeps the immutable fields of the pool resource, so adoption never conflicts.
                var liveResource = Fixtures.live(mutate(resource, rng: &rng), noise: rng.chance(0.8))
                liveResource.ownedMarker = rng.chance(0.85)
                live[resource.key] = liveResource
                if rng.chance(0.7) { inventory.append(Fixtures.inventory(resource)) }
            } else if rng.chance(0.2) {
                inventory.append(Fixtures.inventory(resource))
            }
        }
        var allow: Set<String> = []
        for resource in pool where rng.chance(0.3) { allow.insert(resource.key) }
        return World(
            desired: desired, live: live, inventory: inventory,
            rules: PlanRules(allowDestroy: allow, maxDeleteShare: 1, allowAdoption: true))
    }

    /// A copy of `base` under its own key and name.
    static func variant(of base: Resource, copy: Int, rng: inout SeededRandom) -> Resource {
        guard copy > 0 else { return base }
        var resource = base
        resource.key = base.key + "_\(copy)"
        resource.name = base.name + "_\(copy)"
        if resource.fields["name"] != nil {
            resource.fields["name"] = .string((base.fields["name"]?.stringValue ?? "") + "_\(copy)")
        }
        if resource.kind == .notebook { resource.fields["path"] = .string(resource.name) }
        if resource.kind == .genieSpace { resource.fields["title"] = .string(resource.name) }
        if resource.kind == .qualityMonitor { resource.fields["assets_dir"] = .string(resource.name) }
        if resource.kind == .recipient { resource.name = resource.fields["name"]?.stringValue ?? resource.name }
        resource.dependsOn = []
        return resource
    }

    /// Random changes to mutable fields only: comments, tags, grants, properties, columns added or dropped.
    static func mutate(_ resource: Resource, rng: inout SeededRandom) -> Resource {
        var r = resource
        if rng.chance(0.3), r.fields["comment"] != nil { r.fields["comment"] = .string("comment \(rng.next() % 5)") }
        if rng.chance(0.2), r.fields["comment"] != nil { r.fields["comment"] = nil }
        if rng.chance(0.3), var tags = r.fields["tags"]?.objectValue {
            tags["t\(rng.next() % 3)"] = .string(rng.chance(0.3) ? "" : "v\(rng.next() % 3)")
            if rng.chance(0.3) { tags["lakegate.target"] = nil }
            r.fields["tags"] = .object(tags)
        }
        if rng.chance(0.3), r.fields["grants"] != nil {
            let principals = ["analysts", "engineers", "partner"]
            let privileges = ["SELECT", "MODIFY", "USE_SCHEMA", "USE_CATALOG"]
            var grants: [JSONValue] = []
            for principal in principals where rng.chance(0.5) {
                let chosen = privileges.filter { _ in rng.chance(0.5) }
                grants.append(["principal": .string(principal), "privileges": .array(chosen.map { .string($0) })])
            }
            r.fields["grants"] = .array(grants)
        }
        if r.kind == .table {
            if rng.chance(0.3) { r.fields["properties"] = ["quality": .string("q\(rng.next() % 3)")] }
            if var columns = r.fields["columns"]?.arrayValue {
                if rng.chance(0.3) { columns.append(["name": "extra", "type_text": "string", "nullable": true]) }
                if rng.chance(0.2) { columns.removeLast() }
                if rng.chance(0.3), var first = columns.first?.objectValue {
                    first["comment"] = .string("c\(rng.next() % 3)")
                    first["tags"] = rng.chance(0.5) ? ["k": "v"] : nil
                    columns[0] = .object(first)
                }
                r.fields["columns"] = .array(columns)
            }
            if rng.chance(0.2) {
                r.fields["row_filter"] = ["function_name": "c360_dev.crm.f", "input_column_names": ["email"]]
            }
        }
        if r.kind == .job, rng.chance(0.4), var settings = r.fields["settings"]?.objectValue {
            settings["max_concurrent_runs"] = .int(Int64(rng.next() % 3))
            r.fields["settings"] = .object(settings)
        }
        if r.kind == .share, rng.chance(0.3) { r.fields["objects"] = nil }
        if r.kind == .notebook, rng.chance(0.3) { r.fields["sha256"] = .string("s\(rng.next() % 4)") }
        if r.kind == .genieSpace, rng.chance(0.3) { r.fields["description"] = .string("d\(rng.next() % 4)") }
        return r
    }

    /// The workspace and inventory after carrying out `plan` faithfully.
    func applying(_ plan: Plan) -> World {
        var next = self
        let desiredByKey = Dictionary(uniqueKeysWithValues: desired.map { ($0.key, $0) })
        for action in plan.actions {
            switch action.type {
            case .create, .update, .replace, .adopt:
                guard var resource = desiredByKey[action.key] else { continue }
                if resource.kind == .table, let old = live[action.key] {
                    // Retained columns stay in the table.
                    let kept = plan.actions.filter { $0.type == .retain && $0.key.hasPrefix(action.key + ".columns.") }
                        .map { String($0.key.dropFirst((action.key + ".columns.").count)) }
                    let oldColumns = Normalizer.normalize(old.fields, kind: .table)["columns"]?.arrayValue ?? []
                    let extra = oldColumns.filter { kept.contains($0["name"]?.stringValue ?? "") }
                    resource.fields["columns"] = .array((resource.fields["columns"]?.arrayValue ?? []) + extra)
                }
                next.live[action.key] = Fixtures.live(resource)
                next.inventory.removeAll { $0.key == action.key }
                next.inventory.append(Fixtures.inventory(resource))
            case .delete:
                next.live[action.key] = nil
                next.inventory.removeAll { $0.key == action.key }
            case .retain:
                break
            }
        }
        next.inventory.removeAll { plan.forget.contains($0.key) }
        return next
    }

    func plan(complete: Bool = true) throws -> Plan {
        try Planner(rules: rules).plan(
            desired: DesiredState(product: Fixtures.product, target: Fixtures.target, resources: desired),
            live: LiveSnapshot(resources: live, absent: [], complete: complete), inventory: inventory)
    }
}

@Suite("Planner properties")
struct PlannerPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test("applying a plan, then planning again, gives nothing but the same retained objects")
    func convergence() throws {
        var planned = 0
        for seed in Self.seeds {
            let world = World.generate(seed: seed)
            guard let first = try? world.plan() else { continue }
            planned += 1
            let after = world.applying(first)
            let second = try after.plan()
            #expect(
                !second.hasChanges,
                "seed \(seed): \(second.actions.filter { $0.type != .retain }.map { ($0.type, $0.key, $0.changes) })")
            #expect(
                Set(second.actions.map(\.key)) == Set(first.actions.filter { $0.type == .retain }.map(\.key)),
                "seed \(seed)")
        }
        #expect(planned > Self.seeds.count / 2, "most generated worlds must be plannable, got \(planned)")
    }

    @Test("no plan deletes anything outside the inventory or without the ownership marker")
    func deletesOnlyOwned() throws {
        for seed in Self.seeds {
            let world = World.generate(seed: seed)
            guard let plan = try? world.plan() else { continue }
            let owned = Set(world.inventory.map(\.key))
            for action in plan.actions where action.type == .delete || action.type == .replace {
                #expect(owned.contains(action.key), "seed \(seed): \(action.key)")
                #expect(world.live[action.key]?.ownedMarker == true, "seed \(seed): \(action.key)")
                if action.kind.isStateful { #expect(world.rules.allowDestroy.contains(action.key), "seed \(seed)") }
            }
        }
    }

    @Test("an incomplete snapshot never yields a delete")
    func incompleteNeverDeletes() throws {
        for seed in Self.seeds {
            let world = World.generate(seed: seed)
            guard let plan = try? world.plan(complete: false) else { continue }
            #expect(!plan.actions.contains { $0.type == .delete || $0.type == .replace }, "seed \(seed)")
        }
    }
}
