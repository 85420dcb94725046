import Descriptors
import Foundation
import LakegateCore

/// The line-based editor behind ``YAMLTextPatch``.
struct YAMLLinePatcher {
    let lines: [String]

    /// Replacement lines for `node`, which spans `span`, so that it reads as `new`; nil when the node cannot be
    /// edited in place (a scalar, a flow collection, another type) and must be written anew by the caller.
    func patch(_ node: YAMLNode, span: Range<Int>, to new: JSONValue) -> [String]? {
        if node.jsonValue == new { return Array(lines[span]) }
        guard !isFlow(node) else { return nil }
        switch (node.content, new) {
        case (.mapping(let pairs), .object(let members)) where !pairs.isEmpty:
            return patchMapping(pairs, span: span, to: members)
        case (.sequence(let items), .array(let values)) where !items.isEmpty && !values.isEmpty:
            return patchSequence(items, span: span, to: values)
        default:
            return nil
        }
    }

    /// Whether a collection is written in flow style (`[a, b]`, `{k: v}`).
    func isFlow(_ node: YAMLNode) -> Bool {
        let line = node.location.line - 1
        let column = node.location.column - 1
        guard lines.indices.contains(line) else { return false }
        let text = Array(lines[line])
        guard text.indices.contains(column) else { return false }
        return text[column] == "[" || text[column] == "{"
    }

    /// Trailing blank and comment-only lines of `span`: they stay in place when the entry before them is rewritten.
    func tail(of span: Range<Int>) -> Range<Int> {
        var start = span.upperBound
        while start > span.lowerBound {
            let trimmed = lines[start - 1].trimmingCharacters(in: .whitespaces)
            guard trimmed.isEmpty || trimmed.hasPrefix("#") else { break }
            start -= 1
        }
        return start..<span.upperBound
    }

    func patchMapping(_ pairs: [YAMLPair], span: Range<Int>, to members: [String: JSONValue]) -> [String]? {
        let keyLines = pairs.map { $0.keyLocation.line - 1 }
        let column = pairs[0].keyLocation.column - 1
        guard keyLines.allSatisfy({ span.contains($0) }), keyLines == keyLines.sorted(),
            Set(keyLines).count == keyLines.count
        else { return nil }
        let firstPrefix = String(lines[keyLines[0]].prefix(column))
        var output = Array(lines[span.lowerBound..<keyLines[0]])
        let headerCount = output.count
        for (index, pair) in pairs.enumerated() {
            let pairSpan = keyLines[index]..<(index + 1 < pairs.count ? keyLines[index + 1] : span.upperBound)
            guard let value = members[pair.key] else { continue }
            if pair.value.jsonValue == value {
                output += lines[pairSpan]
                continue
            }
            let valueLine = pair.value.location.line - 1
            if valueLine > pairSpan.lowerBound, valueLine < pairSpan.upperBound,
                let patched = patch(pair.value, span: valueLine..<pairSpan.upperBound, to: value)
            {
                output += lines[pairSpan.lowerBound..<valueLine] + patched
                continue
            }
            let trailing = tail(of: pairSpan.lowerBound + 1..<pairSpan.upperBound)
            var fresh = YAMLFragment.pair(pair.key, value, indent: column)
            fresh[0] = String(lines[pairSpan.lowerBound].prefix(column)) + fresh[0].dropFirst(column)
            output += fresh + lines[trailing]
        }
        let added = members.keys.filter { key in !pairs.contains { $0.key == key } }
        if !added.isEmpty {
            var insertAt = output.count
            while insertAt > headerCount {
                let trimmed = output[insertAt - 1].trimmingCharacters(in: .whitespaces)
                guard trimmed.isEmpty || trimmed.hasPrefix("#") else { break }
                insertAt -= 1
            }
            let ordered = YAMLFragment.orderedKeys(members.filter { added.contains($0.key) })
            output.insert(
                contentsOf: ordered.flatMap { YAMLFragment.pair($0, members[$0]!, indent: column) }, at: insertAt)
        }
        // A mapping that is a sequence item keeps its `- ` on its first line, whichever entry now comes first.
        if firstPrefix.contains("-"), output.count > headerCount, !output[headerCount].hasPrefix(firstPrefix) {
            output[headerCount] = firstPrefix + output[headerCount].dropFirst(column)
        }
        return output
    }

    func patchSequence(_ items: [YAMLNode], span: Range<Int>, to values: [JSONValue]) -> [String]? {
        let itemLines = items.map { $0.location.line - 1 }
        guard itemLines.allSatisfy({ span.contains($0) }), itemLines == itemLines.sorted(),
            Set(itemLines).count == itemLines.count
        else { return nil }
        let firstLine = Array(lines[itemLines[0]])
        guard let dash = firstLine.firstIndex(where: { $0 != " " }), firstLine[dash] == "-" else { return nil }
        var output = Array(lines[span.lowerBound..<itemLines[0]])
        let matches = Identity.match(old: items.map(\.jsonValue), new: values)
        // Blank and comment lines after the last item separate the sequence from what follows: they stay last, after
        // any items added behind it.
        var closing: [String] = []
        for (index, value) in values.enumerated() {
            guard let old = matches[index] else {
                output += YAMLFragment.item(value, indent: dash)
                continue
            }
            var itemSpan = itemLines[old]..<(old + 1 < items.count ? itemLines[old + 1] : span.upperBound)
            if old == items.count - 1 {
                let trailing = tail(of: itemSpan.lowerBound + 1..<itemSpan.upperBound)
                closing = Array(lines[trailing])
                itemSpan = itemSpan.lowerBound..<trailing.lowerBound
            }
            if items[old].jsonValue == value {
                output += lines[itemSpan]
            } else if let patched = patch(items[old], span: itemSpan, to: value) {
                output += patched
            } else {
                output +=
                    YAMLFragment.item(value, indent: dash)
                    + lines[tail(of: itemSpan.lowerBound + 1..<itemSpan.upperBound)]
            }
        }
        return output + closing
    }
}
