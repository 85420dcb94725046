import LakegateCore

/// Rewrites JSON text so that it reads as a new value while keeping the text of everything that did not change
/// (layout, key order): changed values are replaced where they stand, removed members are cut out with their comma,
/// new members are appended to their object. Falls back to pretty-printing the whole value when that fails.
public enum JSONTextPatch {
    /// `text` edited to read as `new`, ending with a newline.
    public static func apply(text: String, to new: JSONValue) -> String {
        let bytes = Array(text.utf8)
        var parser = JSONSpanParser(bytes: bytes)
        if let root = try? parser.value(), (try? JSONValue(parsing: text)) != nil {
            var edits: [(Range<Int>, String)] = []
            patch(root, new, bytes: bytes, into: &edits)
            var result = bytes
            for (range, replacement) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
                result.replaceSubrange(range, with: Array(replacement.utf8))
            }
            let patched = String(decoding: result, as: UTF8.self)
            if (try? JSONValue(parsing: patched)) == new { return patched.hasSuffix("\n") ? patched : patched + "\n" }
        }
        return new.prettyJSON + "\n"
    }

    /// Compact JSON with a space after `:` and `,`, keys sorted, as hand-written files often are.
    static func compact(_ value: JSONValue) -> String {
        switch value {
        case .array(let items): "[" + items.map(compact).joined(separator: ", ") + "]"
        case .object(let members):
            "{"
                + members.keys.sorted().map { "\(compact(.string($0))): \(compact(members[$0]!))" }
                .joined(separator: ", ") + "}"
        default: JSONValue.array([value]).canonicalJSON.dropFirst().dropLast().description
        }
    }

    static func patch(_ node: SpanNode, _ new: JSONValue, bytes: [UInt8], into edits: inout [(Range<Int>, String)]) {
        if node.value == new { return }
        switch (node.content, new) {
        case (.object(let members), .object(let wanted)):
            for (index, member) in members.enumerated() {
                guard let value = wanted[member.key] else {
                    // Cut the member with the comma before it (or after it, for the first member).
                    if index > 0 {
                        edits.append((members[index - 1].value.range.upperBound..<member.value.range.upperBound, ""))
                    } else if members.count > 1 {
                        edits.append((member.keyStart..<members[1].keyStart, ""))
                    } else {
                        edits.append((member.keyStart..<member.value.range.upperBound, ""))
                    }
                    continue
                }
                patch(member.value, value, bytes: bytes, into: &edits)
            }
            let added = wanted.keys.filter { key in !members.contains { $0.key == key } }.sorted()
            guard !added.isEmpty else { return }
            let text = added.map { "\(compact(.string($0))): \(compact(wanted[$0]!))" }.joined(separator: ", ")
            // A member that is removed in the same edit still provides the insertion point; nothing can overlap.
            if let last = members.last(where: { wanted[$0.key] != nil }) {
                edits.append((last.value.range.upperBound..<last.value.range.upperBound, ", " + text))
            } else {
                edits.append((node.range.lowerBound..<node.range.upperBound, compact(new)))
                edits.removeAll { $0.0.lowerBound > node.range.lowerBound && $0.0.upperBound <= node.range.upperBound }
            }
        case (.array(let items), .array(let wanted)) where items.count == wanted.count:
            let matches = Identity.match(old: items.map(\.value), new: wanted)
            guard wanted.indices.allSatisfy({ matches[$0] == $0 }) else {
                edits.append((node.range, compact(new)))
                return
            }
            for (item, value) in zip(items, wanted) { patch(item, value, bytes: bytes, into: &edits) }
        default:
            edits.append((node.range, compact(new)))
        }
    }
}
