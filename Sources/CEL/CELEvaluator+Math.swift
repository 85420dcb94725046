extension CELEvaluator {
    /// The math extension: `math.greatest`, `math.least`, rounding, sign and classification, bit operations.
    func mathExtension(_ fn: CELFunction, _ args: [CELValue]) throws(CELError) -> CELValue {
        switch fn {
        case .greatest, .least:
            var candidates = args
            if args.count == 1, case .list(let items) = args[0] { candidates = items }
            guard !candidates.isEmpty else { throw CELError("\(fn.rawValue)(): list argument must not be empty") }
            guard args.count == 1 || candidates.allSatisfy(\.isNumeric) else { throw noOverload(fn.rawValue, args) }
            var best = candidates[0]
            guard best.isNumeric else { throw CELError("\(fn.rawValue)(): arguments must be numeric") }
            for c in candidates.dropFirst() {
                guard c.isNumeric else { throw CELError("\(fn.rawValue)(): arguments must be numeric") }
                guard let order = CELValue.compareNumbers(c, best) else {
                    if case .double(let d) = c, d.isNaN { best = c }
                    continue
                }
                if fn == .greatest ? order > 0 : order < 0 { best = c }
            }
            return best
        default:
            break
        }
        switch (fn, args.count == 1 ? args[0] : nil) {
        case (.ceil, .double(let d)?): return .double(d.rounded(.up))
        case (.floor, .double(let d)?): return .double(d.rounded(.down))
        case (.round, .double(let d)?): return .double(d.rounded(.toNearestOrAwayFromZero))
        case (.trunc, .double(let d)?): return .double(d.rounded(.towardZero))
        case (.sqrt, .double(let d)?): return .double(d.squareRoot())
        case (.sqrt, .int(let i)?): return .double(Double(i).squareRoot())
        case (.sqrt, .uint(let u)?): return .double(Double(u).squareRoot())
        case (.isNaN, .double(let d)?): return .bool(d.isNaN)
        case (.isInf, .double(let d)?): return .bool(d.isInfinite)
        case (.isFinite, .double(let d)?): return .bool(d.isFinite)
        case (.abs, .int(let i)?):
            guard i != Int64.min else { throw CELError("int overflow in math.abs") }
            return .int(Swift.abs(i))
        case (.abs, .uint?): return args[0]
        case (.abs, .double(let d)?): return .double(Swift.abs(d))
        case (.sign, .int(let i)?): return .int(i.signum())
        case (.sign, .uint(let u)?): return .uint(u == 0 ? 0 : 1)
        case (.sign, .double(let d)?): return .double(d > 0 ? 1 : (d < 0 ? -1 : d))
        case (.bitNot, .int(let i)?): return .int(~i)
        case (.bitNot, .uint(let u)?): return .uint(~u)
        default: break
        }
        guard args.count == 2 else { throw noOverload(fn.rawValue, args) }
        switch (fn, args[0], args[1]) {
        case (.bitAnd, .int(let a), .int(let b)): return .int(a & b)
        case (.bitAnd, .uint(let a), .uint(let b)): return .uint(a & b)
        case (.bitOr, .int(let a), .int(let b)): return .int(a | b)
        case (.bitOr, .uint(let a), .uint(let b)): return .uint(a | b)
        case (.bitXor, .int(let a), .int(let b)): return .int(a ^ b)
        case (.bitXor, .uint(let a), .uint(let b)): return .uint(a ^ b)
        case (.bitShiftLeft, .int(let a), .int(let n)):
            guard n >= 0 else { throw CELError("math.bitShiftLeft() negative offset: \(n)") }
            return .int(n >= 64 ? 0 : a << n)
        case (.bitShiftLeft, .uint(let a), .int(let n)):
            guard n >= 0 else { throw CELError("math.bitShiftLeft() negative offset: \(n)") }
            return .uint(n >= 64 ? 0 : a << n)
        case (.bitShiftRight, .int(let a), .int(let n)):
            guard n >= 0 else { throw CELError("math.bitShiftRight() negative offset: \(n)") }
            // Ints shift logically, as in cel-go: the sign bit is not extended.
            return .int(n >= 64 ? 0 : Int64(bitPattern: UInt64(bitPattern: a) >> UInt64(n)))
        case (.bitShiftRight, .uint(let a), .int(let n)):
            guard n >= 0 else { throw CELError("math.bitShiftRight() negative offset: \(n)") }
            return .uint(n >= 64 ? 0 : a >> n)
        default:
            throw noOverload(fn.rawValue, args)
        }
    }
}
