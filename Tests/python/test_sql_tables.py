"""Tables created and altered through SQL statement execution, read back through the tables and tag APIs."""

import pytest
from databricks.sdk.errors import NotFound
from databricks.sdk.service.sql import StatementState


@pytest.fixture
def schema(w):
    w.catalogs.create(name="main")
    w.schemas.create(name="sales", catalog_name="main")
    return "main.sales"


CREATE_ORDERS = """
CREATE TABLE IF NOT EXISTS main.sales.orders (
  id BIGINT NOT NULL COMMENT 'order id',
  region STRING,
  amount DECIMAL(10, 2),
  placed_at TIMESTAMP,
  items ARRAY<STRING>
)
USING DELTA
PARTITIONED BY (region)
COMMENT 'All orders'
TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', 'quality' = 'gold')
"""


def test_create_table_shows_in_tables_api(w, schema, ok_sql):
    response = ok_sql(CREATE_ORDERS)
    assert response.statement_id
    table = w.tables.get("main.sales.orders")
    assert table.table_type.value == "MANAGED"
    assert table.data_source_format.value == "DELTA"
    assert table.comment == "All orders"
    assert table.properties["quality"] == "gold"
    assert table.properties["delta.enableChangeDataFeed"] == "true"
    columns = {c.name: c for c in table.columns}
    assert [c.name for c in table.columns] == ["id", "region", "amount", "placed_at", "items"]
    assert columns["id"].type_name.value == "LONG" and columns["id"].type_text == "bigint"
    assert columns["id"].nullable is False and columns["id"].comment == "order id"
    assert columns["amount"].type_name.value == "DECIMAL" and columns["amount"].type_text == "decimal(10,2)"
    assert columns["items"].type_name.value == "ARRAY" and columns["items"].type_text == "array<string>"
    assert columns["region"].partition_index == 0
    assert w.tables.exists("main.sales.orders").table_exists is True
    assert w.tables.exists("main.sales.nope").table_exists is False


def test_create_if_not_exists_is_idempotent_and_duplicate_fails(schema, ok_sql, sql):
    ok_sql(CREATE_ORDERS)
    ok_sql(CREATE_ORDERS)
    failed = sql("CREATE TABLE main.sales.orders (id INT)")
    assert failed.status.state == StatementState.FAILED
    assert failed.status.error.error_code.value == "ALREADY_EXISTS"
    assert "TABLE_OR_VIEW_ALREADY_EXISTS" in failed.status.error.message


def test_alter_table_forms(w, schema, ok_sql):
    ok_sql(CREATE_ORDERS)
    ok_sql("CREATE FUNCTION main.sales.eu_only(region STRING) RETURNS BOOLEAN RETURN region = 'EU'")
    ok_sql("CREATE FUNCTION main.sales.hide(v DECIMAL(10,2)) RETURNS DECIMAL(10,2) RETURN NULL")
    ok_sql("ALTER TABLE main.sales.orders ADD COLUMNS (channel STRING COMMENT 'web or shop', qty INT)")
    ok_sql("ALTER TABLE main.sales.orders DROP COLUMN qty")
    ok_sql("ALTER TABLE main.sales.orders ALTER COLUMN region COMMENT 'sales region'")
    ok_sql("ALTER TABLE main.sales.orders SET TBLPROPERTIES ('owner_team' = 'sales')")
    ok_sql("ALTER TABLE main.sales.orders UNSET TBLPROPERTIES IF EXISTS ('quality', 'nope')")
    ok_sql("ALTER TABLE main.sales.orders SET ROW FILTER main.sales.eu_only ON (region)")
    ok_sql("ALTER TABLE main.sales.orders ALTER COLUMN amount SET MASK main.sales.hide")
    ok_sql("COMMENT ON TABLE main.sales.orders IS 'Orders, all regions'")
    ok_sql("COMMENT ON COLUMN main.sales.orders.channel IS 'where'")
    table = w.tables.get("main.sales.orders")
    columns = {c.name: c for c in table.columns}
    assert "qty" not in columns and columns["channel"].comment == "where"
    assert columns["region"].comment == "sales region"
    assert table.properties["owner_team"] == "sales" and "quality" not in table.properties
    assert table.row_filter.function_name == "main.sales.eu_only"
    assert table.row_filter.input_column_names == ["region"]
    assert columns["amount"].mask.function_name == "main.sales.hide"
    assert table.comment == "Orders, all regions"
    ok_sql("ALTER TABLE main.sales.orders DROP ROW FILTER")
    ok_sql("ALTER TABLE main.sales.orders ALTER COLUMN amount DROP MASK")
    table = w.tables.get("main.sales.orders")
    assert table.row_filter is None
    assert {c.name: c for c in table.columns}["amount"].mask is None


