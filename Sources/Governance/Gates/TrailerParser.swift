/// Parses trailers exactly as `git interpret-trailers --parse` does (git 2.39 `trailer.c`), as a pure function.
///
/// The rules, in git's order: the message ends at a `---` divider line and before a trailing run of comment
/// and blank lines (or a scissors line); the title paragraph never holds trailers; the trailer block is the
/// last paragraph when all its lines are trailers, or when it holds a git-generated (`Signed-off-by: `,
/// `(cherry picked from commit `) or configured trailer and at least 25% of its lines are trailers.
/// Indented lines continue the previous trailer; comment lines are skipped; keys matching a configured key
/// (case-insensitively, by prefix as git does) are printed with the configured spelling.
public struct TrailerParser: Sendable {
    /// Keys configured with `trailer.<name>.key`; they count as recognised and are respelled.
    public var configuredKeys: [String]
    /// `core.commentChar`.
    public var commentCharacter: UInt8
    /// Stop at a `---` line (git's default; `--no-divider` turns it off).
    public var useDivider: Bool

    private static let separators: Set<UInt8> = [UInt8(ascii: ":")]
    private static let generatedPrefixes = ["Signed-off-by: ", "(cherry picked from commit "].map { Array($0.utf8) }
    private static let scissors = Array(" ------------------------ >8 ------------------------".utf8)

    public init(configuredKeys: [String] = [], commentCharacter: Character = "#", useDivider: Bool = true) {
        self.configuredKeys = configuredKeys
        self.commentCharacter = commentCharacter.asciiValue ?? UInt8(ascii: "#")
        self.useDivider = useDivider
    }

