import Foundation

/// A recursive-descent parser for the SQL subset table management needs.
///
/// Anything outside the subset fails with ``SQLError/unsupported(_:)`` naming the construct, so a
/// client learns what the emulator cannot do rather than getting a silent no-op.
public struct SQLParser {
    let text: [Character]
    let tokens: [PositionedToken]
    var index = 0

    /// Parses exactly one statement (a trailing `;` is allowed).
    public static func parse(_ text: String) throws(SQLError) -> SQLStatement {
        var parser = SQLParser(text: Array(text), tokens: try SQLLexer.tokenize(text))
        let statement = try parser.statement()
        _ = parser.accept(symbol: ";")
        if let extra = parser.peek {
            throw SQLError.syntax(
                "unexpected '\(extra.token.display)' after the end of the statement", at: extra.offset)
        }
        return statement
    }

    init(text: [Character], tokens: [PositionedToken]) {
        self.text = text
        self.tokens = tokens
    }

    // MARK: Token helpers

    var peek: PositionedToken? { index < tokens.count ? tokens[index] : nil }
    var offset: Int { peek?.offset ?? text.count }

    func isWord(_ word: String, ahead: Int = 0) -> Bool {
        guard index + ahead < tokens.count, case .word(let w) = tokens[index + ahead].token else { return false }
        return w.uppercased() == word
    }

    mutating func accept(_ words: String...) -> Bool {
        for (i, word) in words.enumerated() where !isWord(word, ahead: i) { return false }
        index += words.count
        return true
    }

    mutating func expect(_ words: String...) throws(SQLError) {
        for word in words {
            guard isWord(word) else { throw SQLError.syntax("expected \(word) but found \(found)", at: offset) }
            index += 1
        }
    }

    mutating func accept(symbol: String) -> Bool {
        guard let p = peek, p.token == .symbol(symbol) else { return false }
        index += 1
        return true
    }

    mutating func expect(symbol: String) throws(SQLError) {
        guard accept(symbol: symbol) else {
            throw SQLError.syntax("expected '\(symbol)' but found \(found)", at: offset)
        }
    }

    var found: String { peek.map { "'\($0.token.display)'" } ?? "the end of the statement" }

    mutating func identifier(_ what: String = "an identifier") throws(SQLError) -> String {
        switch peek?.token {
        case .word(let w)?:
            index += 1
            return w
        case .quoted(let q)?:
            index += 1
            return q
        default:
            throw SQLError.syntax("expected \(what) but found \(found)", at: offset)
        }
    }

    mutating func qualifiedName(_ what: String = "a name", maxParts: Int = 3) throws(SQLError) -> QualifiedName {
        var parts = [try identifier(what)]
        while accept(symbol: ".") { parts.append(try identifier(what)) }
        guard parts.count <= maxParts else {
            throw SQLError.syntax("a name has at most three parts: \(parts.joined(separator: "."))", at: offset)
        }
        return QualifiedName(parts: parts)
    }

    mutating func stringLiteral(_ what: String = "a string literal") throws(SQLError) -> String {
        guard case .string(let s)? = peek?.token else {
            throw SQLError.syntax("expected \(what) but found \(found)", at: offset)
        }
        index += 1
        return s
    }

    /// A string literal or `NULL` (for COMMENT … IS NULL).
    mutating func stringOrNull() throws(SQLError) -> String? {
        if accept("NULL") { return nil }
        return try stringLiteral()
    }

    /// `(a, b, c)`.
    mutating func identifierList() throws(SQLError) -> [String] {
        try expect(symbol: "(")
        var names: [String] = []
        if accept(symbol: ")") { return names }
        repeat { names.append(try identifier("a column name")) } while accept(symbol: ",")
        try expect(symbol: ")")
        return names
    }

    // MARK: Statements

    mutating func statement() throws(SQLError) -> SQLStatement {
        guard let first = peek else { throw SQLError.syntax("empty statement", at: 0) }
        guard case .word(let keyword) = first.token else {
            throw SQLError.syntax("a statement cannot start with '\(first.token.display)'", at: first.offset)
        }
        switch keyword.uppercased() {
        case "CREATE": return try create()
        case "ALTER": return try alter()
        case "COMMENT": return try commentOn()
        case "DROP": return try drop()
        case "SELECT": return .select(try select())
        default: throw SQLError.unsupported("the statement \(keyword.uppercased())")
        }
    }

