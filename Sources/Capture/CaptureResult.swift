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
    /// Genie spaces (by key) whose descriptions follow the contracts while the live space still shows other text:
    /// the live `serialized_space` as the next apply will leave it. Not a remaining difference of the capture.
    public var contractFollowUps: [String: JSONValue]
    /// Genie spaces built in the workspace and now declared: their bundle key by space id.
    public var newGenieSpaces: [String: String]
    /// Live objects that the files did not name before the capture and now describe (jobs, notebooks, volumes,
    /// functions, monitors, shares, recipients built in the workspace): the plan check plans each against the
    /// resource of the same kind and name, as the next plan will find it.
    public var captured: [LiveResource]

    /// A result; the rest default to nothing built in the workspace and no Genie follow-up.
    public init(
        edits: [FileEdit], notCaptured: [String], notes: [String], contractFollowUps: [String: JSONValue] = [:],
        newGenieSpaces: [String: String] = [:], captured: [LiveResource] = []
    ) {
        self.edits = edits
        self.notCaptured = notCaptured
        self.notes = notes
        self.contractFollowUps = contractFollowUps
        self.newGenieSpaces = newGenieSpaces
        self.captured = captured
    }
}
