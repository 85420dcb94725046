/// A compiled CEL expression, ready to evaluate many times with different variables.
///
/// ```swift
/// let program = try CELProgram.compile("size(dp.tables) > 0 && env == 'prod'")
/// let result = try program.evaluate(["dp": CELValue(json: product), "env": .string("prod")])
/// ```
public struct CELProgram: Sendable {
    /// The source text the program was compiled from.
    public let source: String
    let root: CELNode

    /// The default cost limit: the number of evaluation steps (nodes visited, comprehension iterations and
    /// elements produced) after which evaluation stops with an error.
    public static let defaultCostLimit = 10_000_000

    /// Parses `source` and expands its macros; throws ``CELError`` with the line and column of a syntax error.
    public static func compile(_ source: String) throws(CELError) -> CELProgram {
        CELProgram(source: source, root: try CELParser.parse(source))
    }

    /// Evaluates the program with the given variables (names may contain dots, like `a.b`).
    ///
    /// Throws ``CELError`` when evaluation fails: an unbound variable, a missing key, an integer overflow, a
    /// division by zero, an unknown function, or `costLimit` exceeded.
    public func evaluate(_ bindings: [String: CELValue] = [:], costLimit: Int = defaultCostLimit) throws(CELError)
        -> CELValue
    {
        let evaluator = CELEvaluator(bindings: bindings, costLimit: costLimit)
        return try evaluator.eval(root)
    }
}
