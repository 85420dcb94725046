import LakegateCore
import Testing

@testable import EmulatorKit

@Suite("SQL engine")
struct SQLEngineTests {
    /// A workspace with catalog `main` and schema `main.sales`.
    func workspace() throws -> WorkspaceState {
        var state = WorkspaceState()
        _ = try state.createCatalog(name: "main", body: [:], principal: "me", now: 1)
        _ = try state.createSchema(catalogName: "main", name: "sales", body: [:], principal: "me", now: 1)
        return state
    }

    let session = SQLSession(catalog: "main", schema: "sales", principal: "me", now: 2)

    @Test("CREATE TABLE records columns, partitions, comments and properties")
    func createTable() throws {
        var state = try workspace()
        _ = try state.execute(
            sql:
                "CREATE TABLE Orders (id BIGINT NOT NULL, region STRING COMMENT 'r') PARTITIONED BY (region) COMMENT 'o' TBLPROPERTIES ('a' = 'b')",
            session: session)
        let table = try #require(state.tables["main.sales.orders"])
        #expect(table.columns.map(\.name) == ["id", "region"])
        #expect(table.columns.map(\.type.typeName) == ["LONG", "STRING"])
        #expect(table.columns[0].nullable == false)
        #expect(table.columns[1].partitionIndex == 0 && table.columns[1].comment == "r")
        #expect(table.comment == "o" && table.properties == ["a": "b"])
        let info = table.info()
        #expect(info["columns"]?.arrayValue?.first?["type_text"] == "bigint")
    }

