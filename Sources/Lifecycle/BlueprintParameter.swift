import LakegateCore

/// One value a blueprint asks for.
public struct BlueprintParameter: Sendable, Equatable {
    /// The placeholder name: lower-case letters, digits and `_`.
    public var name: String
    /// The question asked on a terminal.
    public var prompt: String
    /// The value used when none is given; a template that may use earlier parameters (`{{ product_id | snake }}`).
    public var defaultValue: String?
    /// A regular expression the whole value must match.
    public var pattern: String?
    /// Where the parameter is declared, for messages.
    public var location: SourceLocation

    public init(
        name: String, prompt: String, defaultValue: String? = nil, pattern: String? = nil,
        location: SourceLocation = SourceLocation(path: Blueprint.manifestFile)
    ) {
        self.name = name
        self.prompt = prompt
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.location = location
    }

    /// Why `value` is not acceptable, or nil when it is.
    public func problem(with value: String) -> String? {
        guard let pattern else { return nil }
        guard let regex = try? Regex(pattern) else { return "the blueprint's pattern \(pattern) is not valid" }
        return value.wholeMatch(of: regex) == nil ? "'\(value)' does not match \(pattern)" : nil
    }
}
