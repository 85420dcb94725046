import Foundation

/// One tag → object mapping, with the time Lakegate first saw it.
public struct TagObservation: Sendable, Equatable, Codable {
    /// Full ref name, e.g. `refs/tags/v1.2.0`.
    public var tag: String
    /// The object the ref pointed at (the tag object for annotated tags).
    public var object: ObjectID
    /// When Lakegate first saw this mapping: the time key validity is checked against.
    public var firstSeen: Date

    public init(tag: String, object: ObjectID, firstSeen: Date) {
        self.tag = tag
        self.object = object
        self.firstSeen = firstSeen
    }
}

/// Something that happened to a tag between two observations.
public enum TagEvent: Sendable, Equatable {
    /// A tag seen for the first time.
    case appeared(TagObservation)
    /// A known tag now points elsewhere; `first` is the mapping that is kept for release tags.
    case moved(tag: String, first: TagObservation, now: ObjectID)
}

/// Records every tag's object id with the time Lakegate first saw it.
///
/// Implementations must keep every mapping ever seen: the first mapping of a release tag is the one that
/// counts, and a tag that moves is reported as an event.
public protocol TagObservationStore: Sendable {
    /// Every observation for `repository`, oldest first.
    func observations(repository: String) throws -> [TagObservation]
    /// Records the current tag → object map of `repository` seen at `time` and returns what changed.
    func record(repository: String, tags: [String: ObjectID], at time: Date) throws -> [TagEvent]
}

extension TagObservationStore {
    /// The first mapping ever seen for `tag`.
    public func first(repository: String, tag: String) throws -> TagObservation? {
        try observations(repository: repository).first { $0.tag == tag }
    }

    /// When `tag` was first seen pointing at `object`.
    public func firstSeen(repository: String, tag: String, object: ObjectID) throws -> Date? {
        try observations(repository: repository).first { $0.tag == tag && $0.object == object }?.firstSeen
    }
}
