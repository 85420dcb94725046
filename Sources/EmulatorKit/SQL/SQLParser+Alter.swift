import Foundation

extension SQLParser {
    mutating func alter() throws(SQLError) -> SQLStatement {
        try expect("ALTER")
        for kind in ["CATALOG", "SCHEMA", "DATABASE", "VOLUME"] where accept(kind) {
            let name = try qualifiedName("a \(kind.lowercased()) name")
            let securable = kind == "DATABASE" ? "schema" : kind.lowercased()
            if accept("SET", "TAGS") {
                return .alterSecurableTags(
                    kind: securable, name: name, set: try keyValueList(valuesRequired: false), unset: [])
            }
            if accept("UNSET", "TAGS") {
                return .alterSecurableTags(kind: securable, name: name, set: [], unset: try keyList())
            }
            throw SQLError.unsupported("ALTER \(kind) other than SET TAGS / UNSET TAGS (use the REST API)")
        }
        guard accept("TABLE") else {
            throw SQLError.unsupported("ALTER \(peek.map { $0.token.display.uppercased() } ?? "")")
        }
        let table = try qualifiedName("a table name")
        return .alterTable(table, try alterTableAction())
    }

    mutating func alterTableAction() throws(SQLError) -> AlterTableAction {
        if accept("ADD", "COLUMNS") || accept("ADD", "COLUMN") {
            let parenthesised = accept(symbol: "(")
            var columns: [ColumnDefinition] = []
            repeat { columns.append(try columnDefinition()) } while accept(symbol: ",")
            if parenthesised { try expect(symbol: ")") }
            return .addColumns(columns)
        }
        if accept("DROP", "COLUMNS") || accept("DROP", "COLUMN") {
            let ifExists = accept("IF", "EXISTS")
            if isSymbol("(") { return .dropColumns(try identifierList(), ifExists: ifExists) }
            var names: [String] = []
            repeat { names.append(try identifier("a column name")) } while accept(symbol: ",")
            return .dropColumns(names, ifExists: ifExists)
        }
        if accept("RENAME", "COLUMN") {
            let from = try identifier("a column name")
            try expect("TO")
            return .renameColumn(from: from, to: try identifier("a column name"))
        }
        if accept("ALTER", "COLUMN") || accept("CHANGE", "COLUMN") || accept("ALTER") || accept("CHANGE") {
            return try alterColumn(try identifier("a column name"))
        }
        if accept("SET", "TBLPROPERTIES") { return .setProperties(try keyValueList(valuesRequired: true)) }
        if accept("UNSET", "TBLPROPERTIES") {
            let ifExists = accept("IF", "EXISTS")
            return .unsetProperties(try keyList(), ifExists: ifExists)
        }
        if accept("SET", "TAGS") { return .setTags(try keyValueList(valuesRequired: false)) }
        if accept("UNSET", "TAGS") { return .unsetTags(try keyList()) }
        if accept("SET", "ROW", "FILTER") { return .setRowFilter(try rowFilterBody()) }
        if accept("DROP", "ROW", "FILTER") { return .dropRowFilter }
        if accept("CLUSTER", "BY") {
            if accept("NONE") { return .clusterBy([]) }
            if isWord("AUTO") { throw SQLError.unsupported("CLUSTER BY AUTO") }
            return .clusterBy(try identifierList())
        }
        if accept("OWNER", "TO") || accept("SET", "OWNER", "TO") {
            return .setOwner(try identifier("a principal"))
        }
        if isWord("RENAME") { throw SQLError.unsupported("ALTER TABLE … RENAME TO (use a new table)") }
        let what = [peek, index + 1 < tokens.count ? tokens[index + 1] : nil].compactMap {
            $0?.token.display.uppercased()
        }
        throw SQLError.unsupported("ALTER TABLE … \(what.joined(separator: " "))")
    }

    mutating func alterColumn(_ column: String) throws(SQLError) -> AlterTableAction {
        if accept("COMMENT") { return .alterColumnComment(column: column, comment: try stringOrNull()) }
        if accept("SET", "NOT", "NULL") { return .alterColumnNullability(column: column, nullable: false) }
        if accept("DROP", "NOT", "NULL") { return .alterColumnNullability(column: column, nullable: true) }
        if accept("SET", "TAGS") { return .alterColumnSetTags(column: column, try keyValueList(valuesRequired: false)) }
        if accept("UNSET", "TAGS") { return .alterColumnUnsetTags(column: column, try keyList()) }
        if accept("SET", "MASK") {
            let function = try qualifiedName("a mask function")
            var using: [String] = []
            if accept("USING", "COLUMNS") { using = try identifierList() }
            return .alterColumnSetMask(column: column, function: function, using: using)
        }
        if accept("DROP", "MASK") { return .alterColumnDropMask(column: column) }
        if isWord("TYPE") { throw SQLError.unsupported("ALTER COLUMN … TYPE") }
        throw SQLError.unsupported("ALTER COLUMN … \(peek.map { $0.token.display.uppercased() } ?? "")")
    }

    func isSymbol(_ symbol: String) -> Bool { peek?.token == .symbol(symbol) }

    mutating func commentOn() throws(SQLError) -> SQLStatement {
        try expect("COMMENT", "ON")
        if accept("TABLE") {
            let table = try qualifiedName("a table name")
            try expect("IS")
            return .commentOnTable(table, try stringOrNull())
        }
        if accept("COLUMN") {
            let name = try qualifiedName("a column name", maxParts: 4)
            guard name.parts.count >= 2 else {
                throw SQLError.syntax("COMMENT ON COLUMN needs table.column", at: offset)
            }
            try expect("IS")
            let comment = try stringOrNull()
            return .commentOnColumn(
                table: QualifiedName(parts: Array(name.parts.dropLast())), column: name.parts.last ?? "", comment)
        }
        throw SQLError.unsupported("COMMENT ON \(peek.map { $0.token.display.uppercased() } ?? "") (use the REST API)")
    }

    mutating func drop() throws(SQLError) -> SQLStatement {
        try expect("DROP")
        if accept("TABLE") {
            let ifExists = accept("IF", "EXISTS")
            let name = try qualifiedName("a table name")
            if isWord("PURGE") { index += 1 }
            return .dropTable(name, ifExists: ifExists)
        }
        if accept("FUNCTION") {
            let ifExists = accept("IF", "EXISTS")
            return .dropFunction(try qualifiedName("a function name"), ifExists: ifExists)
        }
        throw SQLError.unsupported("DROP \(peek.map { $0.token.display.uppercased() } ?? "") (use the REST API)")
    }
}
