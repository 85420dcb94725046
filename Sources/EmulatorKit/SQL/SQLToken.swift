import Foundation

/// One lexical token of the SQL subset.
enum SQLToken: Equatable, Sendable {
    /// A bare word (keyword or identifier), as written.
    case word(String)
    /// A backquoted identifier, without the quotes.
    case quoted(String)
    /// A string literal, unescaped.
    case string(String)
    /// A numeric literal, as written.
    case number(String)
    /// Punctuation or an operator: `( ) , . ; = < > : * - +`, `<=`, `>=`, `<>`, `!=`.
    case symbol(String)

    /// The text for error messages.
    var display: String {
        switch self {
        case .word(let w): return w
        case .quoted(let q): return "`\(q)`"
        case .string(let s): return "'\(s)'"
        case .number(let n): return n
        case .symbol(let s): return s
        }
    }
}

/// A token and where it starts in the statement (1-based column), for error messages.
struct PositionedToken: Sendable {
    var token: SQLToken
    var offset: Int
}
