import LakegateCore

extension Planner {
    /// Orders actions into waves: creates, updates, replaces and adopts by their dependency edges (a wave
    /// after everything they depend on), then deletes in reverse apply order, children before parents.
    /// Retained objects come last; they are reported, never executed.
    static func ordered(_ actions: [PlanAction]) -> [PlanAction] {
        var forward = actions.filter { $0.type != .delete && $0.type != .retain }
        let index = Dictionary(
            forward.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var waves = [Int?](repeating: nil, count: forward.count)
        var visiting = Set<Int>()

        func wave(of position: Int) -> Int {
            if let known = waves[position] { return known }
            guard visiting.insert(position).inserted else { return 0 }  // a cycle: the renderer rejects those
            var result = 0
            for dependency in forward[position].dependsOn {
                if let other = index[dependency] { result = max(result, wave(of: other) + 1) }
            }
            visiting.remove(position)
            waves[position] = result
            return result
        }
        for position in forward.indices {
            forward[position].wave = wave(of: position)
            forward[position].dependsOn = forward[position].dependsOn.filter { index[$0] != nil }
        }
        var nextWave = (forward.map(\.wave).max() ?? -1) + 1

        var deletes = actions.filter { $0.type == .delete }
        let deleteOrders = Set(deletes.map(\.kind.applyOrder)).sorted(by: >)
        for position in deletes.indices {
            let order = deletes[position].kind.applyOrder
            deletes[position].wave = nextWave + (deleteOrders.firstIndex(of: order) ?? 0)
            let prefix = deletes[position].name + "."
            deletes[position].dependsOn = deletes.filter { $0.kind.applyOrder > order && $0.name.hasPrefix(prefix) }
                .map(\.key).sorted()
        }
        nextWave += deleteOrders.count

        var retains = actions.filter { $0.type == .retain }
        for position in retains.indices { retains[position].wave = nextWave }

        return (forward + deletes + retains).sorted {
            ($0.wave, $0.kind.applyOrder, $0.key) < ($1.wave, $1.kind.applyOrder, $1.key)
        }
    }
}
