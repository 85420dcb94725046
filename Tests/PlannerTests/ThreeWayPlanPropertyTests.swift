import LakegateCore
import Planner
import TestSupport
import Testing

/// One generated resource for three-way planning: what was last applied, what is desired now, what is live.
struct Triple {
    var last: Resource
    var desired: Resource
    var live: LiveResource

    /// A pool resource, last applied as a mutation of it, desired unchanged or mutated again, live drifted from
    /// what was applied by other mutations (made in the workspace).
    static func generate(rng: inout SeededRandom) -> [Triple] {
        var triples: [Triple] = []
        for copy in 0..<Int.random(in: 1...2, using: &rng) {
            for base in Fixtures.all where copy == 0 || rng.chance(0.5) {
                let resource = World.variant(of: base, copy: copy, rng: &rng)
                let last = World.mutate(resource, rng: &rng)
                let desired = rng.chance(0.4) ? last : World.mutate(last, rng: &rng)
                let live = Fixtures.live(rng.chance(0.2) ? last : World.mutate(last, rng: &rng), noise: rng.chance(0.8))
                triples.append(Triple(last: last, desired: desired, live: live))
            }
        }
        return triples
    }
}

@Suite("Three-way plan properties")
struct ThreeWayPlanPropertyTests {
    static let seeds: [UInt64] = Array(1...400)

    static func normalized(_ resource: Resource) -> [String: JSONValue] {
        Normalizer.normalize(resource.fields, kind: resource.kind)
    }

    /// Live fields as the planner compares them: normalized, without the properties the workspace adds.
    static func liveFields(_ live: LiveResource, kind: ResourceKind) -> [String: JSONValue] {
        var fields = Normalizer.normalize(live.fields, kind: kind)
        if var properties = fields["properties"]?.objectValue {
            for key in properties.keys where key.hasPrefix("delta.") { properties[key] = nil }
            fields["properties"] = properties.isEmpty ? nil : .object(properties)
        }
        return fields
    }

    static func plan(_ triples: [Triple], selfHeal: Bool, lastApplied: [String: JSONValue]) throws -> Plan {
        var live: [String: LiveResource] = [:]
        for triple in triples { live[triple.desired.key] = triple.live }
        return try Planner(rules: PlanRules(maxDeleteShare: 1, selfHeal: selfHeal)).plan(
            desired: DesiredState(
                product: Fixtures.product, target: Fixtures.target, resources: triples.map(\.desired)),
            live: LiveSnapshot(resources: live, absent: [], complete: true),
            inventory: triples.map { Fixtures.inventory($0.desired) }, lastApplied: lastApplied)
    }

    /// The live fields after carrying out `plan` faithfully: an updated resource becomes the plan's resource
    /// (the merged fields) with its retained columns; the others stay as they were.
    static func after(_ plan: Plan, triple: Triple) -> [String: JSONValue] {
        let key = triple.desired.key
        let before = liveFields(triple.live, kind: triple.desired.kind)
        guard let action = plan.actions.first(where: { $0.key == key && $0.type != .retain }),
            var fields = action.resource?.fields
        else { return before }
        if triple.desired.kind == .table {
            let kept = Set(
                plan.actions.filter { $0.type == .retain && $0.key.hasPrefix(key + ".columns.") }
                    .map { String($0.key.dropFirst((key + ".columns.").count)) })
            let extra = (before["columns"]?.arrayValue ?? []).filter { kept.contains($0["name"]?.stringValue ?? "") }
            fields["columns"] = .array((fields["columns"]?.arrayValue ?? []) + extra)
        }
        // Jobs and monitors keep their fields as written in the plan's resource: normalize them as the reader would.
        return Normalizer.normalize(fields, kind: triple.desired.kind)
    }

    @Test("self-heal off: a unit unchanged since the last apply keeps its live value, a changed one gets the desired")
    func unchangedFieldsAreNeverReverted() throws {
        var planned = 0
        var kept = 0
        for seed in Self.seeds {
            var rng = SeededRandom(seed: seed)
            let triples = Triple.generate(rng: &rng)
            var records: [String: JSONValue] = [:]
            for triple in triples { records[triple.desired.key] = .object(Self.normalized(triple.last)) }
            guard let plan = try? Self.plan(triples, selfHeal: false, lastApplied: records) else { continue }
            planned += 1
            for triple in triples {
                // Not vacuous: count the units whose live change the plan must keep.
                let (l, d, v) = (
                    MergeUnits.flatten(Self.normalized(triple.last), kind: triple.desired.kind),
                    MergeUnits.flatten(Self.normalized(triple.desired), kind: triple.desired.kind),
                    MergeUnits.flatten(
                        Self.liveFields(triple.live, kind: triple.desired.kind), kind: triple.desired.kind)
                )
                kept += Set(l.keys).union(d.keys).union(v.keys).filter { d[$0] == l[$0] && v[$0] != d[$0] }.count
                let violations = MergeUnits.violations(
                    last: Self.normalized(triple.last), desired: Self.normalized(triple.desired),
                    before: Self.liveFields(triple.live, kind: triple.desired.kind),
                    after: Self.after(plan, triple: triple), kind: triple.desired.kind)
                #expect(violations.isEmpty, "seed \(seed), \(triple.desired.key): \(violations)")
            }
            // Every kept live change is reported as drift, and nothing the plan changes is.
            for entry in plan.drift {
                let action = plan.actions.first { $0.key == entry.key }
                for change in entry.changes {
                    #expect(
                        action?.changes.contains(change) != true, "seed \(seed): \(entry.key) \(change.field) both")
                }
            }
        }
        #expect(planned > Self.seeds.count / 2, "most generated triples must be plannable, got \(planned)")
        #expect(kept > Self.seeds.count, "the triples must have live changes to keep, got \(kept)")
    }

    @Test("self-heal off: applying a three-way plan and planning again changes nothing")
    func threeWayPlansConverge() throws {
        for seed in Self.seeds {
            var rng = SeededRandom(seed: seed)
            let triples = Triple.generate(rng: &rng)
            var records: [String: JSONValue] = [:]
            for triple in triples { records[triple.desired.key] = .object(Self.normalized(triple.last)) }
            guard let first = try? Self.plan(triples, selfHeal: false, lastApplied: records) else { continue }
            let applied = triples.map { triple in
                var next = triple
                next.live = Fixtures.live(
                    Resource(
                        kind: triple.desired.kind, key: triple.desired.key, name: triple.desired.name,
                        fields: Self.after(first, triple: triple)), noise: false)
                return next
            }
            records.merge(first.lastApplied) { $1 }
            let second = try Self.plan(applied, selfHeal: false, lastApplied: records)
            #expect(
                !second.hasChanges,
                "seed \(seed): \(second.actions.filter { $0.type != .retain }.map { ($0.key, $0.changes) })")
        }
    }

    @Test("self-heal on: plans stay two-way whatever was last applied")
    func selfHealPlansIgnoreRecords() throws {
        for seed in Self.seeds.prefix(150) {
            var rng = SeededRandom(seed: seed)
            let triples = Triple.generate(rng: &rng)
            var records: [String: JSONValue] = [:]
            for triple in triples { records[triple.desired.key] = .object(Self.normalized(triple.last)) }
            guard let twoWay = try? Self.plan(triples, selfHeal: true, lastApplied: [:]) else { continue }
            let withRecords = try Self.plan(triples, selfHeal: true, lastApplied: records)
            #expect(withRecords.actions.map(\.operations) == twoWay.actions.map(\.operations), "seed \(seed)")
            #expect(withRecords.drift.isEmpty, "seed \(seed)")
        }
    }
}
