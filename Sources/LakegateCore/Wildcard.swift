/// `*` and `?` wildcards, the one matcher behind `include:` globs, OpenSSH principal and namespace patterns and
/// known_hosts host patterns: `*` matches any run (the empty one too), `?` exactly one unit, anything else itself.
/// There are no character classes and no escapes, as in OpenSSH's `match_pattern`.
public enum Wildcard {
    /// What `?` counts as one of.
    public enum Unit: Sendable {
        /// A Swift `Character` (an extended grapheme cluster): paths and principals.
        case character
        /// A UTF-8 byte, as OpenSSH compares host names.
        case utf8Byte
    }

    /// Whether the whole of `text` matches `pattern`.
    public static func matches(_ text: String, pattern: String, unit: Unit = .character) -> Bool {
        switch unit {
        case .character: matches(Array(text), pattern: Array(pattern), anyRun: "*", anyOne: "?")
        case .utf8Byte:
            matches(
                Array(text.utf8), pattern: Array(pattern.utf8), anyRun: UInt8(ascii: "*"), anyOne: UInt8(ascii: "?"))
        }
    }

    /// OpenSSH pattern lists: `text` matches when one pattern matches and no `!`-negated pattern does (a negated
    /// match wins over everything). An empty list matches nothing.
    public static func matches(
        _ text: String, anyOf patterns: some Sequence<some StringProtocol>, unit: Unit = .character
    )
        -> Bool
    {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if matches(text, pattern: String(pattern.dropFirst()), unit: unit) { return false }
            } else if matches(text, pattern: String(pattern), unit: unit) {
                matched = true
            }
        }
        return matched
    }

    /// Greedy matching with one backtrack point (the last `*`): linear in practice, never exponential.
    static func matches<Element: Equatable>(
        _ text: [Element], pattern: [Element], anyRun: Element, anyOne: Element
    ) -> Bool {
        var t = 0
        var p = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == anyOne || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == anyRun {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == anyRun { p += 1 }
        return p == pattern.count
    }
}
