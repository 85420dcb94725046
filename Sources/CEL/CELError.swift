/// A CEL compile or evaluation error: what went wrong and where in the expression.
public struct CELError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, e.g. `division by zero` or `Syntax error: unexpected ')'`.
    public let message: String
    /// The 1-based line of the problem inside the expression (0 when unknown).
    public let line: Int
    /// The 1-based column (in Unicode scalars) of the problem inside the expression (0 when unknown).
    public let column: Int

    /// An error at a position in the expression.
    public init(_ message: String, line: Int = 0, column: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }

    /// The same error placed at a position, unless it already has one.
    func positioned(line: Int, column: Int) -> CELError {
        self.line > 0 ? self : CELError(message, line: line, column: column)
    }
}
