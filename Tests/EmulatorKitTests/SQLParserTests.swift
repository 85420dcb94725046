import Testing

@testable import EmulatorKit

@Suite("SQLParser")
struct SQLParserTests {
    @Test("CREATE TABLE with every supported clause")
    func createTableClauses() throws {
        let statement = try SQLParser.parse(
            """
            CREATE TABLE IF NOT EXISTS main.sales.`Orders` (
              id BIGINT NOT NULL COMMENT 'order id',
              amount DECIMAL(10, 2),
              tags MAP<STRING, ARRAY<INT>>,
              point STRUCT<x: DOUBLE, y: DOUBLE> -- a comment
            ) USING DELTA PARTITIONED BY (id) CLUSTER BY (amount) COMMENT 'All orders'
            TBLPROPERTIES ('delta.appendOnly' = 'true', quality = 3);
            """)
        guard case .createTable(let create) = statement else {
            Issue.record("expected CREATE TABLE, got \(statement)")
            return
        }
        #expect(create.name.parts == ["main", "sales", "Orders"])
        #expect(create.ifNotExists && !create.orReplace)
        #expect(create.columns.map(\.name) == ["id", "amount", "tags", "point"])
        #expect(
            create.columns.map(\.type.text) == [
                "bigint", "decimal(10,2)", "map<string,array<int>>", "struct<x:double,y:double>",
            ])
        #expect(create.columns[0].nullable == false && create.columns[0].comment == "order id")
        #expect(create.partitionedBy == ["id"] && create.clusterBy == ["amount"])
        #expect(create.comment == "All orders")
        #expect(
            create.properties == [
                KeyValue(key: "delta.appendOnly", value: "true"), KeyValue(key: "quality", value: "3"),
            ])
        #expect(create.format == "DELTA")
    }

    @Test(
        "ALTER TABLE forms",
        arguments: [
            ("ALTER TABLE t ADD COLUMNS (a INT COMMENT 'x', b STRING)", "addColumns"),
            ("ALTER TABLE t DROP COLUMN IF EXISTS a", "dropColumns"),
            ("ALTER TABLE t ALTER COLUMN a COMMENT 'new'", "alterColumnComment"),
            ("ALTER TABLE t SET TBLPROPERTIES ('k' = 'v')", "setProperties"),
            ("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('k')", "unsetProperties"),
            ("ALTER TABLE t SET TAGS ('pii', 'domain' = 'sales')", "setTags"),
            ("ALTER TABLE t UNSET TAGS ('pii')", "unsetTags"),
            ("ALTER TABLE t ALTER COLUMN a SET TAGS ('k' = 'v')", "alterColumnSetTags"),
            ("ALTER TABLE t ALTER COLUMN a UNSET TAGS ('k')", "alterColumnUnsetTags"),
            ("ALTER TABLE t SET ROW FILTER c.s.f ON (region, id)", "setRowFilter"),
            ("ALTER TABLE t DROP ROW FILTER", "dropRowFilter"),
            ("ALTER TABLE t ALTER COLUMN a SET MASK c.s.m USING COLUMNS (b)", "alterColumnSetMask"),
            ("ALTER TABLE t ALTER COLUMN a DROP MASK", "alterColumnDropMask"),
        ])
    func alterForms(sql: String, expected: String) throws {
        guard case .alterTable(let name, let action) = try SQLParser.parse(sql) else {
            Issue.record("not an ALTER TABLE: \(sql)")
            return
        }
        #expect(name.parts == ["t"])
        #expect(String(describing: action).hasPrefix(expected))
    }

    @Test("row filter and mask arguments")
    func rowFilterAndMask() throws {
        let filter = try SQLParser.parse("ALTER TABLE t SET ROW FILTER c.s.f ON (region, id)")
        #expect(
            filter
                == .alterTable(
                    QualifiedName(parts: ["t"]),
                    .setRowFilter(
                        RowFilterClause(function: QualifiedName(parts: ["c", "s", "f"]), columns: ["region", "id"]))))
        let mask = try SQLParser.parse("ALTER TABLE t ALTER COLUMN a SET MASK m USING COLUMNS (b, c)")
        #expect(
            mask
                == .alterTable(
                    QualifiedName(parts: ["t"]),
                    .alterColumnSetMask(column: "a", function: QualifiedName(parts: ["m"]), using: ["b", "c"])))
    }

    @Test("COMMENT ON, DROP TABLE and CREATE FUNCTION")
    func otherStatements() throws {
        #expect(
            try SQLParser.parse("COMMENT ON TABLE a.b.c IS 'it''s'")
                == .commentOnTable(QualifiedName(parts: ["a", "b", "c"]), "it's"))
        #expect(
            try SQLParser.parse("COMMENT ON COLUMN a.b.c.d IS NULL")
                == .commentOnColumn(table: QualifiedName(parts: ["a", "b", "c"]), column: "d", nil))
        #expect(
            try SQLParser.parse("DROP TABLE IF EXISTS x") == .dropTable(QualifiedName(parts: ["x"]), ifExists: true))
        guard
            case .createFunction(let function) = try SQLParser.parse(
                "CREATE OR REPLACE FUNCTION c.s.f(region STRING, n INT) RETURNS BOOLEAN COMMENT 'eu' RETURN region = 'EU';"
            )
        else {
            Issue.record("not a function")
            return
        }
        #expect(function.orReplace)
        #expect(function.parameters.map(\.name) == ["region", "n"])
        #expect(function.returns == "boolean")
        #expect(function.body == "region = 'EU'")
        #expect(function.comment == "eu")
    }

    @Test("SELECT from a tag view with WHERE, ORDER BY and LIMIT")
    func selectTagView() throws {
        guard
            case .select(let query) = try SQLParser.parse(
                "SELECT tag_name, t.tag_value FROM main.information_schema.table_tags t WHERE table_name = 'orders' AND tag_name <> 'x' ORDER BY tag_name DESC LIMIT 5"
            )
        else {
            Issue.record("not a select")
            return
        }
        #expect(query.columns == ["tag_name", "tag_value"])
        #expect(query.from?.parts == ["main", "information_schema", "table_tags"])
        #expect(
            query.conditions == [
                SelectCondition(column: "table_name", equal: true, value: "orders"),
                SelectCondition(column: "tag_name", equal: false, value: "x"),
            ])
        #expect(query.orderBy.map(\.column) == ["tag_name"] && query.orderBy.first?.ascending == false)
        #expect(query.limit == 5)
    }

    @Test(
        "errors name what is wrong or unsupported",
        arguments: [
            ("CREATE TABLE t (id INT", "PARSE_SYNTAX_ERROR", "expected ')'"),
            ("INSERT INTO t VALUES (1)", "UNSUPPORTED_FEATURE", "INSERT"),
            ("CREATE TABLE t AS SELECT 1", "UNSUPPORTED_FEATURE", "AS SELECT"),
            ("CREATE TABLE t (id WIBBLE)", "UNSUPPORTED_DATATYPE", "WIBBLE"),
            ("ALTER TABLE t RENAME TO u", "UNSUPPORTED_FEATURE", "RENAME"),
            ("SELECT a FROM t WHERE a = 1 OR b = 2", "UNSUPPORTED_FEATURE", "OR"),
            ("CREATE TABLE t (id INT) LOCATION 's3://x'", "UNSUPPORTED_FEATURE", "LOCATION"),
            ("DROP TABLE t; DROP TABLE u", "PARSE_SYNTAX_ERROR", "DROP"),
            ("SELECT 'unterminated", "PARSE_SYNTAX_ERROR", "unterminated"),
        ])
    func errors(sql: String, code: String, fragment: String) {
        #expect {
            try SQLParser.parse(sql)
        } throws: { error in
            guard let error = error as? SQLError else { return false }
            return error.code == code && error.message.contains(fragment)
        }
    }
}
