/// A recursive-descent parser for CEL that expands macros and builds ``CELNode`` trees.
struct CELParser {
    private let tokens: [CELLexer.Token]
    private var pos = 0
    private var depth = 0

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while", "in",
    ]
    private static let maxDepth = 250

    init(tokens: [CELLexer.Token]) {
        self.tokens = tokens
    }

    static func parse(_ source: String) throws(CELError) -> CELNode {
        var parser = CELParser(tokens: try CELLexer.tokenize(source))
        let node = try parser.parseExpr()
        let t = parser.current
        guard t.kind == .end else { throw parser.unexpected(t) }
        return node
    }

    private var current: CELLexer.Token { tokens[pos] }

    private func isPunct(_ p: String) -> Bool { current.kind == .punct(p) }

    private mutating func accept(_ p: String) -> Bool {
        if isPunct(p) {
            pos += 1
            return true
        }
        return false
    }

    private mutating func expect(_ p: String) throws(CELError) {
        guard accept(p) else {
            throw CELError("Syntax error: expected '\(p)'", line: current.line, column: current.column)
        }
    }

    private func unexpected(_ t: CELLexer.Token) -> CELError {
        let what: String
        switch t.kind {
        case .end: what = "unexpected end of expression"
        case .punct(let p): what = "unexpected '\(p)'"
        case .identifier(let n): what = "unexpected '\(n)'"
        default: what = "unexpected token"
        }
        return CELError("Syntax error: \(what)", line: t.line, column: t.column)
    }

    /// The deepest expression tree accepted (long operator chains nest too): evaluation recurses once per level.
    static let maxHeight = 250

    private func node(_ kind: CELNode.Kind, at t: CELLexer.Token) throws(CELError) -> CELNode {
        let n = CELNode(kind, line: t.line, column: t.column)
        guard n.height <= CELParser.maxHeight else {
            throw CELError("Syntax error: expression nested too deeply", line: t.line, column: t.column)
        }
        return n
    }

    private mutating func enter(_ t: CELLexer.Token) throws(CELError) {
        depth += 1
        if depth > CELParser.maxDepth {
            throw CELError("Syntax error: expression nested too deeply", line: t.line, column: t.column)
        }
    }

    mutating func parseExpr() throws(CELError) -> CELNode {
        let start = current
        try enter(start)
        defer { depth -= 1 }
        let cond = try parseOr()
        guard isPunct("?") else { return cond }
        let q = current
        pos += 1
        let a = try parseOr()
        try expect(":")
        let b = try parseExpr()
        return try node(.conditional(cond, a, b), at: q)
    }

    private mutating func parseOr() throws(CELError) -> CELNode {
        var lhs = try parseAnd()
        while isPunct("||") {
            let op = current
            pos += 1
            let rhs = try parseAnd()
            lhs = try node(.or(lhs, rhs), at: op)
        }
        return lhs
    }

    private mutating func parseAnd() throws(CELError) -> CELNode {
        var lhs = try parseRelation()
        while isPunct("&&") {
            let op = current
            pos += 1
            let rhs = try parseRelation()
            lhs = try node(.and(lhs, rhs), at: op)
        }
        return lhs
    }

    private mutating func parseRelation() throws(CELError) -> CELNode {
        var lhs = try parseAddition()
        while true {
            let op = current
            let fn: CELFunction
            switch op.kind {
            case .punct("<"): fn = .less
            case .punct("<="): fn = .lessEqual
            case .punct(">"): fn = .greater
            case .punct(">="): fn = .greaterEqual
            case .punct("=="): fn = .equal
            case .punct("!="): fn = .notEqual
            case .identifier("in"): fn = .in
            default: return lhs
            }
            pos += 1
            let rhs = try parseAddition()
            lhs = try node(.call(fn, name: fn.rawValue, target: nil, args: [lhs, rhs]), at: op)
        }
    }

    private mutating func parseAddition() throws(CELError) -> CELNode {
        var lhs = try parseMultiplication()
        while true {
            let op = current
            let fn: CELFunction
            switch op.kind {
            case .punct("+"): fn = .add
            case .punct("-"): fn = .subtract
            default: return lhs
            }
            pos += 1
            let rhs = try parseMultiplication()
            lhs = try node(.call(fn, name: fn.rawValue, target: nil, args: [lhs, rhs]), at: op)
        }
    }

    private mutating func parseMultiplication() throws(CELError) -> CELNode {
        var lhs = try parseUnary()
        while true {
            let op = current
            let fn: CELFunction
            switch op.kind {
            case .punct("*"): fn = .multiply
            case .punct("/"): fn = .divide
            case .punct("%"): fn = .modulo
            default: return lhs
            }
            pos += 1
            let rhs = try parseUnary()
            lhs = try node(.call(fn, name: fn.rawValue, target: nil, args: [lhs, rhs]), at: op)
        }
    }

    private mutating func parseUnary() throws(CELError) -> CELNode {
        let start = current
        if isPunct("!") {
            var ops: [CELLexer.Token] = []
            while isPunct("!") {
                ops.append(current)
                pos += 1
            }
            var operand = try parseMember()
            for op in ops.reversed() { operand = try node(.not(operand), at: op) }
            return operand
        }
        if isPunct("-") {
            var ops: [CELLexer.Token] = []
            while isPunct("-") {
                ops.append(current)
                pos += 1
            }
            // A minus directly before a numeric literal folds into the literal, so that
            // -9223372036854775808 is representable.
            var operand: CELNode
            let lit = current
            let next = tokens[min(pos + 1, tokens.count - 1)].kind
            let followedByMember = next == .punct(".") || next == .punct("[")
            var folded = false
            switch lit.kind {
            case .int(let v) where !followedByMember:
                pos += 1
                operand = try node(.literal(.int(-v)), at: ops.last!)
                folded = true
            case .intOverflow where !followedByMember:
                pos += 1
                operand = try node(.literal(.int(Int64.min)), at: ops.last!)
                folded = true
            case .double(let v) where !followedByMember:
                pos += 1
                operand = try node(.literal(.double(-v)), at: ops.last!)
                folded = true
            default:
                operand = try parseMember()
            }
            for op in (folded ? ops.dropLast() : ops[...]).reversed() { operand = try node(.negate(operand), at: op) }
            _ = start
            return operand
        }
        return try parseMember()
    }

    private mutating func parseMember() throws(CELError) -> CELNode {
        var operand = try parsePrimary()
        while true {
            let t = current
            if accept(".") {
                let nameToken = current
                let name: String
                switch nameToken.kind {
                case .identifier(let n): name = n
                case .quotedIdentifier(let n): name = n
                default: throw unexpected(nameToken)
                }
                pos += 1
                if case .identifier = nameToken.kind, isPunct("(") {
                    pos += 1
                    let args = try parseArguments(closing: ")")
                    operand = try makeReceiverCall(name, target: operand, args: args, at: nameToken)
                } else {
                    if case .path(let parts) = operand.kind, case .identifier = nameToken.kind {
                        operand = CELNode(.path(parts + [name]), line: operand.line, column: operand.column)
                    } else {
                        operand = try node(.select(operand, name), at: nameToken)
                    }
                }
            } else if accept("[") {
                try enter(t)
                let index = try parseExpr()
                depth -= 1
                try expect("]")
                operand = try node(.index(operand, index), at: t)
            } else {
                return operand
            }
        }
    }

    private mutating func parseArguments(closing: String) throws(CELError) -> [CELNode] {
        var args: [CELNode] = []
        if accept(closing) { return args }
        while true {
            args.append(try parseExpr())
            if accept(closing) { return args }
            try expect(",")
            if closing == "]" && accept(closing) { return args }
        }
    }

    private mutating func parsePrimary() throws(CELError) -> CELNode {
        let t = current
        switch t.kind {
        case .int(let v):
            pos += 1
            return try node(.literal(.int(v)), at: t)
        case .intOverflow:
            throw CELError("Syntax error: int literal out of range", line: t.line, column: t.column)
        case .uint(let v):
            pos += 1
            return try node(.literal(.uint(v)), at: t)
        case .double(let v):
            pos += 1
            return try node(.literal(.double(v)), at: t)
        case .string(let s):
            pos += 1
            return try node(.literal(.string(s)), at: t)
        case .bytes(let b):
            pos += 1
            return try node(.literal(.bytes(b)), at: t)
        case .identifier(let name):
            pos += 1
            switch name {
            case "true": return try node(.literal(.bool(true)), at: t)
            case "false": return try node(.literal(.bool(false)), at: t)
            case "null": return try node(.literal(.null), at: t)
            default: break
            }
            guard !CELParser.reserved.contains(name) else {
                throw CELError("Syntax error: reserved identifier '\(name)'", line: t.line, column: t.column)
            }
            if accept("(") {
                let args = try parseArguments(closing: ")")
                return try makeGlobalCall(name, args: args, at: t)
            }
            return try node(.path([name]), at: t)
        case .punct("."):
            // A leading dot names the root scope: `.x` or `.f()`.
            pos += 1
            guard case .identifier(let name) = current.kind, !CELParser.reserved.contains(name) else {
                throw unexpected(current)
            }
            let nameToken = current
            pos += 1
            if accept("(") {
                let args = try parseArguments(closing: ")")
                return try makeGlobalCall(name, args: args, at: nameToken)
            }
            return try node(.path([name]), at: nameToken)
        case .punct("("):
            pos += 1
            let inner = try parseExpr()
            try expect(")")
            return inner
        case .punct("["):
            pos += 1
            try enter(t)
            let items = try parseArguments(closing: "]")
            depth -= 1
            return try node(.list(items), at: t)
        case .punct("{"):
            pos += 1
            try enter(t)
            defer { depth -= 1 }
            var entries: [(CELNode, CELNode)] = []
            if accept("}") { return try node(.map(entries), at: t) }
            while true {
                let key = try parseExpr()
                try expect(":")
                let value = try parseExpr()
                entries.append((key, value))
                if accept("}") { break }
                try expect(",")
                if accept("}") { break }
            }
            return try node(.map(entries), at: t)
        default:
            throw unexpected(t)
        }
    }

    private func identifierName(_ n: CELNode) -> String? {
        if case .path(let parts) = n.kind, parts.count == 1 { return parts[0] }
        return nil
    }

    private func makeGlobalCall(_ name: String, args: [CELNode], at t: CELLexer.Token) throws(CELError) -> CELNode {
        if name == "has" && args.count == 1 {
            switch args[0].kind {
            case .path(let parts) where parts.count > 1:
                let operand = CELNode(.path(Array(parts.dropLast())), line: args[0].line, column: args[0].column)
                return try node(.presence(operand, parts.last!), at: t)
            case .select(let operand, let field):
                return try node(.presence(operand, field), at: t)
            default:
                throw CELError("invalid argument to has() macro", line: t.line, column: t.column)
            }
        }
        return try node(.call(CELFunction(rawValue: name), name: name, target: nil, args: args), at: t)
    }

    private func makeReceiverCall(
        _ name: String, target: CELNode, args: [CELNode], at t: CELLexer.Token
    ) throws(CELError) -> CELNode {
        let macro: CELNode.Macro?
        switch name {
        case "all": macro = .all
        case "exists": macro = .exists
        case "exists_one", "existsOne": macro = .existsOne
        case "map": macro = .map
        case "filter": macro = .filter
        case "transformList": macro = .transformList
        case "transformMap": macro = .transformMap
        default: macro = nil
        }
        if let macro {
            let twoVariable: Bool
            switch macro {
            case .all, .exists, .existsOne: twoVariable = args.count == 3
            case .map: twoVariable = false
            case .filter: twoVariable = false
            case .transformList, .transformMap: twoVariable = true
            }
            let validCounts: [Int]
            switch macro {
            case .all, .exists, .existsOne: validCounts = [2, 3]
            case .map: validCounts = [2, 3]
            case .filter: validCounts = [2]
            case .transformList, .transformMap: validCounts = [3, 4]
            }
            if validCounts.contains(args.count) && !(name == "exists_one" && args.count == 3) {
                guard let first = identifierName(args[0]) else {
                    throw CELError("argument must be a simple name", line: args[0].line, column: args[0].column)
                }
                var second: String? = nil
                var rest = Array(args.dropFirst())
                if twoVariable {
                    guard let s = identifierName(args[1]) else {
                        throw CELError("argument must be a simple name", line: args[1].line, column: args[1].column)
                    }
                    guard s != first else {
                        throw CELError(
                            "duplicate variable name '\(s)'", line: args[1].line, column: args[1].column)
                    }
                    second = s
                    rest.removeFirst()
                }
                let filter: CELNode? = rest.count == 2 ? rest[0] : nil
                let body = rest.last!
                return try node(
                    .comprehension(macro, range: target, first: first, second: second, filter: filter, body: body),
                    at: t)
            }
        }
        // Namespaced global functions such as math.greatest or strings.quote.
        if case .path(let parts) = target.kind {
            let qualified = (parts + [name]).joined(separator: ".")
            if let fn = CELFunction(rawValue: qualified) {
                return try node(.call(fn, name: qualified, target: nil, args: args), at: t)
            }
        }
        return try node(.call(CELFunction(rawValue: name), name: name, target: target, args: args), at: t)
    }
}
