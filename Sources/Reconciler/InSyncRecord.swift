import Foundation

/// What one pair last came to, when it was in sync (or drifted with self-heal off): while nothing changes, the
/// next pass repeats it without reading the workspace.
struct InSyncRecord: Sendable, Hashable {
    var commit: String
    var release: String?
    var reason: String
    var drift: Int
}
