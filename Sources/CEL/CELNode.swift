/// A node of a compiled CEL expression, with its position in the source for error messages.
final class CELNode: Sendable {
    let kind: Kind
    let line: Int
    let column: Int

    init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// The comprehension macros.
    enum Macro: Sendable {
        case all, exists, existsOne, map, filter, transformList, transformMap
    }

    enum Kind: Sendable {
        case literal(CELValue)
        /// An identifier or a dotted name `a.b.c`: locals first, then the longest bound prefix, then fields.
        case path([String])
        case select(CELNode, String)
        /// `has(operand.field)`.
        case presence(CELNode, String)
        case index(CELNode, CELNode)
        case call(CELFunction?, name: String, target: CELNode?, args: [CELNode])
        case and(CELNode, CELNode)
        case or(CELNode, CELNode)
        case not(CELNode)
        case negate(CELNode)
        case conditional(CELNode, CELNode, CELNode)
        case list([CELNode])
        case map([(CELNode, CELNode)])
        /// A comprehension: `range.macro(v, ...)` or the two-variable form `range.macro(i, v, ...)`.
        case comprehension(
            Macro, range: CELNode, first: String, second: String?, filter: CELNode?, body: CELNode)
    }
}