    /// The trailers of `message`, in order.
    public func parse(_ message: String) -> [Trailer] {
        let buffer = Array(message.utf8)
        let patchStart = useDivider ? Self.findPatchStart(buffer) : buffer.count
        let trailerEnd = patchStart - ignoreNonTrailer(buffer, patchStart)
        let trailerStart = findTrailerStart(buffer, trailerEnd)
        var lines: [[UInt8]] = []
        var lastIsTrailer = false
        var position = trailerStart
        while position < trailerEnd {
            var end = position
            while end < trailerEnd && buffer[end] != UInt8(ascii: "\n") { end += 1 }
            if end < trailerEnd { end += 1 }
            let line = Array(buffer[position..<end])
            position = end
            if lastIsTrailer, let first = line.first, Self.isSpace(first) {
                lines[lines.count - 1] += line
                continue
            }
            lines.append(line)
            lastIsTrailer = Self.findSeparator(line, 0) >= 1
        }
        var result: [Trailer] = []
        for line in lines {
            if line.first == commentCharacter { continue }
            let separator = Self.findSeparator(line, 0)
            guard separator >= 1 else { continue }
            var key = Self.trim(Array(line[..<separator]))
            let value = Self.unfold(Self.trim(Array(line[(separator + 1)...])))
            let keyLength = Self.tokenLengthWithoutSeparator(key, key.count)
            if let configured = configuredKeys.first(where: { Self.tokenMatches(key, keyLength, $0) }) {
                key = Array(configured.utf8)
            }
            guard !key.isEmpty else { continue }
            result.append(
                Trailer(key: String(decoding: key, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        return result
    }

    // MARK: git's helpers, on bytes

    /// git's `isspace`: space, tab, newline, carriage return (not \v or \f).
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    static func isAlnum(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    }

    static func findPatchStart(_ buffer: [UInt8]) -> Int {
        var start = 0
        while start < buffer.count {
            if buffer.count - start > 3, buffer[start] == 0x2d, buffer[start + 1] == 0x2d, buffer[start + 2] == 0x2d,
                isSpace(buffer[start + 3])
            {
                return start
            }
            start = nextLine(buffer, start)
        }
        return buffer.count
    }

    static func nextLine(_ buffer: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < buffer.count && buffer[index] != 0x0a { index += 1 }
        return index < buffer.count ? index + 1 : index
    }

    /// The start of the last line in `buffer[..<length]`, or -1 when empty.
    static func lastLine(_ buffer: [UInt8], _ length: Int) -> Int {
        if length == 0 { return -1 }
        if length == 1 { return 0 }
        var index = length - 2
        while index >= 0 {
            if buffer[index] == 0x0a { return index + 1 }
            index -= 1
        }
        return 0
    }

    static func isBlankLine(_ buffer: [UInt8], _ start: Int) -> Bool {
        var index = start
        while index < buffer.count && buffer[index] != 0x0a && isSpace(buffer[index]) { index += 1 }
        return index == buffer.count || buffer[index] == 0x0a
    }

    static func findSeparator(_ line: [UInt8], _ start: Int) -> Int {
        var whitespaceFound = false
        var index = start
        while index < line.count && line[index] != 0 {
            let byte = line[index]
            if separators.contains(byte) { return index - start }
            if !whitespaceFound && (isAlnum(byte) || byte == UInt8(ascii: "-")) {
                index += 1
                continue
            }
            if index != start && (byte == 0x20 || byte == 0x09) {
                whitespaceFound = true
                index += 1
                continue
            }
            break
        }
        return -1
    }

    static func trim(_ bytes: [UInt8]) -> [UInt8] {
        var lower = 0
        var upper = bytes.count
        while lower < upper && isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
        return Array(bytes[lower..<upper])
    }

    static func unfold(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < value.count {
            let byte = value[index]
            index += 1
            if byte == 0x0a {
                while index < value.count && isSpace(value[index]) { index += 1 }
                out.append(0x20)
            } else {
                out.append(byte)
            }
        }
        return trim(out)
    }

    static func tokenLengthWithoutSeparator(_ token: [UInt8], _ length: Int) -> Int {
        var length = length
        while length > 0 && !isAlnum(token[length - 1]) { length -= 1 }
        return length
    }

    /// `strncasecmp(token, key, length) == 0`.
    static func tokenMatches(_ token: [UInt8], _ length: Int, _ key: String) -> Bool {
        let keyBytes = Array(key.utf8)
        for index in 0..<length {
            let a = index < token.count ? lower(token[index]) : 0
            let b = index < keyBytes.count ? lower(keyBytes[index]) : 0
            if a != b { return false }
            if a == 0 { return true }
        }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte
    }

    private func startsWith(_ buffer: [UInt8], _ start: Int, _ prefix: [UInt8]) -> Bool {
        buffer.count - start >= prefix.count && buffer[start..<start + prefix.count].elementsEqual(prefix)
    }

    /// git's `wt_status_locate_end`: the message stops at a scissors line.
    private func locateEnd(_ buffer: [UInt8], _ length: Int) -> Int {
        let pattern = [UInt8(ascii: "\n"), commentCharacter] + Self.scissors
        if startsWith(buffer, 0, Array(pattern.dropFirst())) { return 0 }
        guard length >= pattern.count else { return length }
        var index = 0
        while index + pattern.count <= buffer.count {
            if buffer[index] == 0x0a && startsWith(buffer, index, pattern) { return min(index + 1, length) }
            index += 1
        }
        return length
    }

    /// git's `ignore_non_trailer`: how many bytes at the end are comments, blank lines or a conflicts block.
    private func ignoreNonTrailer(_ buffer: [UInt8], _ length: Int) -> Int {
        var boc = 0
        var bol = 0
        var inConflicts = false
        let cutoff = locateEnd(buffer, length)
        let conflicts = Array("Conflicts:\n".utf8)
        while bol < cutoff {
            var next = bol
            while next < length && buffer[next] != 0x0a { next += 1 }
            next = next < length ? next + 1 : length
            if buffer[bol] == commentCharacter || buffer[bol] == 0x0a {
                if boc == 0 { boc = bol }
            } else if startsWith(buffer, bol, conflicts) {
                inConflicts = true
                if boc == 0 { boc = bol }
            } else if inConflicts && buffer[bol] == 0x09 {
                // a path in an old-style conflicts block
            } else if boc != 0 {
                boc = 0
                inConflicts = false
            }
            bol = next
        }
        return boc != 0 ? length - boc : length - cutoff
    }

    private func findTrailerStart(_ buffer: [UInt8], _ length: Int) -> Int {
        var position = 0
        while position < length {
            if buffer[position] == commentCharacter {
                position = Self.nextLine(buffer, position)
                continue
            }
            if Self.isBlankLine(buffer, position) { break }
            position = Self.nextLine(buffer, position)
        }
        let endOfTitle = position
        var onlySpaces = true
        var recognizedPrefix = false
        var trailerLines = 0
        var nonTrailerLines = 0
        var possibleContinuationLines = 0
        var line = Self.lastLine(buffer, length)
        while line >= endOfTitle {
            defer { line = Self.lastLine(buffer, line) }
            if buffer[line] == commentCharacter {
                nonTrailerLines += possibleContinuationLines
                possibleContinuationLines = 0
                continue
            }
            if Self.isBlankLine(buffer, line) {
                if onlySpaces { continue }
                nonTrailerLines += possibleContinuationLines
                if recognizedPrefix && trailerLines * 3 >= nonTrailerLines { return Self.nextLine(buffer, line) }
                if trailerLines > 0 && nonTrailerLines == 0 { return Self.nextLine(buffer, line) }
                return length
            }
            onlySpaces = false
            if Self.generatedPrefixes.contains(where: { startsWith(buffer, line, $0) }) {
                trailerLines += 1
                possibleContinuationLines = 0
                recognizedPrefix = true
                continue
            }
            let lineBytes = Array(buffer[line...])
            let separator = Self.findSeparator(lineBytes, 0)
            if separator >= 1 && !Self.isSpace(buffer[line]) {
                trailerLines += 1
                possibleContinuationLines = 0
                if recognizedPrefix { continue }
                // git passes the raw separator position here, trailing spaces included.
                if configuredKeys.contains(where: { Self.tokenMatches(lineBytes, separator, $0) }) {
                    recognizedPrefix = true
                }
            } else if Self.isSpace(buffer[line]) {
                possibleContinuationLines += 1
            } else {
                nonTrailerLines += 1
                nonTrailerLines += possibleContinuationLines
                possibleContinuationLines = 0
            }
        }
        return length
    }
}
