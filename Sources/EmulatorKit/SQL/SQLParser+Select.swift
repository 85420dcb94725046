import Foundation

extension SQLParser {
    /// `SELECT * | cols FROM name [WHERE c = 'v' [AND …]] [ORDER BY c [ASC|DESC], …] [LIMIT n]`.
    mutating func select() throws(SQLError) -> SelectStatement {
        try expect("SELECT")
        var query = SelectStatement(columns: nil)
        if accept(symbol: "*") {
            query.columns = nil
        } else {
            var columns: [String] = []
            var literals: [String] = []
            repeat {
                switch peek?.token {
                case .string?, .number?, .symbol("-")?:
                    literals.append(try literalText())
                case .word(let w)? where ["TRUE", "FALSE"].contains(w.uppercased()):
                    literals.append(try literalText())
                default:
                    columns.append(try columnReference())
                }
                if accept("AS") { _ = try identifier("an alias") }
            } while accept(symbol: ",")
            if !literals.isEmpty && !columns.isEmpty {
                throw SQLError.unsupported("SELECT lists that mix literals and columns")
            }
            query.columns = columns.isEmpty ? nil : columns
            query.literals = literals
        }
        if !query.literals.isEmpty && !isWord("FROM") { return query }
        try expect("FROM")
        query.from = try qualifiedName("a table name")
        if let token = peek, case .word(let w) = token.token, !["WHERE", "ORDER", "LIMIT"].contains(w.uppercased()) {
            _ = try identifier()  // a table alias
        }
        if accept("WHERE") {
            repeat {
                let column = try columnReference()
                let equal: Bool
                var order: SelectCondition.Order?
                if accept(symbol: "=") {
                    equal = true
                } else if accept(symbol: "<>") || accept(symbol: "!=") {
                    equal = false
                } else if accept(symbol: ">=") {
                    equal = false
                    order = .greaterOrEqual
                } else if accept(symbol: "<=") {
                    equal = false
                    order = .lessOrEqual
                } else if accept(symbol: ">") {
                    equal = false
                    order = .greater
                } else if accept(symbol: "<") {
                    equal = false
                    order = .less
                } else {
                    throw SQLError.unsupported(
                        "WHERE conditions other than column = literal / column <> literal / column >= literal, found \(found)"
                    )
                }
                _ = accept("TIMESTAMP") || accept("DATE")  // a typed literal: the text is the value
                query.conditions.append(
                    SelectCondition(column: column, equal: equal, value: try literalText(), order: order))
                if isWord("OR") { throw SQLError.unsupported("OR in WHERE") }
            } while accept("AND")
        }
        if accept("ORDER", "BY") {
            repeat {
                let column = try columnReference()
                var ascending = true
                if accept("DESC") { ascending = false } else { _ = accept("ASC") }
                query.orderBy.append((column, ascending))
            } while accept(symbol: ",")
        }
        if accept("LIMIT") {
            guard case .number(let n)? = peek?.token, let limit = Int(n) else {
                throw SQLError.syntax("LIMIT needs a number", at: offset)
            }
            index += 1
            query.limit = limit
        }
        if let token = peek, token.token != .symbol(";") {
            throw SQLError.unsupported("\(token.token.display.uppercased()) in SELECT")
        }
        return query
    }

    /// A column, optionally qualified by a table alias (`t.tag_name` → `tag_name`).
    mutating func columnReference() throws(SQLError) -> String {
        if isSymbol("(") { throw SQLError.unsupported("expressions in SELECT") }
        var name = try identifier("a column name")
        while accept(symbol: ".") { name = try identifier("a column name") }
        if isSymbol("(") { throw SQLError.unsupported("function calls in SELECT (\(name))") }
        return name.lowercased()
    }
}
