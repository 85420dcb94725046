import Foundation

extension CELEvaluator {
    /// The strings extension. Indexes count Unicode code points, like CEL's `size(string)`.
    func stringExtension(_ fn: CELFunction, receiver: Bool, _ args: [CELValue], _ node: CELNode) throws(CELError)
        -> CELValue
    {
        if fn == .quote {
            guard !receiver, args.count == 1, case .string(let s) = args[0] else { throw noOverload(fn.rawValue, args) }
            return .string(CELEvaluator.quote(s))
        }
        guard receiver else { throw noOverload(fn.rawValue, args) }
        if fn == .join {
            guard case .list(let items) = args[0], args.count <= 2 else { throw noOverload(fn.rawValue, args) }
            var separator = ""
            if args.count == 2 {
                guard case .string(let s) = args[1] else { throw noOverload(fn.rawValue, args) }
                separator = s
            }
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for item in items {
                guard case .string(let s) = item else { throw CELError("join: list element is not a string") }
                parts.append(s)
            }
            try charge(items.count, node)
            return .string(parts.joined(separator: separator))
        }
        guard case .string(let text) = args[0] else { throw noOverload(fn.rawValue, args) }
        let rest = Array(args.dropFirst())
        func intArg(_ i: Int) throws(CELError) -> Int {
            guard i < rest.count, case .int(let v) = rest[i] else { throw noOverload(fn.rawValue, args) }
            return Int(clamping: v)
        }
        func stringArg(_ i: Int) throws(CELError) -> [Unicode.Scalar] {
            guard i < rest.count, case .string(let v) = rest[i] else { throw noOverload(fn.rawValue, args) }
            return Array(v.unicodeScalars)
        }
        func string(_ scalars: some Sequence<Unicode.Scalar>) -> CELValue {
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars)
            return .string(s)
        }
        let chars = Array(text.unicodeScalars)
        try charge(chars.count / 32, node)
        switch fn {
        case .charAt:
            guard rest.count == 1 else { throw noOverload(fn.rawValue, args) }
            let i = try intArg(0)
            guard i >= 0 && i <= chars.count else { throw CELError("index out of range: \(i)") }
            return i == chars.count ? .string("") : string([chars[i]])
        case .indexOf:
            guard rest.count == 1 || rest.count == 2 else { throw noOverload(fn.rawValue, args) }
            let sub = try stringArg(0)
            let start = rest.count == 2 ? try intArg(1) : 0
            guard start >= 0 && start <= chars.count else { throw CELError("index out of range: \(start)") }
            if sub.isEmpty { return .int(Int64(start)) }
            var i = start
            while i + sub.count <= chars.count {
                if chars[i..<(i + sub.count)].elementsEqual(sub) { return .int(Int64(i)) }
                i += 1
            }
            return .int(-1)
        case .lastIndexOf:
            guard rest.count == 1 || rest.count == 2 else { throw noOverload(fn.rawValue, args) }
            let sub = try stringArg(0)
            var offset = chars.count
            if rest.count == 2 {
                offset = try intArg(1)
                guard offset >= 0 && offset < max(chars.count, 1) else {
                    throw CELError("index out of range: \(offset)")
                }
            }
            if sub.isEmpty { return .int(Int64(min(offset, chars.count))) }
            var i = min(offset, chars.count - sub.count)
            while i >= 0 {
                if chars[i..<(i + sub.count)].elementsEqual(sub) { return .int(Int64(i)) }
                i -= 1
            }
            return .int(-1)
        case .lowerAscii, .upperAscii, .trim, .reverse:
            guard rest.isEmpty else { throw noOverload(fn.rawValue, args) }
            switch fn {
            case .lowerAscii:
                return string(chars.map { $0 >= "A" && $0 <= "Z" ? Unicode.Scalar($0.value + 32)! : $0 })
            case .upperAscii:
                return string(chars.map { $0 >= "a" && $0 <= "z" ? Unicode.Scalar($0.value - 32)! : $0 })
            case .reverse:
                return string(chars.reversed())
            default:
                var lo = 0
                var hi = chars.count
                while lo < hi && chars[lo].properties.isWhitespace { lo += 1 }
                while hi > lo && chars[hi - 1].properties.isWhitespace { hi -= 1 }
                return string(chars[lo..<hi])
            }
        case .replace:
            guard rest.count == 2 || rest.count == 3 else { throw noOverload(fn.rawValue, args) }
            let old = try stringArg(0)
            let new = try stringArg(1)
            var limit = rest.count == 3 ? try intArg(2) : -1
            var out: [Unicode.Scalar] = []
            var i = 0
            if old.isEmpty {
                // Like Go: the replacement goes before every code point and at the end.
                while i <= chars.count {
                    if limit != 0 {
                        out.append(contentsOf: new)
                        limit -= 1
                    }
                    if i < chars.count { out.append(chars[i]) }
                    i += 1
                }
                return string(out)
            }
            while i < chars.count {
                if limit != 0 && i + old.count <= chars.count && chars[i..<(i + old.count)].elementsEqual(old) {
                    out.append(contentsOf: new)
                    i += old.count
                    limit -= 1
                } else {
                    out.append(chars[i])
                    i += 1
                }
            }
            return string(out)
        case .split:
            guard rest.count == 1 || rest.count == 2 else { throw noOverload(fn.rawValue, args) }
            let sep = try stringArg(0)
            let limit = rest.count == 2 ? try intArg(1) : -1
            if limit == 0 { return .list([]) }
            var parts: [CELValue] = []
            if sep.isEmpty {
                var i = 0
                while i < chars.count {
                    if limit > 0 && parts.count == limit - 1 {
                        parts.append(string(chars[i...]))
                        return .list(parts)
                    }
                    parts.append(string([chars[i]]))
                    i += 1
                }
                return .list(parts)
            }
            var start = 0
            var i = 0
            while i + sep.count <= chars.count {
                if limit > 0 && parts.count == limit - 1 { break }
                if chars[i..<(i + sep.count)].elementsEqual(sep) {
                    parts.append(string(chars[start..<i]))
                    i += sep.count
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(string(chars[start...]))
            return .list(parts)
        case .substring:
            guard rest.count == 1 || rest.count == 2 else { throw noOverload(fn.rawValue, args) }
            let start = try intArg(0)
            let end = rest.count == 2 ? try intArg(1) : chars.count
            guard start >= 0, start <= chars.count, end >= start, end <= chars.count else {
                throw CELError("substring(\(start), \(end)) out of range for a string of length \(chars.count)")
            }
            return string(chars[start..<end])
        case .format:
            guard rest.count == 1, case .list(let values) = rest[0] else { throw noOverload(fn.rawValue, args) }
            return .string(try CELFormatter.format(chars, values))
        default:
            throw noOverload(fn.rawValue, args)
        }
    }

    /// `strings.quote`: a double-quoted CEL string literal with escapes for control characters.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    let hex = String(c.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}

/// The `format` function of the strings extension: `%s %d %f %e %b %o %x %X` and `%%`, with `%.Nf` / `%.Ne`.
enum CELFormatter {
    static func format(_ chars: [Unicode.Scalar], _ values: [CELValue]) throws(CELError) -> String {
        var out = ""
        var i = 0
        var argIndex = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "%" else {
                out.unicodeScalars.append(c)
                continue
            }
            guard i < chars.count else { throw CELError("format: unterminated formatting clause") }
            if chars[i] == "%" {
                out += "%"
                i += 1
                continue
            }
            var precision: Int? = nil
            if chars[i] == "." {
                i += 1
                var digits = ""
                while i < chars.count, chars[i] >= "0" && chars[i] <= "9" {
                    digits.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard let p = Int(digits) else { throw CELError("format: invalid precision") }
                precision = p
            }
            guard i < chars.count else { throw CELError("format: unterminated formatting clause") }
            let verb = chars[i]
            i += 1
            guard argIndex < values.count else {
                throw CELError("format: index \(argIndex) out of range (\(values.count) arguments)")
            }
            let value = values[argIndex]
            argIndex += 1
            out += try clause(verb, precision, value)
        }
        return out
    }

    private static func special(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return nil
    }

    private static func clause(_ verb: Unicode.Scalar, _ precision: Int?, _ value: CELValue) throws(CELError)
        -> String
    {
        func unsupported() -> CELError {
            CELError("format: %\(verb) does not support a value of type \(value.celType)")
        }
        switch verb {
        case "s":
            return try asString(value)
        case "d":
            switch value {
            case .int(let v): return String(v)
            case .uint(let v): return String(v)
            case .double(let d):
                guard let s = special(d) else { throw unsupported() }
                return s
            default: throw unsupported()
            }
        case "f", "e":
            let d: Double
            switch value {
            case .int(let v): d = Double(v)
            case .uint(let v): d = Double(v)
            case .double(let v): d = v
            default: throw unsupported()
            }
            if let s = special(d) { return s }
            return String(format: "%.\(precision ?? 6)\(verb)", d)
        case "b", "o", "x", "X":
            let radix = verb == "b" ? 2 : (verb == "o" ? 8 : 16)
            let upper = verb == "X"
            switch value {
            case .int(let v):
                let digits = String(v.magnitude, radix: radix, uppercase: upper)
                return v < 0 ? "-" + digits : digits
            case .uint(let v): return String(v, radix: radix, uppercase: upper)
            case .bool(let b) where verb == "b": return b ? "1" : "0"
            case .string(let s) where radix == 16: return hex(Array(s.utf8), upper: upper)
            case .bytes(let b) where radix == 16: return hex(b, upper: upper)
            default: throw unsupported()
            }
        default:
            throw CELError("format: unrecognized formatting clause %\(verb)")
        }
    }

    private static func hex(_ bytes: [UInt8], upper: Bool) -> String {
        var out = ""
        for b in bytes {
            let h = String(b, radix: 16, uppercase: upper)
            out += h.count < 2 ? "0" + h : h
        }
        return out
    }

    /// `%s`: strings and bytes verbatim, numbers in their shortest form, lists and maps (keys sorted) recursively.
    static func asString(_ value: CELValue) throws(CELError) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let v): return String(v)
        case .uint(let v): return String(v)
        case .double(let d): return special(d) ?? CELValue.formatDoubleG(d)
        case .string(let s): return s
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else { throw CELError("format: bytes are not UTF-8") }
            return s
        case .list(let items):
            var parts: [String] = []
            for item in items { parts.append(try asString(item)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let map):
            var parts: [(String, String)] = []
            for (k, v) in map.entries { parts.append((try asString(k), try asString(v))) }
            parts.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return "{" + parts.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        case .timestamp(let t): return t.rfc3339
        case .duration(let d): return d.text
        case .type(let t): return t.name
        }
    }
}
