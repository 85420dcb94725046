import Foundation
import LakegateCore

extension WorkspaceState {
    /// The columns of the information_schema tag views, in order.
    static let tagViews: [String: [String]] = [
        "catalog_tags": ["catalog_name", "tag_name", "tag_value"],
        "schema_tags": ["catalog_name", "schema_name", "tag_name", "tag_value"],
        "table_tags": ["catalog_name", "schema_name", "table_name", "tag_name", "tag_value"],
        "column_tags": ["catalog_name", "schema_name", "table_name", "column_name", "tag_name", "tag_value"],
        "volume_tags": ["catalog_name", "schema_name", "volume_name", "tag_name", "tag_value"],
    ]

    /// `SELECT` from an information_schema tag view (or of literals).
    func select(_ query: SelectStatement, _ session: SQLSession) throws(SQLError) -> SQLResult {
        guard let from = query.from else {
            let columns = query.literals.indices.map {
                SQLResult.Column(name: "col\($0 + 1)", type: SQLType(text: "string"))
            }
            return SQLResult(columns: columns, rows: [query.literals])
        }
        let parts = from.parts.map { $0.lowercased() }
        if parts == ["system", "access", "audit"] { return try selectAudit(query) }
        let view = parts.last ?? ""
        let schema = parts.count >= 2 ? parts[parts.count - 2] : (session.schema?.lowercased() ?? "default")
        guard schema == "information_schema", let viewColumns = Self.tagViews[view] else {
            throw SQLError.unsupported(
                "SELECT from \(from) (only the information_schema tag views: \(Self.tagViews.keys.sorted().joined(separator: ", ")))"
            )
        }
        let catalog = parts.count == 3 ? parts[0] : session.catalog?.lowercased()
        let restrictTo = catalog == "system" ? nil : catalog
        if let restrictTo, catalogs[restrictTo] == nil {
            throw SQLError(
                code: "NO_SUCH_CATALOG_EXCEPTION", message: "Catalog '\(restrictTo)' was not found.", sqlState: "42704")
        }
        let entityType = view.replacingOccurrences(of: "_tags", with: "s")
        let depth = viewColumns.count - 2
        var rows: [[String?]] = []
        // A catalog's own tags live at `catalogs/<name>`; everything inside it at `<type>/<name>.…`.
        let prefix = "\(entityType)/" + (restrictTo.map { entityType == "catalogs" ? $0 : "\($0)." } ?? "")
        for key in tags.keys(withPrefix: prefix) {
            guard let assigned = tags[key] else { continue }
            let entity = String(key.dropFirst(entityType.count + 1))
            if entityType == "catalogs", let restrictTo, entity != restrictTo { continue }
            var names = entity.split(separator: ".", maxSplits: depth - 1).map(String.init)
            guard names.count == depth else { continue }
            if entityType == "columns" {
                names = Array(names.prefix(3)) + [names[3...].joined(separator: ".")]
            }
            for (tag, record) in assigned.sorted(by: { $0.key < $1.key }) {
                rows.append(names.map { Optional($0) } + [tag, record.value])
            }
        }
        for column in query.conditions.map(\.column) + query.orderBy.map(\.column) where !viewColumns.contains(column) {
            throw SQLError.columnNotFound(column, table: "information_schema.\(view)")
        }
        for condition in query.conditions {
            let i = viewColumns.firstIndex(of: condition.column) ?? 0
            rows = rows.filter { ($0[i] == condition.value) == condition.equal }
        }
        return try Self.ordered(rows, columns: viewColumns, query, table: "information_schema.\(view)")
    }

    /// The ORDER BY, LIMIT and projection of `query` over `rows` (whose columns are `columns`), every value a string.
    static func ordered(_ rows: [[String?]], columns: [String], _ query: SelectStatement, table: String)
        throws(SQLError) -> SQLResult
    {
        var rows = rows
        for order in query.orderBy.reversed() {
            let i = columns.firstIndex(of: order.column) ?? 0
            rows = rows.enumerated().sorted { a, b in
                let x = a.element[i] ?? ""
                let y = b.element[i] ?? ""
                if x == y { return a.offset < b.offset }
                return order.ascending ? x < y : x > y
            }.map(\.element)
        }
        if let limit = query.limit { rows = Array(rows.prefix(limit)) }
        let selected = query.columns ?? columns
        var indexes: [Int] = []
        for column in selected {
            guard let i = columns.firstIndex(of: column) else { throw SQLError.columnNotFound(column, table: table) }
            indexes.append(i)
        }
        return SQLResult(
            columns: selected.map { SQLResult.Column(name: $0, type: SQLType(text: "string")) },
            rows: rows.map { row in indexes.map { row[$0] } })
    }
}
