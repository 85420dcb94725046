import Foundation
import LakegateCore

extension WorkspaceState {
    /// Parses and runs one statement against the workspace.
    mutating func execute(sql: String, session: SQLSession) throws(SQLError) -> SQLResult {
        switch try SQLParser.parse(sql) {
        case .createTable(let create):
            try createTable(create, session)
        case .createView(let create):
            try createView(create, session)
        case .alterTable(let name, let action):
            let fullName = try existingTable(name, session)
            try alterTable(fullName, action, session)
        case .alterSecurableTags(let kind, let name, let set, let unset):
            try alterSecurableTags(kind: kind, name: name, set: set, unset: unset, session)
        case .commentOnTable(let name, let comment):
            let fullName = try existingTable(name, session)
            tables[fullName]?.comment = comment
            touch(fullName, session)
        case .commentOnColumn(let name, let column, let comment):
            let fullName = try existingTable(name, session)
            try alterTable(fullName, .alterColumnComment(column: column, comment: comment), session)
        case .dropTable(let name, let ifExists):
            let parts = try session.resolve(name)
            let fullName = parts.joined(separator: ".")
            guard tables[fullName] != nil else {
                if ifExists { return SQLResult() }
                throw SQLError.tableNotFound(fullName)
            }
            dropTable(fullName)
        case .createFunction(let create):
            try createFunction(create, session)
        case .dropFunction(let name, let ifExists):
            let fullName = try session.resolve(name).joined(separator: ".")
            guard functions[fullName] != nil else {
                if ifExists { return SQLResult() }
                throw SQLError.routineNotFound(fullName)
            }
            functions[fullName] = nil
            grants["function/\(fullName)"] = nil
        case .select(let query):
            return try select(query, session)
        }
        return SQLResult()
    }

    /// The full name of an existing table, or the error Databricks gives for a missing one.
    func existingTable(_ name: QualifiedName, _ session: SQLSession) throws(SQLError) -> String {
        let parts = try session.resolve(name)
        let fullName = parts.joined(separator: ".")
        guard tables[fullName] != nil else { throw SQLError.tableNotFound(fullName) }
        return fullName
    }

    func requireSchema(_ catalog: String, _ schema: String) throws(SQLError) {
        guard catalogs[catalog] != nil else {
            throw SQLError(
                code: "NO_SUCH_CATALOG_EXCEPTION", message: "Catalog '\(catalog)' was not found.", sqlState: "42704")
        }
        guard schemas["\(catalog).\(schema)"] != nil else { throw SQLError.schemaNotFound("\(catalog).\(schema)") }
    }

    mutating func dropTable(_ fullName: String) {
        tables[fullName] = nil
        tags["tables/\(fullName)"] = nil
        tags.removeAll(withPrefix: "columns/\(fullName).")
        grants["table/\(fullName)"] = nil
        monitors[fullName] = nil
    }

    mutating func touch(_ fullName: String, _ session: SQLSession) {
        tables[fullName]?.updatedAt = session.now
        tables[fullName]?.updatedBy = session.principal
    }

    /// The full name of an existing function, for masks and row filters.
    func existingFunction(_ name: QualifiedName, _ session: SQLSession) throws(SQLError) -> String {
        let fullName = try session.resolve(name).joined(separator: ".")
        guard functions[fullName] != nil else { throw SQLError.routineNotFound(fullName) }
        return fullName
    }

    mutating func createTable(_ create: CreateTableStatement, _ session: SQLSession) throws(SQLError) {
        let parts = try session.resolve(create.name)
        try requireSchema(parts[0], parts[1])
        let name = parts[2]
        _ = try Self.sqlName(name)
        let fullName = parts.joined(separator: ".")
        var existingID: String?
        if let existing = tables[fullName] {
            if create.ifNotExists { return }
            guard create.orReplace else { throw SQLError.alreadyExists(fullName) }
            existingID = existing.tableID
        }
        var columns: [ColumnRecord] = []
        for definition in create.columns {
            let column = try column(from: definition, existing: columns, table: fullName, session)
            columns.append(column)
        }
        let names = columns.map(\.name)
        for (i, partition) in create.partitionedBy.enumerated() {
            guard let position = names.firstIndex(of: partition.lowercased()) else {
                throw SQLError.columnNotFound(partition, table: fullName)
            }
            columns[position].partitionIndex = i
        }
        for cluster in create.clusterBy where !names.contains(cluster.lowercased()) {
            throw SQLError.columnNotFound(cluster, table: fullName)
        }
        var rowFilter: RowFilterRecord?
        if let clause = create.rowFilter {
            rowFilter = try rowFilterRecord(clause, names: names, table: fullName, session)
        }
        var properties: [String: String] = [:]
        for pair in create.properties { properties[pair.key] = pair.value ?? "" }
        tables[fullName] = TableRecord(
            catalogName: parts[0], schemaName: parts[1], name: name, tableType: "MANAGED",
            dataSourceFormat: (create.format ?? "DELTA").uppercased(), comment: create.comment,
            owner: session.principal, properties: properties, columns: columns,
            partitionColumns: create.partitionedBy.map { $0.lowercased() },
            clusterColumns: create.clusterBy.map { $0.lowercased() }, rowFilter: rowFilter,
            tableID: existingID ?? Names.uuid(), createdAt: session.now, createdBy: session.principal,
            updatedAt: session.now, updatedBy: session.principal)
        if existingID != nil { tags.removeAll(withPrefix: "columns/\(fullName).") }
    }

