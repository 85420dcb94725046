import Foundation
import LakegateCore

/// A job of the Jobs 2.2 API: its settings are kept as sent.
struct JobRecord: Codable, Sendable {
    var jobID: Int64
    var creatorUserName: String
    var createdTime: Int64
    var settings: [String: JSONValue]

    /// The sort key: zero-padded so that string order is id order.
    static func key(_ id: Int64) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits
    }
}
