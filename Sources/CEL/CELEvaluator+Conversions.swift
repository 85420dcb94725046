extension CELEvaluator {
    func convert(_ fn: CELFunction, _ v: CELValue) throws(CELError) -> CELValue {
        switch (fn, v) {
        case (.dyn, _): return v
        case (.type, _): return .type(v.celType)

        case (.int, .int): return v
        case (.int, .uint(let u)):
            guard u <= UInt64(Int64.max) else { throw CELError("int range error: \(u)") }
            return .int(Int64(u))
        case (.int, .double(let d)):
            guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_807.0 else {
                throw CELError("int range error: \(d)")
            }
            return .int(Int64(d))
        case (.int, .string(let s)):
            guard let i = Int64(s) else { throw CELError("cannot convert '\(s)' to int") }
            return .int(i)
        case (.int, .timestamp(let t)): return .int(t.seconds)
        case (.int, .bool(let b)): return .int(b ? 1 : 0)

        case (.uint, .uint): return v
        case (.uint, .int(let i)):
            guard i >= 0 else { throw CELError("uint range error: \(i)") }
            return .uint(UInt64(i))
        case (.uint, .double(let d)):
            guard d.isFinite, d > -1, d < 18_446_744_073_709_551_615.0 else {
                throw CELError("uint range error: \(d)")
            }
            return .uint(UInt64(d))
        case (.uint, .string(let s)):
            guard let u = UInt64(s) else { throw CELError("cannot convert '\(s)' to uint") }
            return .uint(u)

        case (.double, .double): return v
        case (.double, .int(let i)): return .double(Double(i))
        case (.double, .uint(let u)): return .double(Double(u))
        case (.double, .string(let s)):
            guard let d = CELEvaluator.parseDouble(s) else { throw CELError("cannot convert '\(s)' to double") }
            return .double(d)

        case (.string, .string): return v
        case (.string, .int(let i)): return .string(String(i))
        case (.string, .uint(let u)): return .string(String(u))
        case (.string, .double(let d)): return .string(CELValue.formatDoubleG(d))
        case (.string, .bool(let b)): return .string(b ? "true" : "false")
        case (.string, .bytes(let b)):
            guard let s = String(validating: b, as: UTF8.self) else {
                throw CELError("invalid UTF-8 in bytes, cannot convert to string")
            }
            return .string(s)
        case (.string, .timestamp(let t)): return .string(t.rfc3339)
        case (.string, .duration(let d)): return .string(d.text)
        case (.string, .type(let t)): return .string(t.name)
        case (.string, .null): return .string("null")

        case (.bytes, .bytes): return v
        case (.bytes, .string(let s)): return .bytes(Array(s.utf8))

        case (.bool, .bool): return v
        case (.bool, .string(let s)):
            switch s {
            case "1", "t", "T", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "F", "false", "FALSE", "False": return .bool(false)
            default: throw CELError("cannot convert '\(s)' to bool")
            }

        case (.timestamp, .timestamp): return v
        case (.timestamp, .string(let s)):
            guard let t = CELTimestamp(rfc3339: s) else { throw CELError("invalid timestamp '\(s)'") }
            return .timestamp(t)
        case (.timestamp, .int(let i)):
            guard let t = CELTimestamp(seconds: i) else { throw CELError("timestamp out of range: \(i)") }
            return .timestamp(t)

        case (.duration, .duration): return v
        case (.duration, .string(let s)):
            guard let d = CELDuration(text: s) else { throw CELError("invalid duration '\(s)'") }
            return .duration(d)
        case (.duration, .int(let i)):
            guard let d = CELDuration(nanoseconds: Int128(i)) else { throw CELError("duration out of range") }
            return .duration(d)

        default:
            throw noOverload(fn.rawValue, [v])
        }
    }

    static func parseDouble(_ s: String) -> Double? {
        switch s.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard !s.isEmpty, s.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }) else {
            return nil
        }
        return Double(s)
    }
}

extension CELValue {
    /// Formats a double like Go's `strconv.FormatFloat(d, 'g', -1, 64)`, which CEL's `string(double)` uses.
    static func formatDoubleG(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Shortest round-trip digits and the decimal exponent, from Swift's own shortest form.
        let (negative, digits, pointPosition) = shortestDigits(d)
        let exp = pointPosition - 1
        var out = negative ? "-" : ""
        if exp < -4 || exp >= 6 {
            out += String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            out += exp < 0 ? "e-" : "e+"
            let e = String(abs(exp))
            out += e.count < 2 ? "0" + e : e
            return out
        }
        if pointPosition <= 0 {
            out += "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            out += digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let i = digits.index(digits.startIndex, offsetBy: pointPosition)
            out += digits[..<i] + "." + digits[i...]
        }
        return out
    }

    /// The shortest decimal digits of `d` (no leading or trailing zeros) and the position of the decimal point.
    static func shortestDigits(_ d: Double) -> (negative: Bool, digits: String, point: Int) {
        var text = "\(abs(d))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var point = intPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (d.sign == .minus, digits, point)
    }
}
