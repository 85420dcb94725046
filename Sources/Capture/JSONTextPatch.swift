import LakegateCore

/// Rewrites JSON text so that it reads as a new value while keeping the text of everything that did not change
/// (layout, key order): changed values are replaced where they stand, removed members are cut out with their comma,
/// new members are appended to their object. Falls back to pretty-printing the whole value when that fails.
public enum JSONTextPatch {
    /// `text` edited to read as `new`, ending with a newline.
    public static func apply(text: String, to new: JSONValue) -> String {
        let bytes = Array(text.utf8)
        var parser = SpanParser(bytes: bytes)
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

/// A parsed JSON value with the byte range it was read from.
struct SpanNode {
    enum Content {
        case scalar
        case array([SpanNode])
        case object([(key: String, keyStart: Int, value: SpanNode)])
    }

    var content: Content
    var range: Range<Int>
    var value: JSONValue
}

/// A small JSON reader that records where each value is; values themselves are decoded by ``JSONValue``.
struct SpanParser {
    struct Failure: Error {}

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func value() throws -> SpanNode {
        skipSpace()
        guard position < bytes.count else { throw Failure() }
        let start = position
        let content: SpanNode.Content
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, keyStart: Int, value: SpanNode)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    skipSpace()
                    let keyStart = position
                    let key = try string()
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw Failure() }
                    position += 1
                    members.append((key, keyStart, try value()))
                    skipSpace()
                    guard position < bytes.count else { throw Failure() }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "}") { break }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { throw Failure() }
                }
            }
            content = .object(members)
        case UInt8(ascii: "["):
            position += 1
            var items: [SpanNode] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    items.append(try value())
                    skipSpace()
                    guard position < bytes.count else { throw Failure() }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "]") { break }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { throw Failure() }
                }
            }
            content = .array(items)
        case UInt8(ascii: "\""):
            _ = try string()
            content = .scalar
        default:
            while position < bytes.count, !",]} \n\r\t".utf8.contains(bytes[position]) { position += 1 }
            content = .scalar
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return SpanNode(content: content, range: start..<position, value: try JSONValue(parsing: text))
    }

    mutating func string() throws -> String {
        let start = position
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Failure() }
        position += 1
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard position < bytes.count else { throw Failure() }
        position += 1
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard case .string(let value) = try JSONValue(parsing: text) else { throw Failure() }
        return value
    }
}
