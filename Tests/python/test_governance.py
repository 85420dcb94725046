"""Grants, effective permissions and entity tag assignments."""

import pytest
from databricks.sdk.errors import InvalidParameterValue, NotFound, ResourceAlreadyExists
from databricks.sdk.service.catalog import EntityTagAssignment, PermissionsChange, Privilege


@pytest.fixture
def table(w, ok_sql):
    w.catalogs.create(name="main")
    w.schemas.create(name="sales", catalog_name="main")
    ok_sql("CREATE TABLE main.sales.orders (id BIGINT, region STRING)")
    return "main.sales.orders"


def test_grants_update_and_get(w, table, emulator):
    result = w.grants.update(
        "table", table, changes=[PermissionsChange(principal="analysts", add=[Privilege.SELECT, Privilege.MODIFY])]
    )
    assert [(a.principal, sorted(p.value for p in a.privileges)) for a in result.privilege_assignments] == [
        ("analysts", ["MODIFY", "SELECT"])
    ]
    w.grants.update("table", table, changes=[PermissionsChange(principal="analysts", add=[Privilege.SELECT], remove=[Privilege.MODIFY])])
    got = w.grants.get("table", table)
    assert [(a.principal, [p.value for p in a.privileges]) for a in got.privilege_assignments] == [
        ("analysts", ["SELECT"])
    ]
    patch = [r for r in emulator.requests() if r["method"] == "PATCH"][-1]
    assert patch["path"] == "/api/2.1/unity-catalog/permissions/table/main.sales.orders"
    only = w.grants.get("table", table, principal="nobody")
    assert not only.privilege_assignments


def test_grant_errors(w, table):
    with pytest.raises(InvalidParameterValue):
        w.grants.update("table", table, changes=[PermissionsChange(principal="a", add=[Privilege.USE_CATALOG])])
    with pytest.raises(NotFound):
        w.grants.get("table", "main.sales.missing")
    with pytest.raises(InvalidParameterValue):
        w.grants.get("table", table, max_results=10)


def test_effective_permissions_inherit_from_parents(w, table):
    w.grants.update("catalog", "main", changes=[PermissionsChange(principal="analysts", add=[Privilege.USE_CATALOG, Privilege.SELECT])])
    w.grants.update("schema", "main.sales", changes=[PermissionsChange(principal="analysts", add=[Privilege.USE_SCHEMA])])
    w.grants.update("table", table, changes=[PermissionsChange(principal="analysts", add=[Privilege.MODIFY])])
    effective = w.grants.get_effective("table", table, principal="analysts")
    privileges = {
        (p.privilege.value, p.inherited_from_type.value if p.inherited_from_type else None, p.inherited_from_name)
        for p in effective.privilege_assignments[0].privileges
    }
    assert privileges == {
        ("MODIFY", None, None),
        ("USE_SCHEMA", "SCHEMA", "main.sales"),
        ("USE_CATALOG", "CATALOG", "main"),
        ("SELECT", "CATALOG", "main"),
    }


def test_entity_tag_assignments_crud(w, table):
    created = w.entity_tag_assignments.create(
        EntityTagAssignment(entity_type="tables", entity_name=table, tag_key="domain", tag_value="sales")
    )
    assert created.tag_key == "domain" and created.tag_value == "sales"
    with pytest.raises(ResourceAlreadyExists):
        w.entity_tag_assignments.create(
            EntityTagAssignment(entity_type="tables", entity_name=table, tag_key="domain", tag_value="x")
        )
    got = w.entity_tag_assignments.get("tables", table, "domain")
    assert got.tag_value == "sales"
    updated = w.entity_tag_assignments.update(
        "tables",
        table,
        "domain",
        EntityTagAssignment(entity_type="tables", entity_name=table, tag_key="domain", tag_value="finance"),
        update_mask="tag_value",
    )
    assert updated.tag_value == "finance"
    w.entity_tag_assignments.create(
        EntityTagAssignment(entity_type="columns", entity_name=f"{table}.region", tag_key="pii", tag_value="no")
    )
    for i in range(12):
        w.entity_tag_assignments.create(EntityTagAssignment(entity_type="catalogs", entity_name="main", tag_key=f"k{i:02d}"))
    assert len(list(w.entity_tag_assignments.list("catalogs", "main", max_results=5))) == 12
    w.entity_tag_assignments.delete("tables", table, "domain")
    with pytest.raises(NotFound):
        w.entity_tag_assignments.get("tables", table, "domain")
    with pytest.raises(NotFound):
        w.entity_tag_assignments.create(
            EntityTagAssignment(entity_type="columns", entity_name=f"{table}.nope", tag_key="k")
        )
