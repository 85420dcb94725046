import Foundation
import LakegateCore
import Testing

@testable import Planner

/// A saved plan file round-trips, and every damaged, edited or foreign file is refused with the reason; the
/// comparison names each desired and live resource that moved.
@Suite struct SavedPlanTests {
    static let resources = [Fixtures.catalog, Fixtures.schema, Fixtures.table]

    /// The plan of `desired` against `live` (one catalog exists), saved.
    static func saved(
        desired: [Resource] = resources, live: [LiveResource] = [Fixtures.live(Fixtures.catalog)]
    ) throws -> SavedPlan {
        let state = Fixtures.desired(desired)
        var snapshot = LiveSnapshot(resources: Dictionary(uniqueKeysWithValues: live.map { ($0.key, $0) }))
        snapshot.absent = Set(desired.map(\.key)).subtracting(live.map(\.key))
        let inventory = [
            InventoryEntry(
                product: Fixtures.product, target: Fixtures.target, key: Fixtures.catalog.key, kind: .catalog,
                name: Fixtures.catalog.name, liveID: Fixtures.catalog.name)
        ]
        let plan = try Planner().plan(desired: state, live: snapshot, inventory: inventory)
        return SavedPlan(
            plan: plan, desired: state, snapshot: snapshot, inventory: inventory, rules: PlanRules(),
            productDirectory: "/products/c360", stateDirectory: "/state", host: "https://ws.example",
            createdAt: "2026-12-05T19:00:00Z")
    }

    static func read(_ text: String) throws -> SavedPlan {
        try SavedPlan.read(Data(text.utf8), path: "plan.json")
    }

    @Test func aSavedPlanReadsBackAsWritten() throws {
        let saved = try Self.saved()
        #expect(saved.plan["actions"]?.arrayValue?.isEmpty == false)
        #expect(saved.live[Fixtures.schema.key] == SavedPlan.absent)
        #expect(saved.live[Fixtures.catalog.key]?.hasPrefix("sha256:") == true)
        let read = try Self.read(saved.fileText)
        #expect(read == saved)
        #expect(read.changes(since: saved).isEmpty)
    }

    @Test func anEditedFileIsRefusedByItsChecksum() throws {
        let text = try Self.saved().fileText
        #expect(text.contains("CRM data"))
        let edited = text.replacingOccurrences(of: "CRM data", with: "CRM data, edited")
        let error = #expect(throws: SavedPlanError.self) { try Self.read(edited) }
        #expect(error?.reason.contains("checksum mismatch") == true)
    }

    @Test func anEditedPlanWithARecomputedChecksumIsRefusedByThePlanDigest() throws {
        // Someone who edits an action and recomputes the checksum still does not match the plan's digest.
        let text = try Self.saved().fileText.replacingOccurrences(of: "CRM data", with: "CRM data, edited")
        guard case .object(var object) = try JSONValue(parsing: text) else { throw SavedPlanError(path: "", "?") }
        object["checksum"] = nil
        object["checksum"] = .string(SavedPlan.digest(.object(object)))
        let error = #expect(throws: SavedPlanError.self) { try Self.read(JSONValue.object(object).prettyJSON) }
        #expect(error?.reason.contains("do not match its digest") == true)
    }

    @Test func anotherFormatVersionIsRefused() throws {
        let text = try Self.saved().fileText.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
        #expect(text.contains("\"version\": 2"))
        let error = #expect(throws: SavedPlanError.self) { try Self.read(text) }
        #expect(error?.reason.contains("format version 2") == true)
        #expect(error?.description.hasPrefix("plan.json: ") == true)
    }

    @Test func somethingElseIsNotAPlanFile() throws {
        #expect(throws: SavedPlanError.self) { try Self.read("{\"actions\": []}") }
        #expect(throws: SavedPlanError.self) { try Self.read("not json") }
        let truncated = String(try Self.saved().fileText.dropLast(40))
        #expect(throws: SavedPlanError.self) { try Self.read(truncated) }
    }

    @Test func aLiveChangeIsNamed() throws {
        let before = try Self.saved()
        var catalog = Fixtures.live(Fixtures.catalog)
        catalog.fields["comment"] = "changed in the UI"
        let schema = Fixtures.live(Fixtures.schema)
        let after = try Self.saved(live: [catalog, schema])
        let changes = before.changes(since: after)
        #expect(changes.contains("live \(Fixtures.catalog.key): changed in the workspace since the plan"))
        #expect(changes.contains("live \(Fixtures.schema.key): created in the workspace since the plan"))
        #expect(!changes.contains { $0.hasPrefix("desired") })
    }

    @Test func aDesiredChangeIsNamed() throws {
        let before = try Self.saved()
        var schema = Fixtures.schema
        schema.fields["comment"] = "CRM data, new comment"
        let after = try Self.saved(desired: [Fixtures.catalog, schema])
        let changes = before.changes(since: after)
        #expect(changes.contains("desired \(Fixtures.schema.key): changed in the product files"))
        #expect(changes.contains("desired \(Fixtures.table.key): removed from the product files"))
    }

    @Test func aDifferentPlanFromTheSameInputsIsStillAChange() throws {
        let before = try Self.saved()
        var after = before
        after.planDigest = "sha256:" + String(repeating: "0", count: 64)
        #expect(before.changes(since: after).count == 1)
        #expect(before.changes(since: after)[0].hasPrefix("plan: "))
    }
}
