import Foundation

/// What a capture changes: file edits, and what it could not capture.
public struct CaptureResult: Sendable {
    /// Changed and new files, sorted by path.
    public var edits: [FileEdit]
    /// Differences the files cannot express or capture does not handle, one line each.
    public var notCaptured: [String]
    /// Things worth knowing about what was written, one line each.
    public var notes: [String]
}
