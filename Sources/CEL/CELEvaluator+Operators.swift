extension CELEvaluator {
    func noOverload(_ name: String, _ args: [CELValue]) -> CELError {
        CELError("no such overload: \(name)(\(args.map { $0.celType.name }.joined(separator: ", ")))")
    }

    /// Evaluates a binary operator whose right operand is still unevaluated.
    @inline(__always)
    func binary(_ fn: CELFunction, _ lhs: CELValue, _ rhsNode: CELNode, _ node: CELNode) throws(CELError)
        -> CELValue
    {
        let rhs = try eval(rhsNode)
        switch fn {
        case .equal: return .bool(lhs.celEquals(rhs))
        case .notEqual: return .bool(!lhs.celEquals(rhs))
        case .add: return try add(lhs, rhs, node)
        default: return try call(fn, receiver: false, [lhs, rhs], node)
        }
    }

    func call(_ fn: CELFunction, receiver: Bool, _ args: [CELValue], _ node: CELNode) throws(CELError) -> CELValue {
        switch fn {
        case .add:
            return try add(args[0], args[1], node)
        case .subtract:
            return try subtract(args[0], args[1])
        case .multiply:
            return try multiply(args[0], args[1])
        case .divide:
            return try divide(args[0], args[1])
        case .modulo:
            return try modulo(args[0], args[1])
        case .equal:
            return .bool(args[0].celEquals(args[1]))
        case .notEqual:
            return .bool(!args[0].celEquals(args[1]))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let order = CELValue.compare(args[0], args[1]) else {
                if args[0].isNumeric && args[1].isNumeric { return .bool(false) }  // NaN
                throw noOverload(fn.rawValue, args)
            }
            switch fn {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .in:
            switch args[1] {
            case .list(let items):
                try charge(items.count / 8, node)
                return .bool(items.contains { $0.celEquals(args[0]) })
            case .map(let map):
                return .bool(map[args[0]] != nil)
            default:
                throw noOverload("in", args)
            }
        case .size:
            guard args.count == 1 else { throw noOverload("size", args) }
            switch args[0] {
            case .string(let s): return .int(Int64(s.unicodeScalars.count))
            case .bytes(let b): return .int(Int64(b.count))
            case .list(let l): return .int(Int64(l.count))
            case .map(let m): return .int(Int64(m.count))
            default: throw noOverload("size", args)
            }
        case .contains, .startsWith, .endsWith:
            guard receiver, args.count == 2, case .string(let s) = args[0], case .string(let t) = args[1] else {
                throw noOverload(fn.rawValue, args)
            }
            let a = Array(s.utf8)
            let b = Array(t.utf8)
            switch fn {
            case .startsWith: return .bool(a.starts(with: b))
            case .endsWith: return .bool(a.count >= b.count && Array(a[(a.count - b.count)...]) == b)
            default:
                try charge((a.count * max(b.count, 1)) / 64, node)
                return .bool(CELEvaluator.find(b, in: a) != nil)
            }
        case .matches:
            guard args.count == 2, case .string(let s) = args[0], case .string(let pattern) = args[1] else {
                throw noOverload("matches", args)
            }
            return .bool(try CELRegex.matches(s, pattern: pattern))
        case .int, .uint, .double, .string, .bytes, .bool, .dyn, .type, .timestamp, .duration:
            guard !receiver, args.count == 1 else { throw noOverload(fn.rawValue, args) }
            return try convert(fn, args[0])
        case .getFullYear, .getMonth, .getDate, .getDayOfMonth, .getDayOfWeek, .getDayOfYear, .getHours,
            .getMinutes, .getSeconds, .getMilliseconds:
            guard receiver else { throw noOverload(fn.rawValue, args) }
            return try timeAccessor(fn, args)
        case .charAt, .indexOf, .lastIndexOf, .lowerAscii, .upperAscii, .replace, .split, .substring, .trim, .join,
            .reverse, .format, .quote:
            return try stringExtension(fn, receiver: receiver, args, node)
        case .greatest, .least, .abs, .ceil, .floor, .round, .trunc, .sign, .isNaN, .isInf, .isFinite, .bitAnd,
            .bitOr, .bitXor, .bitNot, .bitShiftLeft, .bitShiftRight, .sqrt:
            guard !receiver else { throw noOverload(fn.rawValue, args) }
            return try mathExtension(fn, args)
        }
    }

    /// The first index of `needle` in `haystack` (UTF-8 bytes), or nil.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        if needle.isEmpty { return start }
        guard haystack.count >= needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    func negate(_ v: CELValue) throws(CELError) -> CELValue {
        switch v {
        case .int(let i):
            guard i != Int64.min else { throw CELError("int overflow in negation") }
            return .int(-i)
        case .double(let d): return .double(-d)
        default: throw noOverload("-_", [v])
        }
    }

    func add(_ a: CELValue, _ b: CELValue, _ node: CELNode) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            guard !o else { throw CELError("int overflow in addition") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            guard !o else { throw CELError("uint overflow in addition") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)):
            try charge((x.utf8.count + y.utf8.count) / 64, node)
            return .string(x + y)
        case (.bytes(let x), .bytes(let y)):
            try charge((x.count + y.count) / 64, node)
            return .bytes(x + y)
        case (.list(let x), .list(let y)):
            try charge(x.count + y.count, node)
            return .list(x + y)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            guard let r = CELTimestamp(nanosecondsSinceEpoch: t.nanosecondsSinceEpoch + d.nanoseconds) else {
                throw CELError("timestamp overflow")
            }
            return .timestamp(r)
        case (.duration(let x), .duration(let y)):
            guard let r = CELDuration(nanoseconds: x.nanoseconds + y.nanoseconds) else {
                throw CELError("duration overflow")
            }
            return .duration(r)
        default:
            throw noOverload("_+_", [a, b])
        }
    }

    func subtract(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            guard !o else { throw CELError("int overflow in subtraction") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            guard !o else { throw CELError("uint overflow in subtraction") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp(let t), .duration(let d)):
            guard let r = CELTimestamp(nanosecondsSinceEpoch: t.nanosecondsSinceEpoch - d.nanoseconds) else {
                throw CELError("timestamp overflow")
            }
            return .timestamp(r)
        case (.timestamp(let x), .timestamp(let y)):
            // The difference of two timestamps must fit in 64-bit nanoseconds, as in cel-go and cel-cpp.
            let diff = x.nanosecondsSinceEpoch - y.nanosecondsSinceEpoch
            guard diff >= Int128(Int64.min), diff <= Int128(Int64.max), let r = CELDuration(nanoseconds: diff) else {
                throw CELError("duration overflow")
            }
            return .duration(r)
        case (.duration(let x), .duration(let y)):
            guard let r = CELDuration(nanoseconds: x.nanoseconds - y.nanoseconds) else {
                throw CELError("duration overflow")
            }
            return .duration(r)
        default:
            throw noOverload("_-_", [a, b])
        }
    }

    func multiply(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            guard !o else { throw CELError("int overflow in multiplication") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            guard !o else { throw CELError("uint overflow in multiplication") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default:
            throw noOverload("_*_", [a, b])
        }
    }

    func divide(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            guard y != 0 else { throw CELError("division by zero") }
            let (r, o) = x.dividedReportingOverflow(by: y)
            guard !o else { throw CELError("int overflow in division") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            guard y != 0 else { throw CELError("division by zero") }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default:
            throw noOverload("_/_", [a, b])
        }
    }

    func modulo(_ a: CELValue, _ b: CELValue) throws(CELError) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            guard y != 0 else { throw CELError("modulus by zero") }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            guard !o else { throw CELError("int overflow in modulus") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            guard y != 0 else { throw CELError("modulus by zero") }
            return .uint(x % y)
        default:
            throw noOverload("_%_", [a, b])
        }
    }
}