    mutating func create() throws(SQLError) -> SQLStatement {
        try expect("CREATE")
        let orReplace = accept("OR", "REPLACE")
        if accept("TABLE") {
            return .createTable(try createTable(orReplace: orReplace))
        }
        if accept("FUNCTION") {
            return .createFunction(try createFunction(orReplace: orReplace))
        }
        if accept("VIEW") {
            return .createView(try createView(orReplace: orReplace))
        }
        if isWord("TEMPORARY") || isWord("TEMP") { throw SQLError.unsupported("temporary functions and views") }
        throw SQLError.unsupported("CREATE \(peek.map { $0.token.display.uppercased() } ?? "")")
    }

    mutating func ifNotExists() -> Bool { accept("IF", "NOT", "EXISTS") }

    mutating func createTable(orReplace: Bool) throws(SQLError) -> CreateTableStatement {
        let ifNotExists = ifNotExists()
        if orReplace && ifNotExists {
            throw SQLError.syntax("OR REPLACE and IF NOT EXISTS cannot be used together", at: offset)
        }
        var create = CreateTableStatement(name: try qualifiedName("a table name"))
        create.orReplace = orReplace
        create.ifNotExists = ifNotExists
        if accept(symbol: "(") {
            repeat {
                if isWord("CONSTRAINT") || isWord("PRIMARY") || isWord("FOREIGN") {
                    throw SQLError.unsupported("table constraints")
                }
                create.columns.append(try columnDefinition())
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        while let token = peek, token.token != .symbol(";") {
            if accept("USING") {
                create.format = try identifier("a data source format").uppercased()
            } else if accept("PARTITIONED", "BY") {
                create.partitionedBy = try identifierList()
            } else if accept("CLUSTER", "BY") {
                if accept("AUTO") || accept("NONE") { continue }
                create.clusterBy = try identifierList()
            } else if accept("COMMENT") {
                create.comment = try stringLiteral()
            } else if accept("TBLPROPERTIES") {
                create.properties = try keyValueList(valuesRequired: true)
            } else if accept("WITH", "ROW", "FILTER") {
                create.rowFilter = try rowFilterBody()
            } else if isWord("AS") {
                throw SQLError.unsupported("CREATE TABLE … AS SELECT")
            } else if isWord("LOCATION") {
                throw SQLError.unsupported("external tables (LOCATION)")
            } else if isWord("OPTIONS") {
                throw SQLError.unsupported("table OPTIONS")
            } else {
                throw SQLError.syntax("unexpected \(found) in CREATE TABLE", at: token.offset)
            }
        }
        guard !create.columns.isEmpty else { throw SQLError.syntax("CREATE TABLE needs a column list", at: offset) }
        return create
    }

    mutating func createView(orReplace: Bool) throws(SQLError) -> CreateViewStatement {
        let ifNotExists = ifNotExists()
        if orReplace && ifNotExists {
            throw SQLError.syntax("OR REPLACE and IF NOT EXISTS cannot be used together", at: offset)
        }
        let name = try qualifiedName("a view name")
        var comment: String?
        var properties: [KeyValue] = []
        while !isWord("AS") {
            if accept("COMMENT") {
                comment = try stringLiteral()
            } else if accept("TBLPROPERTIES") {
                properties = try keyValueList(valuesRequired: true)
            } else if peek?.token == .symbol("(") {
                throw SQLError.unsupported("a view's column list")
            } else {
                throw SQLError.syntax("unexpected \(found) in CREATE VIEW", at: offset)
            }
        }
        try expect("AS")
        let start = offset
        let query = try select()
        let definition = String(text[start..<offset]).trimmingCharacters(in: .whitespacesAndNewlines)
        var create = CreateViewStatement(name: name, query: query, definition: definition)
        (create.orReplace, create.ifNotExists, create.comment, create.properties) =
            (orReplace, ifNotExists, comment, properties)
        return create
    }

    mutating func columnDefinition() throws(SQLError) -> ColumnDefinition {
        var column = ColumnDefinition(name: try identifier("a column name"), type: try dataType())
        while true {
            if accept("NOT", "NULL") {
                column.nullable = false
            } else if accept("NULL") {
                column.nullable = true
            } else if accept("COMMENT") {
                column.comment = try stringLiteral()
            } else if accept("MASK") {
                column.maskFunction = try qualifiedName("a mask function")
                if accept("USING", "COLUMNS") { column.maskUsing = try identifierList() }
            } else if isWord("GENERATED") {
                throw SQLError.unsupported("generated columns")
            } else if isWord("DEFAULT") {
                throw SQLError.unsupported("column defaults")
            } else if isWord("PRIMARY") || isWord("CONSTRAINT") || isWord("REFERENCES") {
                throw SQLError.unsupported("column constraints")
            } else {
                return column
            }
        }
    }

    /// A type such as `BIGINT`, `DECIMAL(10, 2)`, `ARRAY<STRING>` or `STRUCT<a: INT, b: STRING>`.
    mutating func dataType() throws(SQLError) -> SQLType {
        let start = offset
        let base = try identifier("a data type")
        guard SQLType.isKnown(base) else {
            throw SQLError(
                code: "UNSUPPORTED_DATATYPE", message: "Unsupported data type \"\(base.uppercased())\".",
                sqlState: "0A000")
        }
        var text = base.lowercased()
        if base.uppercased() == "TIMESTAMP_NTZ" || base.uppercased() == "INTERVAL" {
            // INTERVAL DAY TO SECOND and friends: keep the words.
            while base.uppercased() == "INTERVAL", case .word(let w)? = peek?.token,
                ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO"].contains(w.uppercased())
            {
                text += " " + w.lowercased()
                index += 1
            }
        }
        if accept(symbol: "(") {
            var args: [String] = []
            repeat {
                guard case .number(let n)? = peek?.token else {
                    throw SQLError.syntax("expected a number in the type arguments of \(base)", at: offset)
                }
                args.append(n)
                index += 1
            } while accept(symbol: ",")
            try expect(symbol: ")")
            text += "(" + args.joined(separator: ",") + ")"
        }
        if accept(symbol: "<") {
            text += "<"
            var first = true
            repeat {
                if !first { text += "," }
                first = false
                if base.uppercased() == "STRUCT" {
                    let field = try identifier("a struct field name")
                    _ = accept(symbol: ":")
                    text += field + ":" + (try dataType()).text
                    if accept("NOT", "NULL") { text += " not null" }
                    if accept("COMMENT") { text += " comment '" + (try stringLiteral()) + "'" }
                } else {
                    text += (try dataType()).text
                }
            } while accept(symbol: ",")
            guard accept(symbol: ">") else {
                throw SQLError.syntax("expected '>' to close the type that starts here", at: start)
            }
            text += ">"
        }
        return SQLType(text: text)
    }

    /// `('k' = 'v', k2 = 3, 'k3')`; keys may be dotted identifiers.
    mutating func keyValueList(valuesRequired: Bool) throws(SQLError) -> [KeyValue] {
        try expect(symbol: "(")
        var pairs: [KeyValue] = []
        repeat {
            let key = try propertyKey()
            var value: String?
            if accept(symbol: "=") {
                value = try literalText()
            } else if case .string? = peek?.token {
                value = try literalText()
            } else if valuesRequired {
                throw SQLError.syntax("expected '=' and a value for '\(key)'", at: offset)
            }
            pairs.append(KeyValue(key: key, value: value))
        } while accept(symbol: ",")
        try expect(symbol: ")")
        return pairs
    }

    /// `('k1', k2.sub)`.
    mutating func keyList() throws(SQLError) -> [String] {
        try expect(symbol: "(")
        var keys: [String] = []
        repeat { keys.append(try propertyKey()) } while accept(symbol: ",")
        try expect(symbol: ")")
        return keys
    }

    mutating func propertyKey() throws(SQLError) -> String {
        if case .string(let s)? = peek?.token {
            index += 1
            return s
        }
        var key = try identifier("a property key")
        while accept(symbol: ".") { key += "." + (try identifier("a property key")) }
        return key
    }

    /// A string, number or TRUE/FALSE, as text.
    mutating func literalText() throws(SQLError) -> String {
        switch peek?.token {
        case .string(let s)?:
            index += 1
            return s
        case .number(let n)?:
            index += 1
            return n
        case .symbol("-")?:
            index += 1
            guard case .number(let n)? = peek?.token else {
                throw SQLError.syntax("expected a number after '-'", at: offset)
            }
            index += 1
            return "-" + n
        case .word(let w)? where ["TRUE", "FALSE"].contains(w.uppercased()):
            index += 1
            return w.lowercased()
        default:
            throw SQLError.syntax("expected a literal value but found \(found)", at: offset)
        }
    }

    /// `fn ON (cols)` after ROW FILTER.
    mutating func rowFilterBody() throws(SQLError) -> RowFilterClause {
        let function = try qualifiedName("a row filter function")
        try expect("ON")
        return RowFilterClause(function: function, columns: try identifierList())
    }
}
