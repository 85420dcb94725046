import Foundation

/// What the store knows about a tag: the object it pointed at when first seen, and whether it moved since.
///
/// A release or approval tag that moves is a security event: callers refuse to deploy it.
public struct TagObservation: Sendable, Hashable {
    public var repo: String
    public var name: String
    /// The tag object id recorded the first time the tag was seen.
    public var firstObjectID: String
    /// When the tag was first seen.
    public var firstSeenAt: Date
    /// The object id reported by the latest observation.
    public var lastObjectID: String
    /// When the tag was last observed.
    public var lastSeenAt: Date

    /// Whether the tag now points somewhere else than when it was first seen.
    public var moved: Bool { lastObjectID != firstObjectID }
}
