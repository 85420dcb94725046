import LakegateCore

extension SavedPlan {
    /// What moved between this saved plan and `now`, the same product planned again under the same rules: each
    /// desired resource added, removed or changed, each live resource that changed, appeared or disappeared, the
    /// inventory, and finally the plan itself. Empty when `now` would apply exactly this plan.
    public func changes(since now: SavedPlan) -> [String] {
        var changes: [String] = []
        if now.product != product || now.target != target {
            changes.append("the product is now \(now.product) for \(now.target), not \(product) for \(target)")
        }
        if now.host != host { changes.append("the workspace is now \(now.host), not \(host)") }
        if now.desiredDigest != desiredDigest {
            for key in Set(desiredResources.keys).union(now.desiredResources.keys).sorted() {
                switch (desiredResources[key], now.desiredResources[key]) {
                case (nil, _?): changes.append("desired \(key): added to the product files")
                case (_?, nil): changes.append("desired \(key): removed from the product files")
                case (let old?, let new?) where old != new:
                    changes.append("desired \(key): changed in the product files")
                default: break
                }
            }
            if changes.isEmpty {
                changes.append("desired state: \(desiredDigest) is now \(now.desiredDigest)")
            }
        }
        for key in live.keys.sorted() {
            let old = live[key], new = now.live[key]
            guard old != new else { continue }
            switch (old, new) {
            case (Self.absent, _?): changes.append("live \(key): created in the workspace since the plan")
            case (_, Self.absent), (_, nil): changes.append("live \(key): deleted from the workspace since the plan")
            default: changes.append("live \(key): changed in the workspace since the plan")
            }
        }
        // Keys the plan did not look at: new in the workspace or the inventory (a new desired key is named above).
        let added = Set(now.desiredResources.keys).subtracting(desiredResources.keys)
        for key in now.live.keys.sorted() where live[key] == nil && now.live[key] != Self.absent && !added.contains(key)
        {
            changes.append("live \(key): appeared in the workspace since the plan")
        }
        if now.inventoryDigest != inventoryDigest {
            changes.append("inventory: the owned objects recorded in \(stateDirectory) changed (another apply ran)")
        }
        if changes.isEmpty && now.planDigest != planDigest {
            changes.append(
                "plan: made again it is \(now.planDigest), not \(planDigest) (Lakegate \(now.lakegateVersion) "
                    + "plans differently from \(lakegateVersion))")
        }
        return changes
    }
}
