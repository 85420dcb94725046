import Foundation
import LakegateCore

/// Checks that a file's bytes are YAML text before parsing: no NUL byte (a binary file), valid UTF-8, and no
/// control character YAML forbids (C0 other than tab, line feed and carriage return; DEL; C1 other than NEL).
/// The first problem is named in words at its line and column.
enum YAMLTextCheck {
    /// The first problem in `bytes`, or nil for YAML text.
    static func problem(in bytes: UnsafeBufferPointer<UInt8>, path: String) -> Diagnostic? {
        // A NUL anywhere makes it binary, whatever comes before it (a PNG header is not "invalid UTF-8").
        if let nul = bytes.firstIndex(of: 0) {
            return Diagnostic(location(of: nul, in: bytes, path: path), "binary file (a NUL byte): expected YAML text")
        }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
                    return Diagnostic(
                        location(of: index, in: bytes, path: path),
                        "control character \(codePoint(UInt32(byte))) is not allowed in YAML text")
                }
                index += 1
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index) else {
                return Diagnostic(
                    location(of: index, in: bytes, path: path),
                    "file is not valid UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)))")
            }
            if (0x80...0x9F).contains(scalar) && scalar != 0x85 {
                return Diagnostic(
                    location(of: index, in: bytes, path: path),
                    "control character \(codePoint(scalar)) is not allowed in YAML text")
            }
            index += length
        }
        return nil
    }

    static func codePoint(_ value: UInt32) -> String {
        "U+" + String(format: "%04X", value)
    }

    /// The scalar value and byte length of the UTF-8 sequence at `index`, or nil when it is not valid UTF-8
    /// (bad lead or continuation byte, overlong form, surrogate, beyond U+10FFFF, or cut short).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        let minimum: UInt32 = length == 3 ? 0x800 : length == 4 ? 0x10000 : 0x80
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, path: String) -> SourceLocation {
        var line = 1
        var column = 1
        for index in 0..<offset {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(path: path, line: line, column: column)
    }
}
