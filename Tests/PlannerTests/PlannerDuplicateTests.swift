import LakegateCore
import Planner
import Testing

@Suite("Planner duplicates")
struct PlannerDuplicateTests {
    /// The job in sync and in the inventory, plus `duplicates` of it.
    func plan(duplicates: [LiveResource], complete: Bool = true) throws -> Plan {
        var (snapshot, inventory) = Fixtures.synced([Fixtures.job])
        snapshot.duplicates = duplicates
        if !complete { snapshot.complete = false }
        return try Planner().plan(desired: Fixtures.desired([Fixtures.job]), live: snapshot, inventory: inventory)
    }

    func duplicate(id: String, marked: Bool) -> LiveResource {
        var live = Fixtures.live(Fixtures.job)
        live.id = id
        live.ownedMarker = marked
        return live
    }

    @Test("a marked duplicate that is not the inventory's object is deleted by its own id; an unmarked one is kept")
    func markedDuplicatesAreDeleted() throws {
        let result = try plan(duplicates: [duplicate(id: "901", marked: true), duplicate(id: "902", marked: false)])
        #expect(result.actions.map(\.type) == [.delete, .retain])
        #expect(result.actions.map(\.key) == ["\(Fixtures.job.key)#901", "\(Fixtures.job.key)#902"])
        #expect(result.actions[0].liveID == "901")
        #expect(result.actions[0].operations == [.delete])
        #expect(result.actions[1].reason?.contains("lacks this product's ownership markers") == true)
    }

    @Test("the inventory's own object is never a duplicate, and an incomplete snapshot deletes none")
    func inventoryObjectAndIncompleteSnapshot() throws {
        let (_, inventory) = Fixtures.synced([Fixtures.job])
        let own = try #require(inventory.first?.liveID)
        #expect(try plan(duplicates: [duplicate(id: own, marked: true)]).actions.isEmpty)
        #expect(try plan(duplicates: [duplicate(id: "901", marked: true)], complete: false).actions.isEmpty)
    }
}
