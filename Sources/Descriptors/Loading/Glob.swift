import LakegateCore

/// Matches product-relative paths against `include:` patterns: `*` and `?` within a path segment, `**` across.
enum Glob {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        match(
            Array(pattern.split(separator: "/", omittingEmptySubsequences: true)),
            Array(path.split(separator: "/", omittingEmptySubsequences: true)))
    }

    private static func match(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            for skip in 0...path.count where match(Array(pattern.dropFirst()), Array(path.dropFirst(skip))) {
                return true
            }
            return false
        }
        guard let segment = path.first, Wildcard.matches(String(segment), pattern: String(first)) else { return false }
        return match(Array(pattern.dropFirst()), Array(path.dropFirst()))
    }
}
