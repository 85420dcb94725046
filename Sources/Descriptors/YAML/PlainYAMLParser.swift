import LakegateCore

/// Reads the plain block subset of YAML that generated and hand-written descriptors mostly use, without Yams.
///
/// Block mappings and sequences, single-line plain and quoted scalars as values (double-quoted ones without
/// escapes), one-line flow lists of plain words, comments; printable ASCII only. Anything else (quoted keys,
/// escapes, block scalars, anchors, tags, tabs, empty values, duplicate
/// keys, syntax errors) returns nil and the file goes through Yams, which reports problems. Where it answers,
/// the tree (texts, positions) is the one Yams would give: composing with Yams was a third of a large render.
struct PlainYAMLParser {
    /// The file does not stay in the subset.
    struct Unsupported: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private let path: String
    private var starts: [Int] = []
    private var ends: [Int] = []
    /// Column (0-based) of the first character of each line; -1 for blank and comment lines.
    private var indents: [Int] = []
    private var nodes = 0

    /// The document in `bytes`, or nil when it uses anything outside the subset.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> YAMLNode? {
        for byte in bytes where byte > 0x7E || (byte < 0x20 && byte != UInt8(ascii: "\n")) { return nil }
        var parser = PlainYAMLParser(bytes: bytes, path: path)
        return try? parser.document()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
        self.bytes = bytes
        self.path = path
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            var first = start
            while first < index, bytes[first] == UInt8(ascii: " ") { first += 1 }
            starts.append(start)
            ends.append(index)
            indents.append(first == index || bytes[first] == UInt8(ascii: "#") ? -1 : first - start)
            start = index + 1
        }
    }

    private mutating func document() throws(Unsupported) -> YAMLNode {
        guard let line = try nextContent(0) else { throw Unsupported() }
        let (node, next) = try block(line)
        guard next == nil else { throw Unsupported() }
        return node
    }

    /// The first line at or after `line` with content; document markers are left to Yams.
    private func nextContent(_ line: Int) throws(Unsupported) -> Int? {
        var line = line
        while line < indents.count, indents[line] < 0 { line += 1 }
        guard line < indents.count else { return nil }
        if indents[line] == 0, ends[line] - starts[line] >= 3 {
            let p = starts[line]
            let marker =
                (bytes[p] == UInt8(ascii: "-") && bytes[p + 1] == UInt8(ascii: "-")
                    && bytes[p + 2] == UInt8(ascii: "-"))
                || (bytes[p] == UInt8(ascii: ".") && bytes[p + 1] == UInt8(ascii: ".")
                    && bytes[p + 2] == UInt8(ascii: "."))
            if marker { throw Unsupported() }
        }
        return line
    }

    private func location(_ line: Int, _ offset: Int) -> SourceLocation {
        SourceLocation(path: path, line: line + 1, column: offset - starts[line] + 1)
    }

    private mutating func count() throws(Unsupported) {
        nodes += 1
        if nodes > YAMLParser.maxNodes { throw Unsupported() }
    }

    private func isEntry(_ line: Int, _ offset: Int) -> Bool {
        bytes[offset] == UInt8(ascii: "-") && (offset + 1 == ends[line] || bytes[offset + 1] == UInt8(ascii: " "))
    }

    /// A mapping or a sequence starting a line of its own.
    private mutating func block(_ line: Int) throws(Unsupported) -> (YAMLNode, Int?) {
        let offset = starts[line] + indents[line]
        if isEntry(line, offset) { return try sequence(line, offset, indentless: false) }
        let (_, stop) = try plainScalar(line, offset)
        guard stop < ends[line], bytes[stop] == UInt8(ascii: ":") else { throw Unsupported() }
        return try mapping(line, offset)
    }

    /// A plain scalar from `offset`: the end of its text and where scanning stopped (`:`, a comment or the end).
    private func plainScalar(_ line: Int, _ offset: Int) throws(Unsupported) -> (end: Int, stop: Int) {
        let end = ends[line]
        guard offset < end else { throw Unsupported() }
        switch bytes[offset] {
        case UInt8(ascii: "-"):
            guard offset + 1 < end, bytes[offset + 1] != UInt8(ascii: " ") else { throw Unsupported() }
        case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"),
            UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
            throw Unsupported()
        default: break
        }
        var index = offset
        var textEnd = offset
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":"), index + 1 == end || bytes[index + 1] == UInt8(ascii: " ") { break }
            if byte == UInt8(ascii: " ") {
                var next = index
                while next < end, bytes[next] == UInt8(ascii: " ") { next += 1 }
                index = next
                if next == end || bytes[next] == UInt8(ascii: "#") { break }
                continue
            }
            index += 1
            textEnd = index
        }
        return (textEnd, index)
    }

    private mutating func scalar(_ line: Int, _ from: Int, _ to: Int) throws(Unsupported) -> YAMLNode {
        try count()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        return YAMLNode(.scalar(YAMLScalar(text: text)), location: location(line, from))
    }

    private mutating func mapping(_ firstLine: Int, _ firstOffset: Int) throws(Unsupported) -> (YAMLNode, Int?) {
        try count()
        let indent = firstOffset - starts[firstLine]
        let start = location(firstLine, firstOffset)
        var pairs: [YAMLPair] = []
        var line = firstLine
        var offset = firstOffset
        var next: Int?
        while true {
            let (keyEnd, stop) = try plainScalar(line, offset)
            guard stop < ends[line], bytes[stop] == UInt8(ascii: ":"), stop - offset < 1024 else {
                throw Unsupported()
            }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<keyEnd]), as: UTF8.self)
            // Yams reports duplicates with its own positions.
            if pairs.contains(where: { $0.key == key }) { throw Unsupported() }
            let keyLocation = location(line, offset)
            var valueOffset = stop + 1
            while valueOffset < ends[line], bytes[valueOffset] == UInt8(ascii: " ") { valueOffset += 1 }
            let value: YAMLNode
            if valueOffset == ends[line] || bytes[valueOffset] == UInt8(ascii: "#") {
                guard let valueLine = try nextContent(line + 1) else { throw Unsupported() }
                let valueIndent = indents[valueLine]
                if valueIndent > indent {
                    (value, next) = try block(valueLine)
                } else if valueIndent == indent, isEntry(valueLine, starts[valueLine] + indent) {
                    (value, next) = try sequence(valueLine, starts[valueLine] + indent, indentless: true)
                } else {
                    throw Unsupported()
                }
            } else {
                (value, next) = try inlineValue(line, valueOffset, parentIndent: indent, allowMapping: false)
            }
            pairs.append(YAMLPair(key: key, keyLocation: keyLocation, value: value))
            guard let nextLine = next, indents[nextLine] >= indent else { break }
            guard indents[nextLine] == indent, !isEntry(nextLine, starts[nextLine] + indent) else {
                throw Unsupported()
            }
            line = nextLine
            offset = starts[nextLine] + indent
        }
        return (YAMLNode(.mapping(pairs), location: start), next)
    }

    private mutating func sequence(
        _ firstLine: Int, _ firstOffset: Int, indentless: Bool
    ) throws(Unsupported) -> (YAMLNode, Int?) {
        try count()
        let indent = firstOffset - starts[firstLine]
        let start = location(firstLine, firstOffset)
        var items: [YAMLNode] = []
        var line = firstLine
        var next: Int?
        while true {
            var offset = starts[line] + indent + 1
            while offset < ends[line], bytes[offset] == UInt8(ascii: " ") { offset += 1 }
            let item: YAMLNode
            if offset == ends[line] || bytes[offset] == UInt8(ascii: "#") {
                guard let itemLine = try nextContent(line + 1), indents[itemLine] > indent else {
                    throw Unsupported()
                }
                (item, next) = try block(itemLine)
            } else {
                (item, next) = try inlineValue(line, offset, parentIndent: indent, allowMapping: true)
            }
            items.append(item)
            guard let nextLine = next, indents[nextLine] >= indent else { break }
            if indents[nextLine] == indent, isEntry(nextLine, starts[nextLine] + indent) {
                line = nextLine
                continue
            }
            if indents[nextLine] == indent, indentless { break }
            throw Unsupported()
        }
        return (YAMLNode(.sequence(items), location: start), next)
    }

    /// A value written on the line of its key or dash: a scalar, a flow list, or (after a dash) a mapping.
    private mutating func inlineValue(
        _ line: Int, _ offset: Int, parentIndent: Int, allowMapping: Bool
    ) throws(Unsupported) -> (YAMLNode, Int?) {
        let value: YAMLNode
        if bytes[offset] == UInt8(ascii: "[") {
            value = try flowList(line, offset)
        } else if bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'") {
            value = try quotedScalar(line, offset)
        } else {
            let (textEnd, stop) = try plainScalar(line, offset)
            if stop < ends[line], bytes[stop] == UInt8(ascii: ":") {
                guard allowMapping else { throw Unsupported() }
                return try mapping(line, offset)
            }
            value = try scalar(line, offset, textEnd)
        }
        // A deeper line after a one-line value continues it (or is an error): Yams decides.
        let next = try nextContent(line + 1)
        if let next, indents[next] > parentIndent { throw Unsupported() }
        return (value, next)
    }

    /// A one-line quoted value: `'…'` (with `''` for a quote) or `"…"` without escapes; anything after it but a
    /// comment, a backslash, or a quote left open goes to Yams.
    private mutating func quotedScalar(_ line: Int, _ offset: Int) throws(Unsupported) -> YAMLNode {
        try count()
        let quote = bytes[offset]
        let end = ends[line]
        var text: [UInt8] = []
        var index = offset + 1
        while true {
            guard index < end else { throw Unsupported() }
            let byte = bytes[index]
            if byte == quote {
                guard quote == UInt8(ascii: "'"), index + 1 < end, bytes[index + 1] == quote else { break }
                text.append(quote)
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { throw Unsupported() }
            text.append(byte)
            index += 1
        }
        let closed = index + 1
        var after = closed
        while after < end, bytes[after] == UInt8(ascii: " ") { after += 1 }
        guard after == end || (bytes[after] == UInt8(ascii: "#") && after > closed) else { throw Unsupported() }
        let style: YAMLScalar.Style = quote == UInt8(ascii: "'") ? .singleQuoted : .doubleQuoted
        return YAMLNode(
            .scalar(YAMLScalar(text: String(decoding: text, as: UTF8.self), style: style)),
            location: location(line, offset))
    }

    /// `[a, b]` on one line, items made of letters, digits, `_`, `-`, `.`, `/` and inner spaces.
    private mutating func flowList(_ line: Int, _ offset: Int) throws(Unsupported) -> YAMLNode {
        try count()
        let bytes = self.bytes
        let end = ends[line]
        var items: [YAMLNode] = []
        var index = offset + 1
        func skipSpaces() {
            while index < end, bytes[index] == UInt8(ascii: " ") { index += 1 }
        }
        func isWordStart(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        skipSpaces()
        if index < end, bytes[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                guard index < end, isWordStart(bytes[index]) else { throw Unsupported() }
                let itemStart = index
                var itemEnd = index
                while index < end {
                    let byte = bytes[index]
                    guard
                        isWordStart(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                            || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ")
                    else { break }
                    index += 1
                    if byte != UInt8(ascii: " ") { itemEnd = index }
                }
                items.append(try scalar(line, itemStart, itemEnd))
                guard index < end else { throw Unsupported() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipSpaces()
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { throw Unsupported() }
                index += 1
                break
            }
        }
        let closed = index
        skipSpaces()
        guard index == end || (bytes[index] == UInt8(ascii: "#") && index > closed) else { throw Unsupported() }
        return YAMLNode(.sequence(items), location: location(line, offset))
    }
}
