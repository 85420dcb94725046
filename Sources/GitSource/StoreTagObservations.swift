import Foundation
import Store

/// Keeps the git source's first-seen tag record in the controller's SQLite state.
///
/// The first mapping of a tag is never overwritten: a release tag that moves keeps its first object id, so a
/// moved tag stays visible as such.
public struct StoreTagObservations: TagObservationStore {
    let store: StateStore

    public init(store: StateStore) {
        self.store = store
    }

    public func observations(repository: String) throws -> [GitSource.TagObservation] {
        try store.tagObservations(repo: repository).compactMap { row in
            guard let object = ObjectID(hex: row.firstObjectID) else { return nil }
            return GitSource.TagObservation(tag: row.name, object: object, firstSeen: row.firstSeenAt)
        }
    }

    public func record(repository: String, tags: [String: ObjectID], at time: Date) throws -> [TagEvent] {
        var events: [TagEvent] = []
        for (name, object) in tags.sorted(by: { $0.key < $1.key }) {
            let before = try store.tagObservation(repo: repository, name: name)
            let row = try store.recordTag(repo: repository, name: name, objectID: object.hex, seenAt: time)
            guard let first = ObjectID(hex: row.firstObjectID) else { continue }
            let observation = GitSource.TagObservation(tag: name, object: first, firstSeen: row.firstSeenAt)
            if before == nil {
                events.append(.appeared(observation))
            } else if first != object, before?.lastObjectID != object.hex {
                events.append(.moved(tag: name, first: observation, now: object))
            }
        }
        return events
    }
}
