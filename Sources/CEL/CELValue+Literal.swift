extension CELValue {
    /// The value written as a CEL expression that evaluates back to it, e.g. `{"a": [1, 2u, 3.5]}`.
    public var literal: String {
        var out = ""
        writeLiteral(into: &out)
        return out
    }

    private func writeLiteral(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += "\(u)u"
        case .double(let d):
            if d.isNaN {
                out += "double(\"NaN\")"
            } else if d.isInfinite {
                out += d < 0 ? "double(\"-Infinity\")" : "double(\"Infinity\")"
            } else {
                out += "\(d)"
            }
        case .string(let s): CELValue.writeQuoted(s, into: &out)
        case .bytes(let bytes):
            out += "b\""
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
                default:
                    let hex = String(b, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                }
            }
            out += "\""
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.writeLiteral(into: &out)
            }
            out += "]"
        case .map(let map):
            out += "{"
            for (i, entry) in map.entries.enumerated() {
                if i > 0 { out += ", " }
                entry.key.writeLiteral(into: &out)
                out += ": "
                entry.value.writeLiteral(into: &out)
            }
            out += "}"
        case .timestamp(let t): out += "timestamp(\"\(t.rfc3339)\")"
        case .duration(let d): out += "duration(\"\(d.text)\")"
        case .type(let t): out += t.name
        }
    }

    static func writeQuoted(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    let hex = String(c.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out += "\""
    }
}
