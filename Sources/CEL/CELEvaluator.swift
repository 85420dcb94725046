/// Walks a compiled expression tree with one set of variables; one evaluator per evaluation.
final class CELEvaluator {
    let bindings: [String: CELValue]
    let costLimit: Int
    var cost = 0
    private var locals: [(name: String, value: CELValue)] = []

    /// Whether some variable name contains a dot; if none does, dotted paths need no prefix search.
    private let dottedBindings: Bool

    init(bindings: [String: CELValue], costLimit: Int) {
        self.bindings = bindings
        self.costLimit = costLimit
        self.dottedBindings = bindings.keys.contains { $0.utf8.contains(UInt8(ascii: ".")) }
    }

    @inline(__always)
    func charge(_ n: Int, _ node: CELNode) throws(CELError) {
        cost &+= n
        if cost > costLimit {
            throw CELError("cost limit exceeded (\(costLimit))", line: node.line, column: node.column)
        }
    }

    func eval(_ node: CELNode) throws(CELError) -> CELValue {
        try charge(1, node)
        do throws(CELError) {
            return try evalUnpositioned(node)
        } catch {
            throw error.positioned(line: node.line, column: node.column)
        }
    }

    private func evalUnpositioned(_ node: CELNode) throws(CELError) -> CELValue {
        switch node.kind {
        case .literal(let v):
            return v
        case .path(let parts):
            return try resolve(parts)
        case .select(let operand, let field):
            return try select(try eval(operand), field)
        case .presence(let operand, let field):
            return try presence(try eval(operand), field)
        case .index(let operand, let index):
            return try self.index(try eval(operand), try eval(index))
        case .and(let lhs, let rhs):
            return try logical(lhs, rhs, absorbing: false)
        case .or(let lhs, let rhs):
            return try logical(lhs, rhs, absorbing: true)
        case .not(let operand):
            guard case .bool(let b) = try eval(operand) else { throw CELError("no such overload: !_") }
            return .bool(!b)
        case .negate(let operand):
            return try negate(try eval(operand))
        case .conditional(let cond, let a, let b):
            guard case .bool(let c) = try eval(cond) else {
                throw CELError("no such overload: condition of ?: is not a bool")
            }
            return try eval(c ? a : b)
        case .list(let items):
            var out: [CELValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try eval(item)) }
            return .list(out)
        case .map(let entries):
            var map = CELMap()
            map.reserveCapacity(entries.count)
            for (k, v) in entries {
                let key = try eval(k)
                let value = try eval(v)
                guard CELMap.isValidKey(key) else {
                    throw CELError("unsupported key type \(key.celType) in map literal")
                }
                guard map.insert(key: key, value: value) else {
                    throw CELError("Failed with repeated key: \(key.literal)")
                }
            }
            return .map(map)
        case .call(let fn, let name, let target, let args):
            guard let fn else {
                throw CELError("unknown function: \(name)")
            }
            // Binary operators skip the argument array: they dominate policy evaluation.
            if target == nil && args.count == 2 && fn.isBinaryOperator {
                return try binary(fn, try eval(args[0]), args[1], node)
            }
            var values: [CELValue] = []
            values.reserveCapacity(args.count + 1)
            if let target { values.append(try eval(target)) }
            for arg in args { values.append(try eval(arg)) }
            return try call(fn, receiver: target != nil, values, node)
        case .comprehension(let macro, let range, let first, let second, let filter, let body):
            return try comprehension(macro, try eval(range), first, second, filter, body, node)
        }
    }

    /// `&&` (absorbing false) and `||` (absorbing true): an error on one side is absorbed when the other side
    /// decides the result, in either order.
    private func logical(_ lhs: CELNode, _ rhs: CELNode, absorbing: Bool) throws(CELError) -> CELValue {
        var firstError: CELError?
        do throws(CELError) {
            let l = try eval(lhs)
            guard case .bool(let b) = l else {
                throw CELError("no such overload: \(absorbing ? "_||_" : "_&&_") on \(l.celType)")
            }
            if b == absorbing { return .bool(absorbing) }
        } catch {
            firstError = error
        }
        let r: CELValue
        do throws(CELError) {
            r = try eval(rhs)
        } catch {
            throw firstError ?? error
        }
        guard case .bool(let b) = r else {
            throw firstError ?? CELError("no such overload: \(absorbing ? "_||_" : "_&&_") on \(r.celType)")
        }
        if b == absorbing { return .bool(absorbing) }
        if let firstError { throw firstError }
        return .bool(!absorbing)
    }

    // MARK: Variables and fields

    private func local(_ name: String) -> CELValue? {
        var i = locals.count - 1
        while i >= 0 {
            if locals[i].name == name { return locals[i].value }
            i -= 1
        }
        return nil
    }

    private func resolve(_ parts: [String]) throws(CELError) -> CELValue {
        if let value = local(parts[0]) {
            var v = value
            for field in parts.dropFirst() { v = try select(v, field) }
            return v
        }
        if parts.count == 1 {
            if let v = bindings[parts[0]] { return v }
            if let t = CELType.byIdentifier[parts[0]] { return .type(t) }
            throw CELError("undeclared reference to '\(parts[0])'")
        }
        if !dottedBindings, let root = bindings[parts[0]] {
            var value = root
            for field in parts.dropFirst() { value = try select(value, field) }
            return value
        }
        // Longest bound prefix first, then field selection on the rest.
        var n = parts.count
        while n >= 1 {
            let name = parts[0..<n].joined(separator: ".")
            if let v = bindings[name] {
                var value = v
                for field in parts[n...] { value = try select(value, field) }
                return value
            }
            if let t = CELType.byIdentifier[name] {
                var value = CELValue.type(t)
                for field in parts[n...] { value = try select(value, field) }
                return value
            }
            n -= 1
        }
        throw CELError("undeclared reference to '\(parts.joined(separator: "."))'")
    }

    func select(_ value: CELValue, _ field: String) throws(CELError) -> CELValue {
        guard case .map(let map) = value else {
            throw CELError("type '\(value.celType)' does not support field selection")
        }
        guard let v = map[field] else { throw CELError("no such key: '\(field)'") }
        return v
    }

    private func presence(_ value: CELValue, _ field: String) throws(CELError) -> CELValue {
        guard case .map(let map) = value else {
            throw CELError("type '\(value.celType)' does not support field selection")
        }
        return .bool(map[field] != nil)
    }

    func index(_ value: CELValue, _ key: CELValue) throws(CELError) -> CELValue {
        switch value {
        case .list(let items):
            let i: Int64
            switch key {
            case .int(let n): i = n
            case .uint(let u):
                guard u <= UInt64(Int64.max) else { throw CELError("index out of range: \(u)") }
                i = Int64(u)
            case .double(let d):
                guard d.rounded(.towardZero) == d, d >= -9.2e18, d <= 9.2e18 else {
                    throw CELError("unsupported index value \(d)")
                }
                i = Int64(d)
            default:
                throw CELError("no such overload: list index of type \(key.celType)")
            }
            guard i >= 0 && i < Int64(items.count) else { throw CELError("index out of range: \(i)") }
            return items[Int(i)]
        case .map(let map):
            switch key {
            case .int, .uint, .double, .bool, .string: break
            default: throw CELError("unsupported map key type \(key.celType)")
            }
            guard let v = map[key] else { throw CELError("no such key: \(key.literal)") }
            return v
        default:
            throw CELError("no such overload: index on \(value.celType)")
        }
    }

    // MARK: Comprehensions

    private func comprehension(
        _ macro: CELNode.Macro, _ range: CELValue, _ first: String, _ second: String?, _ filter: CELNode?,
        _ body: CELNode, _ node: CELNode
    ) throws(CELError) -> CELValue {
        let items = try CELRangeItems(range)
        let isMap = items.isMap
        let base = locals.count
        defer { locals.removeSubrange(base...) }
        locals.append((first, .null))
        if let second { locals.append((second, .null)) }
        func bind(_ item: (CELValue, CELValue)) {
            if second != nil {
                locals[base].value = item.0
                locals[base + 1].value = item.1
            } else {
                // One variable: list elements, or map keys.
                locals[base].value = isMap ? item.0 : item.1
            }
        }
        func predicate(_ p: CELNode) throws(CELError) -> Bool {
            let v = try eval(p)
            guard case .bool(let b) = v else { throw CELError("no such overload: predicate of type \(v.celType)") }
            return b
        }
        switch macro {
        case .all, .exists:
            let decisive = macro == .exists
            var pending: CELError?
            for item in items {
                try charge(1, node)
                bind(item)
                do throws(CELError) {
                    if try predicate(body) == decisive { return .bool(decisive) }
                } catch {
                    if error.message.hasPrefix("cost limit exceeded") { throw error }
                    if pending == nil { pending = error }
                }
            }
            if let pending { throw pending }
            return .bool(!decisive)
        case .existsOne:
            var count = 0
            for item in items {
                try charge(1, node)
                bind(item)
                if try predicate(body) { count += 1 }
            }
            return .bool(count == 1)
        case .filter:
            var out: [CELValue] = []
            for item in items {
                try charge(1, node)
                bind(item)
                if try predicate(body) { out.append(isMap ? item.0 : item.1) }
            }
            return .list(out)
        case .map, .transformList:
            var out: [CELValue] = []
            out.reserveCapacity(items.count)
            for item in items {
                try charge(1, node)
                bind(item)
                if let filter, !(try predicate(filter)) { continue }
                out.append(try eval(body))
            }
            return .list(out)
        case .transformMap:
            var out = CELMap()
            for item in items {
                try charge(1, node)
                bind(item)
                if let filter, !(try predicate(filter)) { continue }
                out.insertUnchecked(key: item.0, value: try eval(body))
            }
            return .map(out)
        }
    }
}

/// The (index or key, value) pairs a comprehension iterates over, without copying the range.
struct CELRangeItems: Sequence {
    private let list: [CELValue]
    private let map: CELMap?

    var isMap: Bool { map != nil }

    var count: Int { map?.count ?? list.count }

    init(_ range: CELValue) throws(CELError) {
        switch range {
        case .list(let items):
            list = items
            map = nil
        case .map(let m):
            list = []
            map = m
        default:
            throw CELError("expression of type '\(range.celType)' cannot be the range of a comprehension")
        }
    }

    struct Iterator: IteratorProtocol {
        let items: CELRangeItems
        var i = 0

        mutating func next() -> (CELValue, CELValue)? {
            if let map = items.map {
                guard i < map.entries.count else { return nil }
                defer { i += 1 }
                return (map.entries[i].key, map.entries[i].value)
            }
            guard i < items.list.count else { return nil }
            defer { i += 1 }
            return (.int(Int64(i)), items.list[i])
        }
    }

    func makeIterator() -> Iterator { Iterator(items: self) }
}