    @Test("duplicate tables and columns fail; IF NOT EXISTS does nothing")
    func duplicates() throws {
        var state = try workspace()
        _ = try state.execute(sql: "CREATE TABLE t (id INT)", session: session)
        #expect(throws: SQLError.alreadyExists("main.sales.t")) {
            try state.execute(sql: "CREATE TABLE t (id INT)", session: session)
        }
        _ = try state.execute(sql: "CREATE TABLE IF NOT EXISTS t (other INT)", session: session)
        #expect(state.tables["main.sales.t"]?.columns.map(\.name) == ["id"])
        #expect(throws: SQLError.self) { try state.execute(sql: "CREATE TABLE u (a INT, A STRING)", session: session) }
        #expect(throws: SQLError.schemaNotFound("main.nope")) {
            try state.execute(sql: "CREATE TABLE main.nope.t (id INT)", session: session)
        }
    }

    @Test("CREATE VIEW: the selected columns of its table, its query as view_definition; errors name what is wrong")
    func createView() throws {
        var state = try workspace()
        _ = try state.execute(
            sql: "CREATE TABLE orders (id BIGINT NOT NULL COMMENT 'key', region STRING, total DOUBLE)", session: session
        )
        _ = try state.execute(
            sql: "CREATE VIEW eu_orders COMMENT 'EU only' AS SELECT id, region FROM orders WHERE region = 'eu'",
            session: session)
        let view = try #require(state.tables["main.sales.eu_orders"])
        #expect(view.tableType == "VIEW" && view.comment == "EU only")
        #expect(view.columns.map(\.name) == ["id", "region"] && view.columns[0].comment == "key")
        let info = view.info()
        #expect(info["view_definition"] == "SELECT id, region FROM orders WHERE region = 'eu'")
        #expect(info["table_type"] == "VIEW" && info["data_source_format"] == nil)
        _ = try state.execute(sql: "CREATE OR REPLACE VIEW eu_orders AS SELECT * FROM orders", session: session)
        #expect(state.tables["main.sales.eu_orders"]?.columns.map(\.name) == ["id", "region", "total"])
        #expect(state.tables["main.sales.eu_orders"]?.tableID == view.tableID)

        #expect(throws: SQLError.alreadyExists("main.sales.orders")) {
            try state.execute(sql: "CREATE OR REPLACE VIEW orders AS SELECT * FROM orders", session: session)
        }
        #expect(throws: SQLError.tableNotFound("main.sales.nope")) {
            try state.execute(sql: "CREATE VIEW v AS SELECT * FROM nope", session: session)
        }
        #expect(throws: SQLError.columnNotFound("missing", table: "main.sales.orders")) {
            try state.execute(sql: "CREATE VIEW v AS SELECT id, missing FROM orders", session: session)
        }
        #expect(state.tables["main.sales.v"] == nil)
    }

    @Test("ALTER TABLE changes columns, properties, filters, masks and tags")
    func alter() throws {
        var state = try workspace()
        for sql in [
            "CREATE TABLE t (id INT, region STRING, secret STRING)",
            "CREATE FUNCTION f(r STRING) RETURNS BOOLEAN RETURN r = 'EU'",
            "CREATE FUNCTION m(s STRING) RETURNS STRING RETURN '***'",
            "ALTER TABLE t ADD COLUMNS (extra DOUBLE)",
            "ALTER TABLE t DROP COLUMN id",
            "ALTER TABLE t ALTER COLUMN region COMMENT 'where'",
            "ALTER TABLE t SET TBLPROPERTIES ('a' = '1', 'b' = '2')",
            "ALTER TABLE t UNSET TBLPROPERTIES ('a')",
            "ALTER TABLE t SET ROW FILTER f ON (region)",
            "ALTER TABLE t ALTER COLUMN secret SET MASK m",
            "ALTER TABLE t SET TAGS ('domain' = 'sales')",
            "ALTER TABLE t ALTER COLUMN secret SET TAGS ('pii')",
        ] {
            _ = try state.execute(sql: sql, session: session)
        }
        let table = try #require(state.tables["main.sales.t"])
        #expect(table.columns.map(\.name) == ["region", "secret", "extra"])
        #expect(table.columns[0].comment == "where")
        #expect(table.properties == ["b": "2"])
        #expect(table.rowFilter == RowFilterRecord(functionName: "main.sales.f", inputColumnNames: ["region"]))
        #expect(table.columns[1].mask == ColumnMaskRecord(functionName: "main.sales.m", usingColumnNames: []))
        #expect(state.tags["tables/main.sales.t"]?["domain"]?.value == "sales")
        #expect(state.tags["columns/main.sales.t.secret"]?["pii"] != nil)

        let tags = try state.execute(
            sql: "SELECT column_name, tag_name FROM information_schema.column_tags", session: session)
        #expect(tags.rows == [["secret", "pii"]])

        #expect(throws: SQLError.columnNotFound("nope", table: "main.sales.t")) {
            try state.execute(sql: "ALTER TABLE t ALTER COLUMN nope COMMENT 'x'", session: session)
        }
        #expect(throws: SQLError.routineNotFound("main.sales.missing")) {
            try state.execute(sql: "ALTER TABLE t SET ROW FILTER missing ON (region)", session: session)
        }
        #expect(throws: SQLError.self) {
            try state.execute(sql: "ALTER TABLE t UNSET TBLPROPERTIES ('zzz')", session: session)
        }

        _ = try state.execute(sql: "DROP TABLE t", session: session)
        #expect(state.tables["main.sales.t"] == nil)
        #expect(state.tags["columns/main.sales.t.secret"] == nil)
        #expect(throws: SQLError.tableNotFound("main.sales.t")) {
            try state.execute(sql: "DROP TABLE t", session: session)
        }
        _ = try state.execute(sql: "DROP TABLE IF EXISTS t", session: session)
    }

    @Test("names without a catalog need a default")
    func defaults() throws {
        var state = try workspace()
        let bare = SQLSession(catalog: nil, schema: nil, principal: "me", now: 2)
        #expect(throws: SQLError.self) { try state.execute(sql: "CREATE TABLE t (id INT)", session: bare) }
        _ = try state.execute(sql: "CREATE TABLE main.sales.t (id INT)", session: bare)
        #expect(state.tables["main.sales.t"] != nil)
    }
}
