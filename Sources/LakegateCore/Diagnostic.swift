/// A position in a product file.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable {
    /// Path relative to the product root, e.g. `contracts/customers.odcs.yaml`.
    public var path: String
    /// 1-based line; 0 when the whole file is meant.
    public var line: Int
    /// 1-based column; 0 when the whole line is meant.
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}

/// A problem found in product, policy or configuration files, shown as `path:line:column: message`.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        "\(location.path):\(location.line):\(location.column): \(message)"
    }
}

/// Several diagnostics reported together; nothing is applied while any exist.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.location < $1.location }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
