import Foundation
import GitSource
import Governance

/// What `lakegate release` records as trailers of the release tag message, and reads back for `approve`.
///
/// ```
/// Lakegate-Product: orders
/// Lakegate-State-qa: sha256:…        the rendered desired state of each checked target
/// Lakegate-State-prod: sha256:…
/// Lakegate-Policy-Targets: qa prod
/// Lakegate-Policy-Set: sha256:…      the policy files used
/// Lakegate-Policy-Report: sha256:…   the report of the dry run
/// ```
public struct ReleaseRecord: Sendable, Equatable {
    public static let productKey = "Lakegate-Product"
    public static let statePrefix = "Lakegate-State-"
    public static let targetsKey = "Lakegate-Policy-Targets"
    public static let policySetKey = "Lakegate-Policy-Set"
    public static let policyReportKey = "Lakegate-Policy-Report"

    public var product: String?
    /// Desired-state digest per target.
    public var states: [String: String]
    public var policyTargets: [String]
    public var policySet: String?
    public var policyReport: String?

    public init(
        product: String?, states: [String: String], policyTargets: [String], policySet: String?, policyReport: String?
    ) {
        self.product = product
        self.states = states
        self.policyTargets = policyTargets
        self.policySet = policySet
        self.policyReport = policyReport
    }

    /// Reads the record from a tag message (only the trailer paragraph, as git parses it).
    public init(message: String) {
        var record = ReleaseRecord(product: nil, states: [:], policyTargets: [], policySet: nil, policyReport: nil)
        for trailer in TrailerParser().parse(message) {
            let key = trailer.key
            if key.caseInsensitiveCompare(Self.productKey) == .orderedSame {
                record.product = trailer.value
            } else if key.lowercased().hasPrefix(Self.statePrefix.lowercased()) {
                record.states[String(key.dropFirst(Self.statePrefix.count))] = trailer.value
            } else if key.caseInsensitiveCompare(Self.targetsKey) == .orderedSame {
                record.policyTargets = trailer.value.split(separator: " ").map(String.init)
            } else if key.caseInsensitiveCompare(Self.policySetKey) == .orderedSame {
                record.policySet = trailer.value
            } else if key.caseInsensitiveCompare(Self.policyReportKey) == .orderedSame {
                record.policyReport = trailer.value
            }
        }
        self = record
    }

    /// The trailer lines, in a fixed order.
    public var trailerLines: [String] {
        var lines: [String] = []
        if let product { lines.append("\(Self.productKey): \(product)") }
        for target in states.keys.sorted() { lines.append("\(Self.statePrefix)\(target): \(states[target]!)") }
        if !policyTargets.isEmpty { lines.append("\(Self.targetsKey): \(policyTargets.joined(separator: " "))") }
        if let policySet { lines.append("\(Self.policySetKey): \(policySet)") }
        if let policyReport { lines.append("\(Self.policyReportKey): \(policyReport)") }
        return lines
    }

    /// Whether the message carries a Lakegate record at all.
    public var isEmpty: Bool { product == nil && states.isEmpty && policyReport == nil }
}
