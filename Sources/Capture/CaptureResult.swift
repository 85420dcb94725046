import Foundation
import LakegateCore

/// What a capture changes: file edits, and what it could not capture.
public struct CaptureResult: Sendable {
    /// Changed and new files, sorted by path.
    public var edits: [FileEdit]
    /// Differences the files cannot express or capture does not handle, one line each.
    public var notCaptured: [String]
    /// Things worth knowing about what was written, one line each.
    public var notes: [String]
    /// Live objects that the files did not name before the capture and now describe (jobs, notebooks, volumes,
    /// functions, monitors, shares, recipients built in the workspace): the plan check plans each against the
    /// resource of the same kind and name, as the next plan will find it.
    public var captured: [LiveResource]

    /// A result; ``captured`` defaults to nothing built in the workspace.
    public init(edits: [FileEdit], notCaptured: [String], notes: [String], captured: [LiveResource] = []) {
        self.edits = edits
        self.notCaptured = notCaptured
        self.notes = notes
        self.captured = captured
    }
}
