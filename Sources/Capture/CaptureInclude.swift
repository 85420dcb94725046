import Foundation

/// An object named with `lakegate capture --include KIND:NAME`: captured although it is not in the product's
/// catalogs and schemas, under its bundle root, or marked as the product's.
public struct CaptureInclude: Sendable, Hashable, CustomStringConvertible {
    /// What `NAME` names.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A job, by its exact name.
        case job
        /// A Delta Sharing share, by name.
        case share
        /// The quality monitor of a table, by the table's full name (`catalog.schema.table`).
        case monitor
    }

    /// What kind of object.
    public var kind: Kind
    /// Its name, as the kind names it.
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses `KIND:NAME` (`job:nightly load`, `share:c360_partner_dev`, `monitor:c360_dev.crm.customers`).
    ///
    /// - Throws: ``CaptureError`` naming the option value and what is wrong with it.
    public init(parsing text: String) throws(CaptureError) {
        let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let colon = text.firstIndex(of: ":") else {
            throw CaptureError(
                "--include '\(text)': expected KIND:NAME with KIND one of \(kinds) (for example --include job:NAME)")
        }
        let kindText = String(text[..<colon])
        guard let kind = Kind(rawValue: kindText) else {
            throw CaptureError("--include '\(text)': unknown kind '\(kindText)' (one of \(kinds))")
        }
        let name = String(text[text.index(after: colon)...])
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CaptureError("--include '\(text)': the \(kind.rawValue) name is empty")
        }
        if kind == .monitor {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts.contains(where: \.isEmpty) else {
                throw CaptureError(
                    "--include '\(text)': a monitor is named by its table's full name catalog.schema.table")
            }
        }
        self.init(kind: kind, name: name)
    }

    public var description: String { "\(kind.rawValue):\(name)" }
}
