import Foundation

/// A dotted name such as `main.sales.orders`, parts as written.
public struct QualifiedName: Equatable, Sendable, CustomStringConvertible {
    public var parts: [String]
    public var description: String { parts.joined(separator: ".") }
}

/// A `'key' = 'value'` pair of TBLPROPERTIES or TAGS; tags may omit the value.
public struct KeyValue: Equatable, Sendable {
    public var key: String
    public var value: String?
}

/// A column in CREATE TABLE or ADD COLUMNS.
public struct ColumnDefinition: Equatable, Sendable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool = true
    public var comment: String?
    public var maskFunction: QualifiedName?
    public var maskUsing: [String] = []
}

/// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] …`.
public struct CreateTableStatement: Equatable, Sendable {
    public var name: QualifiedName
    public var orReplace = false
    public var ifNotExists = false
    public var columns: [ColumnDefinition] = []
    public var format: String?
    public var partitionedBy: [String] = []
    public var clusterBy: [String] = []
    public var comment: String?
    public var properties: [KeyValue] = []
    public var rowFilter: RowFilterClause?
}

/// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [COMMENT '…'] [TBLPROPERTIES (…)] AS SELECT cols|* FROM table`.
public struct CreateViewStatement: Equatable, Sendable {
    public var name: QualifiedName
    public var orReplace = false
    public var ifNotExists = false
    public var comment: String?
    public var properties: [KeyValue] = []
    public var query: SelectStatement
    /// The query's text, as `view_definition` shows it.
    public var definition: String
}

/// `ROW FILTER fn ON (cols)`.
public struct RowFilterClause: Equatable, Sendable {
    public var function: QualifiedName
    public var columns: [String]
}

/// `CREATE [OR REPLACE] FUNCTION …`.
public struct CreateFunctionStatement: Equatable, Sendable {
    public var name: QualifiedName
    public var orReplace = false
    public var ifNotExists = false
    public var parameters: [(name: String, type: String)] = []
    public var returns: String = ""
    public var comment: String?
    public var body: String = ""
    public var language = "SQL"

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.orReplace == b.orReplace && a.ifNotExists == b.ifNotExists && a.returns == b.returns
            && a.comment == b.comment && a.body == b.body && a.language == b.language
            && a.parameters.map(\.name) == b.parameters.map(\.name)
            && a.parameters.map(\.type) == b.parameters.map(\.type)
    }
}

/// What an `ALTER TABLE` does.
public enum AlterTableAction: Equatable, Sendable {
    case addColumns([ColumnDefinition])
    case dropColumns([String], ifExists: Bool)
    case renameColumn(from: String, to: String)
    case alterColumnComment(column: String, comment: String?)
    case alterColumnNullability(column: String, nullable: Bool)
    case alterColumnSetTags(column: String, [KeyValue])
    case alterColumnUnsetTags(column: String, [String])
    case alterColumnSetMask(column: String, function: QualifiedName, using: [String])
    case alterColumnDropMask(column: String)
    case setProperties([KeyValue])
    case unsetProperties([String], ifExists: Bool)
    case setTags([KeyValue])
    case unsetTags([String])
    case setRowFilter(RowFilterClause)
    case dropRowFilter
    case clusterBy([String])
    case setOwner(String)
}

/// A condition of a SELECT's WHERE clause: `column = literal`, `column <> literal`, or an order comparison.
public struct SelectCondition: Equatable, Sendable {
    public var column: String
    public var equal: Bool
    public var value: String
    /// `>`, `>=`, `<`, `<=`; nil for `=` and `<>` (``equal``).
    public var order: Order? = nil

    /// An order comparison of a WHERE condition.
    public enum Order: String, Equatable, Sendable {
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
    }
}

/// `SELECT cols FROM [cat.]information_schema.<tag view> [WHERE …] [ORDER BY …] [LIMIT n]`, or
/// `SELECT <literals>` without FROM.
public struct SelectStatement: Equatable, Sendable {
    /// nil for `*`.
    public var columns: [String]?
    public var literals: [String] = []
    public var from: QualifiedName?
    public var conditions: [SelectCondition] = []
    public var orderBy: [(column: String, ascending: Bool)] = []
    public var limit: Int?

    public static func == (a: Self, b: Self) -> Bool {
        a.columns == b.columns && a.literals == b.literals && a.from == b.from && a.conditions == b.conditions
            && a.orderBy.map(\.column) == b.orderBy.map(\.column) && a.limit == b.limit
    }
}

/// One statement of the supported SQL subset.
public enum SQLStatement: Equatable, Sendable {
    case createTable(CreateTableStatement)
    case createView(CreateViewStatement)
    case alterTable(QualifiedName, AlterTableAction)
    /// `ALTER CATALOG|SCHEMA|VOLUME x SET TAGS (…)` or `UNSET TAGS (…)`: kind is `catalog`, `schema` or `volume`.
    case alterSecurableTags(kind: String, name: QualifiedName, set: [KeyValue], unset: [String])
    case commentOnTable(QualifiedName, String?)
    case commentOnColumn(table: QualifiedName, column: String, String?)
    case dropTable(QualifiedName, ifExists: Bool)
    case createFunction(CreateFunctionStatement)
    case dropFunction(QualifiedName, ifExists: Bool)
    case select(SelectStatement)
}
