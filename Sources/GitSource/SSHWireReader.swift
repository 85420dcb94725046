import Foundation

/// Reads the SSH wire encoding (RFC 4251): uint32 lengths, strings, mpints.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw SignatureError.malformed("truncated data") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readUInt32() throws -> UInt32 {
        try readBytes(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readString() throws -> [UInt8] {
        try readBytes(Int(try readUInt32()))
    }

    mutating func readText() throws -> String {
        String(decoding: try readString(), as: UTF8.self)
    }

    /// An mpint without its sign byte.
    mutating func readMPInt() throws -> [UInt8] {
        var value = try readString()
        while value.first == 0 { value.removeFirst() }
        return value
    }
}

/// Writes the SSH wire encoding.
enum SSHWire {
    static func string(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let count = UInt32(bytes.count)
        return [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)]
            + Array(bytes)
    }
}
