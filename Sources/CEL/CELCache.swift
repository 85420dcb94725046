import Synchronization

/// A thread-safe cache of compiled programs keyed by source text: each expression is parsed once.
public final class CELCache: Sendable {
    private let programs = Mutex<[String: CELProgram]>([:])

    /// An empty cache.
    public init() {}

    /// The compiled program for `source`, compiling it on first use; compile errors are not cached.
    public func program(for source: String) throws(CELError) -> CELProgram {
        if let cached = programs.withLock({ $0[source] }) { return cached }
        let program = try CELProgram.compile(source)
        programs.withLock { $0[source] = program }
        return program
    }

    /// Compiles (or reuses) `source` and evaluates it with `bindings`.
    public func evaluate(
        _ source: String, _ bindings: [String: CELValue] = [:], costLimit: Int = CELProgram.defaultCostLimit
    ) throws(CELError) -> CELValue {
        try program(for: source).evaluate(bindings, costLimit: costLimit)
    }

    /// The number of cached programs.
    public var count: Int { programs.withLock { $0.count } }
}