    /// A view over one table: its columns are the selected columns of that table (types, nullability and
    /// comments; a mask stays on the table).
    mutating func createView(_ create: CreateViewStatement, _ session: SQLSession) throws(SQLError) {
        let parts = try session.resolve(create.name)
        try requireSchema(parts[0], parts[1])
        _ = try Self.sqlName(parts[2])
        let fullName = parts.joined(separator: ".")
        var existingID: String?
        if let existing = tables[fullName] {
            if create.ifNotExists { return }
            guard create.orReplace, existing.viewDefinition != nil else { throw SQLError.alreadyExists(fullName) }
            existingID = existing.tableID
        }
        guard let from = create.query.from else {
            throw SQLError.unsupported("a view without FROM")
        }
        let sourceName = try existingTable(from, session)
        guard let source = tables[sourceName] else { throw SQLError.tableNotFound(sourceName) }
        var columns: [ColumnRecord] = []
        for name in create.query.columns ?? source.columns.map(\.name) {
            guard var column = source.columns.first(where: { $0.name == name.lowercased() }) else {
                throw SQLError.columnNotFound(name, table: sourceName)
            }
            (column.mask, column.partitionIndex) = (nil, nil)
            columns.append(column)
        }
        var properties: [String: String] = [:]
        for pair in create.properties { properties[pair.key] = pair.value ?? "" }
        tables[fullName] = TableRecord(
            catalogName: parts[0], schemaName: parts[1], name: parts[2], tableType: "VIEW", dataSourceFormat: "",
            comment: create.comment, owner: session.principal, properties: properties, columns: columns,
            partitionColumns: [], clusterColumns: [], rowFilter: nil, tableID: existingID ?? Names.uuid(),
            createdAt: session.now, createdBy: session.principal, updatedAt: session.now, updatedBy: session.principal,
            viewDefinition: create.definition)
    }

    func column(from definition: ColumnDefinition, existing: [ColumnRecord], table: String, _ session: SQLSession)
        throws(SQLError) -> ColumnRecord
    {
        let name = definition.name.lowercased()
        guard !existing.contains(where: { $0.name == name }) else {
            throw SQLError(
                code: "COLUMN_ALREADY_EXISTS", message: "The column `\(name)` already exists in `\(table)`.",
                sqlState: "42711")
        }
        var mask: ColumnMaskRecord?
        if let function = definition.maskFunction {
            mask = ColumnMaskRecord(
                functionName: try existingFunction(function, session),
                usingColumnNames: definition.maskUsing.map { $0.lowercased() })
        }
        return ColumnRecord(
            name: name, type: definition.type, nullable: definition.nullable, comment: definition.comment,
            partitionIndex: nil, mask: mask)
    }

    func rowFilterRecord(_ clause: RowFilterClause, names: [String], table: String, _ session: SQLSession)
        throws(SQLError) -> RowFilterRecord
    {
        let function = try existingFunction(clause.function, session)
        for column in clause.columns where !names.contains(column.lowercased()) {
            throw SQLError.columnNotFound(column, table: table)
        }
        return RowFilterRecord(functionName: function, inputColumnNames: clause.columns.map { $0.lowercased() })
    }

    static func sqlName(_ name: String) throws(SQLError) -> String {
        do {
            return try Names.validate(name, kind: "table")
        } catch {
            throw SQLError(code: "INVALID_IDENTIFIER", message: error.message, sqlState: "42602")
        }
    }
}

extension SQLError {
    static func routineNotFound(_ name: String) -> SQLError {
        SQLError(code: "ROUTINE_NOT_FOUND", message: "The routine `\(name)` cannot be found.", sqlState: "42883")
    }
}
