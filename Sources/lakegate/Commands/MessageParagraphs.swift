/// Repeated `-m`/`--message` options joined as git joins them: each one a paragraph, separated by a blank line.
enum MessageParagraphs {
    /// The message, or nil when no non-blank paragraph was given. Surrounding blank lines of each paragraph are
    /// dropped (git's default cleanup), so `-m A -m B` is "A\n\nB" whatever newlines the shell passed along.
    static func join(_ paragraphs: [String]) -> String? {
        let kept =
            paragraphs
            .map { $0.trimmingBlankLines() }
            .filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept.joined(separator: "\n\n")
    }
}

extension String {
    /// Without leading and trailing lines that hold only whitespace, and without trailing whitespace at the end.
    fileprivate func trimmingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        if let last = lines.last {
            lines[lines.count - 1] = String(last.reversed().drop(while: \.isWhitespace).reversed())
        }
        return lines.joined(separator: "\n")
    }
}
