/// Splits CEL source text into tokens, decoding literals and tracking 1-based line and column.
struct CELLexer {
    enum TokenKind: Equatable {
        case identifier(String)
        case quotedIdentifier(String)
        case int(Int64)
        /// An int literal too large for Int64 (only valid after a unary minus).
        case intOverflow(String)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case punct(String)
        case end
    }

    struct Token {
        let kind: TokenKind
        let line: Int
        let column: Int
    }

    private let scalars: [Unicode.Scalar]
    private var pos = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(CELError) -> [Token] {
        var lexer = CELLexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < scalars.count ? scalars[pos + offset] : nil
    }

    private mutating func advance() {
        if scalars[pos] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        pos += 1
    }

    private func error(_ message: String, line: Int, column: Int) -> CELError {
        CELError("Syntax error: \(message)", line: line, column: column)
    }

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isHex(_ c: Unicode.Scalar) -> Bool {
        isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F")
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                advance()
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n" { advance() }
            } else {
                return
            }
        }
    }

    mutating func next() throws(CELError) -> Token {
        skipTrivia()
        let startLine = line
        let startColumn = column
        func token(_ kind: TokenKind) -> Token { Token(kind: kind, line: startLine, column: startColumn) }
        guard let c = peek() else { return token(.end) }

        // String and bytes literals with optional r/b prefixes.
        if CELLexer.isIdentStart(c) {
            func isQuote(_ s: Unicode.Scalar?) -> Bool { s == "\"" || s == "'" }
            func isRaw(_ s: Unicode.Scalar?) -> Bool { s == "r" || s == "R" }
            func isBytes(_ s: Unicode.Scalar?) -> Bool { s == "b" || s == "B" }
            var n = 0
            var raw = false
            var bytes = false
            if isQuote(peek(1)) && (isRaw(c) || isBytes(c)) {
                n = 1
                raw = isRaw(c)
                bytes = isBytes(c)
            } else if isQuote(peek(2)) && ((isRaw(c) && isBytes(peek(1))) || (isBytes(c) && isRaw(peek(1)))) {
                n = 2
                raw = true
                bytes = true
            }
            if n > 0 {
                for _ in 0..<n { advance() }
                return token(try quoted(raw: raw, bytes: bytes, line: startLine, column: startColumn))
            }
            var name = ""
            while let d = peek(), CELLexer.isIdentStart(d) || CELLexer.isDigit(d) {
                name.unicodeScalars.append(d)
                advance()
            }
            return token(.identifier(name))
        }
        if c == "\"" || c == "'" {
            return token(try quoted(raw: false, bytes: false, line: startLine, column: startColumn))
        }
        if CELLexer.isDigit(c) || (c == "." && peek(1).map(CELLexer.isDigit) == true) {
            return token(try number(line: startLine, column: startColumn))
        }
        if c == "`" {
            advance()
            var name = ""
            while let d = peek(), d != "`" {
                guard d != "\n" else { break }
                name.unicodeScalars.append(d)
                advance()
            }
            guard peek() == "`" else {
                throw error("unterminated quoted identifier", line: startLine, column: startColumn)
            }
            advance()
            guard !name.isEmpty,
                name.unicodeScalars.allSatisfy({
                    CELLexer.isIdentStart($0) || CELLexer.isDigit($0) || $0 == "." || $0 == "-" || $0 == "/"
                        || $0 == " " || $0 == "~"
                })
            else {
                throw error("invalid quoted identifier `\(name)`", line: startLine, column: startColumn)
            }
            return token(.quotedIdentifier(name))
        }
        let two = peek(1).map { String(c) + String($0) } ?? ""
        if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
            advance()
            advance()
            return token(.punct(two))
        }
        if "+-*/%!<>?:.,()[]{}".unicodeScalars.contains(c) {
            advance()
            return token(.punct(String(c)))
        }
        throw error("unexpected character '\(c)'", line: startLine, column: startColumn)
    }

    private mutating func number(line: Int, column: Int) throws(CELError) -> TokenKind {
        var text = ""
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            while let d = peek(), CELLexer.isHex(d) {
                text.unicodeScalars.append(d)
                advance()
            }
            guard !text.isEmpty else { throw error("invalid hex literal", line: line, column: column) }
            if let u = peek(), u == "u" || u == "U" {
                advance()
                guard let v = UInt64(text, radix: 16) else {
                    throw error("uint literal out of range", line: line, column: column)
                }
                return .uint(v)
            }
            guard let v = Int64(text, radix: 16) else {
                if UInt64(text, radix: 16) == 0x8000_0000_0000_0000 { return .intOverflow("0x" + text) }
                throw error("int literal out of range", line: line, column: column)
            }
            return .int(v)
        }
        var isDouble = false
        while let d = peek(), CELLexer.isDigit(d) {
            text.unicodeScalars.append(d)
            advance()
        }
        if peek() == ".", let d = peek(1), CELLexer.isDigit(d) {
            isDouble = true
            text += "."
            advance()
            while let d = peek(), CELLexer.isDigit(d) {
                text.unicodeScalars.append(d)
                advance()
            }
        }
        if let e = peek(), e == "e" || e == "E" {
            var n = 1
            if let s = peek(1), s == "+" || s == "-" { n = 2 }
            if let d = peek(n), CELLexer.isDigit(d) {
                isDouble = true
                for _ in 0..<n {
                    text.unicodeScalars.append(peek()!)
                    advance()
                }
                while let d = peek(), CELLexer.isDigit(d) {
                    text.unicodeScalars.append(d)
                    advance()
                }
            }
        }
        if isDouble {
            guard let v = Double(text.hasPrefix(".") ? "0" + text : text) else {
                throw error("invalid double literal", line: line, column: column)
            }
            return .double(v)
        }
        if let u = peek(), u == "u" || u == "U" {
            advance()
            guard let v = UInt64(text) else { throw error("uint literal out of range", line: line, column: column) }
            return .uint(v)
        }
        guard let v = Int64(text) else {
            if text == "9223372036854775808" { return .intOverflow(text) }
            throw error("int literal out of range", line: line, column: column)
        }
        return .int(v)
    }

    private mutating func quoted(raw: Bool, bytes: Bool, line: Int, column: Int) throws(CELError) -> TokenKind {
        let quote = peek()!
        let triple = peek(1) == quote && peek(2) == quote
        for _ in 0..<(triple ? 3 : 1) { advance() }
        var out: [UInt8] = []
        func appendScalar(_ s: Unicode.Scalar) { out.append(contentsOf: Array(String(s).utf8)) }
        while true {
            guard let c = peek() else { throw error("unterminated string literal", line: line, column: column) }
            if c == quote {
                if !triple {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    advance()
                    advance()
                    advance()
                    break
                }
            }
            if !triple && (c == "\n" || c == "\r") {
                throw error("newline in string literal", line: line, column: column)
            }
            if c == "\\" && !raw {
                let escLine = self.line
                let escColumn = self.column
                advance()
                guard let e = peek() else { throw error("unterminated string literal", line: line, column: column) }
                advance()
                switch e {
                case "a": out.append(7)
                case "b": out.append(8)
                case "f": out.append(12)
                case "n": out.append(10)
                case "r": out.append(13)
                case "t": out.append(9)
                case "v": out.append(11)
                case "\\", "'", "\"", "`", "?": out.append(UInt8(e.value))
                case "x", "X", "u", "U":
                    let count = (e == "x" || e == "X") ? 2 : (e == "u" ? 4 : 8)
                    var hex = ""
                    for _ in 0..<count {
                        guard let h = peek(), CELLexer.isHex(h) else {
                            throw error("invalid escape sequence", line: escLine, column: escColumn)
                        }
                        hex.unicodeScalars.append(h)
                        advance()
                    }
                    let v = UInt32(hex, radix: 16)!
                    if count == 2 && bytes {
                        out.append(UInt8(v))
                    } else {
                        if bytes && count > 2 {
                            throw error("unicode escape in bytes literal", line: escLine, column: escColumn)
                        }
                        guard let s = Unicode.Scalar(v) else {
                            throw error("invalid unicode code point", line: escLine, column: escColumn)
                        }
                        appendScalar(s)
                    }
                case "0"..."3":
                    var v = e.value - 48
                    for _ in 0..<2 {
                        guard let o = peek(), o >= "0" && o <= "7" else {
                            throw error("invalid octal escape", line: escLine, column: escColumn)
                        }
                        v = v * 8 + (o.value - 48)
                        advance()
                    }
                    if bytes { out.append(UInt8(v)) } else { appendScalar(Unicode.Scalar(v)!) }
                default:
                    throw error("invalid escape sequence '\\\(e)'", line: escLine, column: escColumn)
                }
                continue
            }
            if c == "\r" {
                // Line endings inside triple-quoted strings are normalized to \n.
                advance()
                if peek() == "\n" { advance() }
                out.append(10)
                continue
            }
            appendScalar(c)
            advance()
        }
        if bytes { return .bytes(out) }
        return .string(String(decoding: out, as: UTF8.self))
    }
}
