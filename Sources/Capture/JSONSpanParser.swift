import LakegateCore

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
struct JSONSpanParser {
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
