import Foundation
import LakegateCore

extension WorkspaceState {
    /// Applies one `ALTER TABLE` action to an existing table.
    mutating func alterTable(_ fullName: String, _ action: AlterTableAction, _ session: SQLSession) throws(SQLError) {
        guard var table = tables[fullName] else { throw SQLError.tableNotFound(fullName) }
        func index(_ column: String) throws(SQLError) -> Int {
            guard let i = table.columns.firstIndex(where: { $0.name == column.lowercased() }) else {
                throw SQLError.columnNotFound(column, table: fullName)
            }
            return i
        }
        switch action {
        case .addColumns(let definitions):
            for definition in definitions {
                table.columns.append(try column(from: definition, existing: table.columns, table: fullName, session))
            }
        case .dropColumns(let names, let ifExists):
            for name in names {
                guard let i = table.columns.firstIndex(where: { $0.name == name.lowercased() }) else {
                    if ifExists { continue }
                    throw SQLError.columnNotFound(name, table: fullName)
                }
                if table.columns[i].partitionIndex != nil {
                    throw SQLError(
                        code: "DELTA_UNSUPPORTED_DROP_PARTITION_COLUMN",
                        message: "Dropping partition column `\(name)` is not allowed.", sqlState: "42000")
                }
                guard table.columns.count > 1 else {
                    throw SQLError(
                        code: "DELTA_DROP_COLUMN_ON_SINGLE_FIELD_SCHEMA",
                        message: "Cannot drop the only column of `\(fullName)`.", sqlState: "0AKDC")
                }
                table.columns.remove(at: i)
                table.clusterColumns.removeAll { $0 == name.lowercased() }
                tags["columns/\(fullName).\(name.lowercased())"] = nil
            }
        case .renameColumn(let from, let to):
            let i = try index(from)
            let target = to.lowercased()
            guard !table.columns.contains(where: { $0.name == target }) else {
                throw SQLError(
                    code: "COLUMN_ALREADY_EXISTS", message: "The column `\(target)` already exists in `\(fullName)`.",
                    sqlState: "42711")
            }
            let old = table.columns[i].name
            table.columns[i].name = target
            table.clusterColumns = table.clusterColumns.map { $0 == old ? target : $0 }
            table.partitionColumns = table.partitionColumns.map { $0 == old ? target : $0 }
            tags["columns/\(fullName).\(target)"] = tags["columns/\(fullName).\(old)"]
            tags["columns/\(fullName).\(old)"] = nil
        case .alterColumnComment(let column, let comment):
            table.columns[try index(column)].comment = comment
        case .alterColumnNullability(let column, let nullable):
            table.columns[try index(column)].nullable = nullable
        case .alterColumnSetTags(let column, let pairs):
            let name = table.columns[try index(column)].name
            setTags(pairs, on: "columns/\(fullName).\(name)", session)
        case .alterColumnUnsetTags(let column, let keys):
            let name = table.columns[try index(column)].name
            unsetTags(keys, on: "columns/\(fullName).\(name)")
        case .alterColumnSetMask(let column, let function, let using):
            let i = try index(column)
            for other in using { _ = try index(other) }
            table.columns[i].mask = ColumnMaskRecord(
                functionName: try existingFunction(function, session), usingColumnNames: using.map { $0.lowercased() })
        case .alterColumnDropMask(let column):
            table.columns[try index(column)].mask = nil
        case .setProperties(let pairs):
            for pair in pairs { table.properties[pair.key] = pair.value ?? "" }
        case .unsetProperties(let keys, let ifExists):
            if !ifExists, let missing = keys.first(where: { table.properties[$0] == nil }) {
                throw SQLError(
                    code: "UNSET_NONEXISTENT_PROPERTIES",
                    message: "Attempted to unset non-existent properties [\(missing)] in table `\(fullName)`.",
                    sqlState: "42K0J")
            }
            for key in keys { table.properties[key] = nil }
        case .setTags(let pairs):
            setTags(pairs, on: "tables/\(fullName)", session)
        case .unsetTags(let keys):
            unsetTags(keys, on: "tables/\(fullName)")
        case .setRowFilter(let clause):
            table.rowFilter = try rowFilterRecord(clause, names: table.columns.map(\.name), table: fullName, session)
        case .dropRowFilter:
            table.rowFilter = nil
        case .clusterBy(let columns):
            for column in columns { _ = try index(column) }
            table.clusterColumns = columns.map { $0.lowercased() }
        case .setOwner(let owner):
            table.owner = owner
        }
        table.updatedAt = session.now
        table.updatedBy = session.principal
        tables[fullName] = table
    }

    mutating func setTags(_ pairs: [KeyValue], on key: String, _ session: SQLSession) {
        var current = tags[key] ?? [:]
        for pair in pairs {
            current[pair.key] = TagRecord(value: pair.value, updatedAt: session.now, updatedBy: session.principal)
        }
        tags[key] = current
    }

    mutating func unsetTags(_ keys: [String], on key: String) {
        guard var current = tags[key] else { return }
        for k in keys { current[k] = nil }
        tags[key] = current.isEmpty ? nil : current
    }

    /// `ALTER CATALOG|SCHEMA|VOLUME … SET|UNSET TAGS`.
    mutating func alterSecurableTags(
        kind: String, name: QualifiedName, set: [KeyValue], unset: [String], _ session: SQLSession
    ) throws(SQLError) {
        let parts = name.parts.map { $0.lowercased() }
        let key: String
        switch kind {
        case "catalog":
            guard parts.count == 1, catalogs[parts[0]] != nil else {
                throw SQLError(
                    code: "NO_SUCH_CATALOG_EXCEPTION", message: "Catalog '\(name)' was not found.", sqlState: "42704")
            }
            key = "catalogs/\(parts[0])"
        case "schema":
            let full: [String]
            if parts.count == 2 {
                full = parts
            } else if parts.count == 1, let catalog = session.catalog {
                full = [catalog.lowercased(), parts[0]]
            } else {
                throw session.noDefaultCatalog(name)
            }
            try requireSchema(full[0], full[1])
            key = "schemas/\(full.joined(separator: "."))"
        default:
            let full = try session.resolve(name).joined(separator: ".")
            guard volumes[full] != nil else {
                throw SQLError(
                    code: "VOLUME_NOT_FOUND", message: "Volume `\(full)` cannot be found.", sqlState: "42704")
            }
            key = "volumes/\(full)"
        }
        setTags(set, on: key, session)
        unsetTags(unset, on: key)
    }
}