def test_tags_by_sql_show_in_tag_api_and_information_schema(w, schema, ok_sql):
    ok_sql(CREATE_ORDERS)
    ok_sql("ALTER TABLE main.sales.orders SET TAGS ('domain' = 'sales', 'pii')")
    ok_sql("ALTER TABLE main.sales.orders ALTER COLUMN id SET TAGS ('key' = 'primary')")
    tags = {t.tag_key: t.tag_value for t in w.entity_tag_assignments.list("tables", "main.sales.orders")}
    assert tags == {"domain": "sales", "pii": None}
    column_tags = list(w.entity_tag_assignments.list("columns", "main.sales.orders.id"))
    assert [(t.tag_key, t.tag_value) for t in column_tags] == [("key", "primary")]
    result = ok_sql(
        "SELECT tag_name, tag_value FROM main.information_schema.table_tags "
        "WHERE schema_name = 'sales' AND table_name = 'orders' ORDER BY tag_name"
    )
    assert [c.name for c in result.manifest.schema.columns] == ["tag_name", "tag_value"]
    assert result.result.data_array == [["domain", "sales"], ["pii", None]]
    result = ok_sql("SELECT * FROM system.information_schema.column_tags")
    assert result.result.data_array == [["main", "sales", "orders", "id", "key", "primary"]]
    ok_sql("ALTER TABLE main.sales.orders UNSET TAGS ('pii')")
    ok_sql("ALTER TABLE main.sales.orders ALTER COLUMN id UNSET TAGS ('key')")
    assert [t.tag_key for t in w.entity_tag_assignments.list("tables", "main.sales.orders")] == ["domain"]
    assert list(w.entity_tag_assignments.list("columns", "main.sales.orders.id")) == []


def test_failing_and_unsupported_statements(schema, sql):
    missing = sql("ALTER TABLE main.sales.nope SET TBLPROPERTIES ('a' = 'b')")
    assert missing.status.state == StatementState.FAILED
    assert missing.status.error.error_code.value == "NOT_FOUND"
    assert "TABLE_OR_VIEW_NOT_FOUND" in missing.status.error.message
    syntax = sql("CREATE TABLE main.sales.t (id INT")
    assert syntax.status.state == StatementState.FAILED and "PARSE_SYNTAX_ERROR" in syntax.status.error.message
    assert syntax.status.sql_state == "42601"
    unsupported = sql("INSERT INTO main.sales.t VALUES (1)")
    assert unsupported.status.state == StatementState.FAILED
    assert "INSERT" in unsupported.status.error.message
    ctas = sql("CREATE TABLE main.sales.t2 AS SELECT 1")
    assert "CREATE TABLE … AS SELECT" in ctas.status.error.message


def test_statement_get_by_id_and_default_catalog(w, schema, ok_sql):
    response = ok_sql("CREATE TABLE orders (id INT)", catalog="main", schema="sales")
    again = w.statement_execution.get_statement(response.statement_id)
    assert again.status.state == StatementState.SUCCEEDED
    assert w.tables.get("main.sales.orders").columns[0].type_name.value == "INT"
    with pytest.raises(NotFound):
        w.statement_execution.get_statement("01f0-missing")


def test_parameters_bind_named_markers(w, schema, ok_sql):
    from databricks.sdk.service.sql import StatementParameterListItem

    ok_sql(CREATE_ORDERS)
    ok_sql("ALTER TABLE main.sales.orders SET TAGS ('domain' = 'sales')")
    result = ok_sql(
        "SELECT tag_value FROM main.information_schema.table_tags WHERE tag_name = :name",
        parameters=[StatementParameterListItem(name="name", value="domain")],
    )
    assert result.result.data_array == [["sales"]]


def test_drop_table_and_tables_delete(w, schema, ok_sql, sql):
    ok_sql(CREATE_ORDERS)
    ok_sql("DROP TABLE main.sales.orders")
    with pytest.raises(NotFound) as error:
        w.tables.get("main.sales.orders")
    assert error.value.error_code == "TABLE_DOES_NOT_EXIST"
    ok_sql("DROP TABLE IF EXISTS main.sales.orders")
    assert sql("DROP TABLE main.sales.orders").status.state == StatementState.FAILED
    ok_sql("CREATE TABLE main.sales.t (id INT)")
    w.tables.delete("main.sales.t")
    assert w.tables.exists("main.sales.t").table_exists is False


def test_table_list_pages_and_summaries(w, schema, ok_sql, emulator):
    for i in range(30):
        ok_sql(f"CREATE TABLE main.sales.t{i:02d} (id INT)")
    ok_sql("CREATE TABLE main.default.other (id INT)")
    names = [t.name for t in w.tables.list(catalog_name="main", schema_name="sales", max_results=7)]
    assert names == [f"t{i:02d}" for i in range(30)]
    pages = [r for r in emulator.requests() if r["path"] == "/api/2.1/unity-catalog/tables"]
    assert len(pages) == 5
    slim = next(iter(w.tables.list(catalog_name="main", schema_name="sales", omit_columns=True)))
    assert not slim.columns
    summaries = list(w.tables.list_summaries(catalog_name="main", schema_name_pattern="sal%", table_name_pattern="t1_"))
    assert [s.full_name for s in summaries] == [f"main.sales.t1{i}" for i in range(10)]
    assert all(s.table_type.value == "MANAGED" for s in summaries)
    everything = list(w.tables.list_summaries(catalog_name="main", max_results=4))
    assert len(everything) == 31


def test_request_log_records_statement_text(w, schema, ok_sql, emulator):
    ok_sql("CREATE TABLE main.sales.logged (id INT)")
    entries = [r for r in emulator.requests() if r["path"] == "/api/2.0/sql/statements"]
    assert entries[-1]["statement"] == "CREATE TABLE main.sales.logged (id INT)"
    assert entries[-1]["status"] == 200 and entries[-1]["method"] == "POST"
