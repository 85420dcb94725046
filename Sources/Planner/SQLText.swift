import LakegateCore

/// Databricks SQL text for the statements the planner emits: quoting and statement builders.
public enum SQLText {
    /// `` `name` `` with embedded backticks doubled.
    public static func identifier(_ name: String) -> String {
        "`" + name.split(separator: "`", omittingEmptySubsequences: false).joined(separator: "``") + "`"
    }

    /// A dotted full name with each part quoted: `` `cat`.`sch`.`tbl` ``.
    public static func qualified(_ fullName: String) -> String {
        fullName.split(separator: ".", omittingEmptySubsequences: false).map { identifier(String($0)) }
            .joined(separator: ".")
    }

    /// `'text'` with quotes and backslashes escaped.
    public static func literal(_ text: String) -> String {
        var out = "'"
        for ch in text {
            switch ch {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "'"
    }

    /// `('k'='v', 'k2'='v2')`, keys sorted.
    static func pairs(_ map: [String: JSONValue]) -> String {
        "("
            + map.keys.sorted().map { literal($0) + " = " + literal(map[$0]?.stringValue ?? map[$0]!.canonicalJSON) }
            .joined(separator: ", ") + ")"
    }

    /// `('k', 'k2')`, sorted.
    static func keyList(_ keys: [String]) -> String {
        "(" + keys.sorted().map(literal).joined(separator: ", ") + ")"
    }

    /// `(a, b)` of quoted column names.
    static func columnList(_ names: [JSONValue]) -> String {
        "(" + names.compactMap(\.stringValue).map(identifier).joined(separator: ", ") + ")"
    }

    /// One column definition for `CREATE TABLE` / `ADD COLUMNS`: name, type, `NOT NULL`, `COMMENT`.
    static func columnDefinition(_ column: JSONValue, allowNotNull: Bool) -> String {
        var text = identifier(column["name"]?.stringValue ?? "") + " " + (column["type_text"]?.stringValue ?? "string")
        if allowNotNull, column["nullable"] == .bool(false) { text += " NOT NULL" }
        if let comment = column["comment"]?.stringValue { text += " COMMENT " + literal(comment) }
        return text
    }

    /// `CREATE TABLE` with columns, partitioning or clustering, comment and properties.
    static func createTable(_ resource: Resource) -> String {
        let f = resource.fields
        let columns = (f["columns"]?.arrayValue ?? []).map { columnDefinition($0, allowNotNull: true) }
        var text = "CREATE TABLE \(qualified(resource.name)) (" + columns.joined(separator: ", ") + ")"
        if let partitions = f["partition_columns"]?.arrayValue, !partitions.isEmpty {
            text += " PARTITIONED BY " + columnList(partitions)
        }
        if let cluster = f["cluster_by"]?.arrayValue, !cluster.isEmpty { text += " CLUSTER BY " + columnList(cluster) }
        if let comment = f["comment"]?.stringValue { text += " COMMENT " + literal(comment) }
        if let properties = f["properties"]?.objectValue, !properties.isEmpty {
            text += " TBLPROPERTIES " + pairs(properties)
        }
        return text
    }

    /// `CREATE [OR REPLACE] FUNCTION cat.sch.fn(params) RETURNS type [COMMENT '…'] RETURN expr`.
    static func createFunction(_ resource: Resource, orReplace: Bool) -> String {
        let f = resource.fields
        var text = orReplace ? "CREATE OR REPLACE FUNCTION " : "CREATE FUNCTION "
        text += qualified(resource.name) + "(" + (f["input_params"]?.stringValue ?? "") + ")"
        text += " RETURNS " + (f["data_type"]?.stringValue ?? "STRING")
        if let comment = f["comment"]?.stringValue { text += " COMMENT " + literal(comment) }
        text += " RETURN " + (f["routine_definition"]?.stringValue ?? "NULL")
        return text
    }

    /// `ALTER TABLE t ALTER COLUMN c SET MASK fn [USING COLUMNS (a, b)]`.
    static func setMask(table: String, column: String, mask: JSONValue) -> String {
        var text = "ALTER TABLE \(qualified(table)) ALTER COLUMN \(identifier(column)) SET MASK "
        text += qualified(mask["function_name"]?.stringValue ?? "")
        if let using = mask["using_column_names"]?.arrayValue, !using.isEmpty {
            text += " USING COLUMNS " + columnList(using)
        }
        return text
    }

    /// `ALTER TABLE t SET ROW FILTER fn ON (a, b)`.
    static func setRowFilter(table: String, filter: JSONValue) -> String {
        "ALTER TABLE \(qualified(table)) SET ROW FILTER " + qualified(filter["function_name"]?.stringValue ?? "")
            + " ON " + columnList(filter["input_column_names"]?.arrayValue ?? [])
    }
}
