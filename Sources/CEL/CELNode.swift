/// A node of a compiled CEL expression, with its position in the source for error messages.
final class CELNode: Sendable {
    let kind: Kind
    let line: Int
    let column: Int
    /// The longest path from this node to a leaf; bounded by the parser so evaluation cannot exhaust the stack.
    let height: Int

    init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
        var children: [CELNode] = []
        switch kind {
        case .literal, .path: break
        case .select(let n, _), .presence(let n, _), .not(let n), .negate(let n): children = [n]
        case .index(let a, let b), .and(let a, let b), .or(let a, let b): children = [a, b]
        case .call(_, _, let target, let args): children = (target.map { [$0] } ?? []) + args
        case .conditional(let a, let b, let c): children = [a, b, c]
        case .list(let items): children = items
        case .map(let entries): children = entries.flatMap { [$0.0, $0.1] }
        case .comprehension(_, let range, _, _, let filter, let body):
            children = [range, body] + (filter.map { [$0] } ?? [])
        }
        height = (children.map(\.height).max() ?? 0) + 1
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
