import LakegateCore

extension Planner {
    /// Duplicates the reader found (a second job named like an owned one): deleted when the duplicate carries
    /// this product's and target's markers and is not the inventory's object, otherwise shown as retained. Only
    /// from a complete snapshot, like every delete.
    func duplicateActions(_ live: LiveSnapshot, owned: [String: InventoryEntry]) -> [PlanAction] {
        guard live.complete else { return [] }
        return live.duplicates.compactMap { duplicate in
            guard owned[duplicate.key]?.liveID != duplicate.id else { return nil }
            let key = "\(duplicate.key)#\(duplicate.id)"
            guard duplicate.ownedMarker else {
                return PlanAction(
                    type: .retain, kind: duplicate.kind, key: key, name: duplicate.name, liveID: duplicate.id,
                    reason: "has the name of \(duplicate.key) but lacks this product's ownership markers")
            }
            return PlanAction(
                type: .delete, kind: duplicate.kind, key: key, name: duplicate.name, operations: [.delete],
                liveID: duplicate.id,
                reason: "a duplicate of \(duplicate.key) (id \(duplicate.id)) carrying this product's markers")
        }
    }
}
