import LakegateCore

/// Gathers diagnostics while checking files, so that every problem is reported at once.
public struct DiagnosticCollector: Sendable {
    /// What has been found so far, in the order found.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Things worth saying that do not stop anything (bundle keys Lakegate accepts but does not act on).
    public private(set) var warnings: [Diagnostic] = []

    public init() {}

    /// Records a warning at `location`.
    public mutating func warn(_ location: SourceLocation, _ message: String) {
        warnings.append(Diagnostic(location, message))
    }

    /// Records a problem at `location`.
    public mutating func add(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    /// Records every diagnostic of `list`.
    public mutating func add(_ list: DiagnosticList) {
        diagnostics.append(contentsOf: list.diagnostics)
    }

    /// Whether nothing has been found.
    public var isEmpty: Bool { diagnostics.isEmpty }

    /// The diagnostics, sorted and without repeats.
    public var list: DiagnosticList {
        var seen = Set<Diagnostic>()
        // Messages break ties at one position, so the order never depends on the order of checks.
        let unique = diagnostics.filter { seen.insert($0).inserted }
            .sorted { ($0.location, $0.message) < ($1.location, $1.message) }
        return DiagnosticList(unique)
    }

    /// Throws the sorted list when anything was found.
    public func throwIfAny() throws(DiagnosticList) {
        if !diagnostics.isEmpty { throw list }
    }
}
