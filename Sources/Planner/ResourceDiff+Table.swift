import LakegateCore

extension ResourceDiff {
    /// Table changes as the fewest SQL statements: one `ADD COLUMNS` for new columns, one statement per changed
    /// column comment, `SET/UNSET TAGS`, masks and row filters, `COMMENT ON TABLE`, `SET/UNSET TBLPROPERTIES`.
    mutating func diffTable() {
        let fields = ["columns", "comment", "properties", "cluster_by", "row_filter"]
        if fields.allSatisfy({ desired[$0] == live[$0] }) { return }
        let table = SQLText.qualified(resource.name)
        let alterColumn = { (name: String) in "ALTER TABLE \(table) ALTER COLUMN \(SQLText.identifier(name))" }
        let sameColumns = desired["columns"] == live["columns"]
        let wantedColumns = sameColumns ? [] : desired["columns"]?.arrayValue ?? []
        let haveColumns = sameColumns ? [] : live["columns"]?.arrayValue ?? []
        var have: [String: JSONValue] = [:]
        for column in haveColumns { if let name = column["name"]?.stringValue { have[name] = column } }
        let wantedNames = Set(wantedColumns.compactMap { $0["name"]?.stringValue })

        var statements: [String] = []
        var tagStatements: [String] = []
        var maskStatements: [String] = []

        let added = wantedColumns.filter { have[$0["name"]?.stringValue ?? ""] == nil }
        if !added.isEmpty {
            let definitions = added.map { SQLText.columnDefinition($0, allowNotNull: false) }
            statements.append("ALTER TABLE \(table) ADD COLUMNS (" + definitions.joined(separator: ", ") + ")")
            for column in added {
                let name = column["name"]?.stringValue ?? ""
                changes.append(FieldChange(field: "columns.\(name)", before: nil, after: column))
                // Delta cannot add a NOT NULL column; the constraint follows in its own statement.
                if column["nullable"] == .bool(false) { statements.append(alterColumn(name) + " SET NOT NULL") }
                if let tags = column["tags"]?.objectValue, !tags.isEmpty {
                    tagStatements.append(alterColumn(name) + " SET TAGS " + SQLText.pairs(tags))
                }
                if let mask = column["mask"] {
                    maskStatements.append(SQLText.setMask(table: resource.name, column: name, mask: mask))
                }
            }
        }

        for column in wantedColumns {
            guard let name = column["name"]?.stringValue, let old = have[name] else { continue }
            let field = "columns.\(name)"
            if column["type_text"] != old["type_text"] {
                let from = old["type_text"]?.stringValue ?? "?"
                let to = column["type_text"]?.stringValue ?? "?"
                problems.append(
                    "column \(name) of \(resource.name) changes type from \(from) to \(to); Lakegate does not "
                        + "rewrite data: write a migration (add a new column, backfill it, then drop the old one "
                        + "with --allow-destroy \(resource.key).columns.\(name)) or keep the type")
            }
            if column["comment"] != old["comment"] {
                changes.append(FieldChange(field: field + ".comment", before: old["comment"], after: column["comment"]))
                statements.append(
                    alterColumn(name) + " COMMENT " + SQLText.literal(column["comment"]?.stringValue ?? ""))
            }
            if column["nullable"] != old["nullable"] {
                changes.append(
                    FieldChange(field: field + ".nullable", before: old["nullable"], after: column["nullable"]))
                statements.append(
                    alterColumn(name) + (column["nullable"] == .bool(false) ? " SET NOT NULL" : " DROP NOT NULL"))
            }
            let wantedTags = column["tags"]?.objectValue ?? [:]
            let haveTags = old["tags"]?.objectValue ?? [:]
            if wantedTags != haveTags {
                let set = wantedTags.filter { haveTags[$0.key] != $0.value }
                let unset = haveTags.keys.filter { wantedTags[$0] == nil }
                for key in set.keys.sorted() {
                    changes.append(FieldChange(field: "\(field).tags.\(key)", before: haveTags[key], after: set[key]))
                }
                for key in unset.sorted() {
                    changes.append(FieldChange(field: "\(field).tags.\(key)", before: haveTags[key], after: nil))
                }
                if !set.isEmpty { tagStatements.append(alterColumn(name) + " SET TAGS " + SQLText.pairs(set)) }
                if !unset.isEmpty { tagStatements.append(alterColumn(name) + " UNSET TAGS " + SQLText.keyList(unset)) }
            }
            if column["mask"] != old["mask"] {
                changes.append(FieldChange(field: field + ".mask", before: old["mask"], after: column["mask"]))
                if let mask = column["mask"] {
                    maskStatements.append(SQLText.setMask(table: resource.name, column: name, mask: mask))
                } else {
                    maskStatements.append(alterColumn(name) + " DROP MASK")
                }
            }
        }

        for column in haveColumns {
            guard let name = column["name"]?.stringValue, !wantedNames.contains(name) else { continue }
            if allowDestroy.contains("\(resource.key).columns.\(name)") {
                changes.append(FieldChange(field: "columns.\(name)", before: column, after: nil))
                statements.append("ALTER TABLE \(table) DROP COLUMN \(SQLText.identifier(name))")
            } else {
                retainedColumns.append(name)
            }
        }

        if desired["comment"] != live["comment"] {
            changes.append(FieldChange(field: "comment", before: live["comment"], after: desired["comment"]))
            let text = desired["comment"]?.stringValue.map(SQLText.literal) ?? "NULL"
            statements.append("COMMENT ON TABLE \(table) IS \(text)")
        }
        let wantedProperties = desired["properties"]?.objectValue ?? [:]
        let haveProperties = live["properties"]?.objectValue ?? [:]
        if wantedProperties != haveProperties {
            let set = wantedProperties.filter { haveProperties[$0.key] != $0.value }
            let unset = haveProperties.keys.filter { wantedProperties[$0] == nil }
            for key in set.keys.sorted() {
                changes.append(FieldChange(field: "properties.\(key)", before: haveProperties[key], after: set[key]))
            }
            for key in unset.sorted() {
                changes.append(FieldChange(field: "properties.\(key)", before: haveProperties[key], after: nil))
            }
            if !set.isEmpty { statements.append("ALTER TABLE \(table) SET TBLPROPERTIES \(SQLText.pairs(set))") }
            if !unset.isEmpty {
                statements.append("ALTER TABLE \(table) UNSET TBLPROPERTIES IF EXISTS \(SQLText.keyList(unset))")
            }
        }
        if desired["cluster_by"] != live["cluster_by"] {
            changes.append(FieldChange(field: "cluster_by", before: live["cluster_by"], after: desired["cluster_by"]))
            let columns = desired["cluster_by"]?.arrayValue ?? []
            statements.append(
                "ALTER TABLE \(table) CLUSTER BY " + (columns.isEmpty ? "NONE" : SQLText.columnList(columns)))
        }
        if desired["row_filter"] != live["row_filter"] {
            changes.append(FieldChange(field: "row_filter", before: live["row_filter"], after: desired["row_filter"]))
            if let filter = desired["row_filter"] {
                maskStatements.append(SQLText.setRowFilter(table: resource.name, filter: filter))
            } else {
                maskStatements.append("ALTER TABLE \(table) DROP ROW FILTER")
            }
        }
        operations += (statements + tagStatements + maskStatements).map { .sql($0) }
    }
}
