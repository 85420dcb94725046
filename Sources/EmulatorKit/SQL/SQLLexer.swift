import Foundation

/// Splits statement text into tokens; comments (`--`, `/* */`) are skipped.
struct SQLLexer {
    static func tokenize(_ text: String) throws(SQLError) -> [PositionedToken] {
        let chars = Array(text)
        var tokens: [PositionedToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c.isWhitespace {
                i += 1
            } else if c == "-" && i + 1 < chars.count && chars[i + 1] == "-" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
            } else if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                guard i + 1 < chars.count else { throw SQLError.syntax("unterminated comment", at: start) }
                i += 2
            } else if c == "'" || c == "\"" {
                i += 1
                var value = ""
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == "\\" && i + 1 < chars.count {
                        let e = chars[i + 1]
                        switch e {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(e)
                        }
                        i += 2
                    } else if d == c {
                        if i + 1 < chars.count && chars[i + 1] == c {
                            value.append(c)
                            i += 2
                        } else {
                            i += 1
                            closed = true
                            break
                        }
                    } else {
                        value.append(d)
                        i += 1
                    }
                }
                guard closed else { throw SQLError.syntax("unterminated string literal", at: start) }
                tokens.append(PositionedToken(token: .string(value), offset: start))
            } else if c == "`" {
                i += 1
                var value = ""
                var closed = false
                while i < chars.count {
                    if chars[i] == "`" {
                        if i + 1 < chars.count && chars[i + 1] == "`" {
                            value.append("`")
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    value.append(chars[i])
                    i += 1
                }
                guard closed else { throw SQLError.syntax("unterminated quoted identifier", at: start) }
                tokens.append(PositionedToken(token: .quoted(value), offset: start))
            } else if c.isNumber {
                var value = ""
                while i < chars.count && (chars[i].isNumber || chars[i] == ".") {
                    value.append(chars[i])
                    i += 1
                }
                // A trailing type suffix such as 10L belongs to the number.
                if i < chars.count, chars[i].isLetter, !(i + 1 < chars.count && chars[i + 1].isLetter) {
                    value.append(chars[i])
                    i += 1
                }
                tokens.append(PositionedToken(token: .number(value), offset: start))
            } else if c.isLetter || c == "_" {
                var value = ""
                while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "$")
                {
                    value.append(chars[i])
                    i += 1
                }
                tokens.append(PositionedToken(token: .word(value), offset: start))
            } else {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["<=", ">=", "<>", "!=", "||", "::"].contains(two) {
                    tokens.append(PositionedToken(token: .symbol(two), offset: start))
                    i += 2
                } else if "(),.;=<>:*-+/%!".contains(c) {
                    tokens.append(PositionedToken(token: .symbol(String(c)), offset: start))
                    i += 1
                } else {
                    throw SQLError.syntax("unexpected character '\(c)'", at: start)
                }
            }
        }
        return tokens
    }
}
