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
        guard let segment = path.first, matchSegment(Array(first), Array(segment)) else { return false }
        return match(Array(pattern.dropFirst()), Array(path.dropFirst()))
    }

    private static func matchSegment(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
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
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
