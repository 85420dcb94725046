"""Unity Catalog catalogs, schemas, volumes and functions through the official SDK."""

import pytest
from databricks.sdk.errors import (
    BadRequest,
    InvalidParameterValue,
    NotFound,
    PermissionDenied,
    ResourceConflict,
)
from databricks.sdk.service.catalog import VolumeType


def test_catalog_lifecycle(w):
    created = w.catalogs.create(name="Sales", comment="revenue", properties={"team": "a"})
    assert created.name == "sales"
    assert created.full_name == "sales"
    assert created.owner
    assert created.created_at > 0
    got = w.catalogs.get("sales")
    assert got.comment == "revenue"
    assert got.properties == {"team": "a"}
    assert [c.name for c in w.catalogs.list()] == ["sales"]
    updated = w.catalogs.update("sales", comment="changed", owner="data-team")
    assert updated.comment == "changed" and updated.owner == "data-team"
    w.catalogs.delete("sales")
    with pytest.raises(NotFound) as missing:
        w.catalogs.get("sales")
    assert missing.value.error_code == "CATALOG_DOES_NOT_EXIST"


def test_new_catalog_gets_information_schema_and_default(w):
    w.catalogs.create(name="c1")
    assert sorted(s.name for s in w.schemas.list(catalog_name="c1")) == ["default", "information_schema"]


def test_duplicate_catalog_is_resource_already_exists(w):
    w.catalogs.create(name="dup")
    # Unity Catalog still answers its legacy spelling; the SDK maps the 409 to ResourceConflict.
    with pytest.raises(ResourceConflict) as error:
        w.catalogs.create(name="DUP")
    assert error.value.error_code == "CATALOG_ALREADY_EXISTS"


def test_invalid_name_is_invalid_parameter_value(w):
    with pytest.raises(InvalidParameterValue):
        w.catalogs.create(name="bad.name")


def test_delete_non_empty_catalog_needs_force(w):
    w.catalogs.create(name="full")
    w.schemas.create(name="s", catalog_name="full")
    with pytest.raises(BadRequest) as error:
        w.catalogs.delete("full")
    assert error.value.error_code == "CATALOG_NOT_EMPTY"
    w.catalogs.delete("full", force=True)
    assert list(w.catalogs.list()) == []


def test_catalog_rename_moves_children(w):
    w.catalogs.create(name="old")
    w.schemas.create(name="s", catalog_name="old")
    w.catalogs.update("old", new_name="new")
    assert w.schemas.get("new.s").catalog_name == "new"
    with pytest.raises(NotFound):
        w.catalogs.get("old")


def test_schema_lifecycle_and_errors(w):
    w.catalogs.create(name="c")
    schema = w.schemas.create(name="Bronze", catalog_name="c", comment="raw", properties={"k": "v"})
    assert schema.full_name == "c.bronze" and schema.schema_id
    assert w.schemas.get("c.bronze").comment == "raw"
    assert w.schemas.update("c.bronze", comment="x").comment == "x"
    with pytest.raises(ResourceConflict):
        w.schemas.create(name="bronze", catalog_name="c")
    with pytest.raises(NotFound) as error:
        w.schemas.create(name="s", catalog_name="nope")
    assert error.value.error_code == "CATALOG_DOES_NOT_EXIST"
    with pytest.raises(NotFound) as error:
        w.schemas.get("c.nope")
    assert error.value.error_code == "SCHEMA_DOES_NOT_EXIST"
    w.schemas.delete("c.bronze")
    with pytest.raises(NotFound):
        w.schemas.get("c.bronze")


def test_information_schema_is_protected(w):
    w.catalogs.create(name="c")
    with pytest.raises(PermissionDenied):
        w.schemas.delete("c.information_schema")


def test_catalog_pagination_over_many_pages(w, emulator):
    for i in range(25):
        w.catalogs.create(name=f"cat_{i:02d}")
    names = [c.name for c in w.catalogs.list(max_results=4)]
    assert names == [f"cat_{i:02d}" for i in range(25)]
    pages = [r for r in emulator.requests() if r["path"] == "/api/2.1/unity-catalog/catalogs" and r["method"] == "GET"]
    assert len(pages) == 7  # 6 full pages of 4 and one of 1
    assert all("max_results=4" in p["query"] for p in pages)


def test_negative_max_results_and_bad_token_are_rejected(emulator):
    http = emulator.http
    response = http.get(emulator.url + "/api/2.1/unity-catalog/catalogs", params={"max_results": -1})
    assert response.status_code == 400 and response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    response = http.get(emulator.url + "/api/2.1/unity-catalog/catalogs", params={"page_token": "garbage"})
    assert response.status_code == 400


def test_volumes(w):
    w.catalogs.create(name="c")
    w.schemas.create(name="s", catalog_name="c")
    volume = w.volumes.create(catalog_name="c", schema_name="s", name="Landing", volume_type=VolumeType.MANAGED)
    assert volume.full_name == "c.s.landing" and volume.volume_id
    assert w.volumes.read("c.s.landing").volume_type == VolumeType.MANAGED
    assert [v.name for v in w.volumes.list(catalog_name="c", schema_name="s")] == ["landing"]
    assert w.volumes.update("c.s.landing", comment="files").comment == "files"
    with pytest.raises(ResourceConflict):
        w.volumes.create(catalog_name="c", schema_name="s", name="landing", volume_type=VolumeType.MANAGED)
    with pytest.raises(InvalidParameterValue):
        w.volumes.create(catalog_name="c", schema_name="s", name="ext", volume_type=VolumeType.EXTERNAL)
    w.volumes.delete("c.s.landing")
    with pytest.raises(NotFound):
        w.volumes.read("c.s.landing")


def test_functions_created_by_sql_are_listed(w, ok_sql):
    w.catalogs.create(name="c")
    w.schemas.create(name="s", catalog_name="c")
    ok_sql("CREATE FUNCTION c.s.is_eu(region STRING) RETURNS BOOLEAN COMMENT 'row filter' RETURN region = 'EU'")
    function = w.functions.get("c.s.is_eu")
    assert function.full_name == "c.s.is_eu"
    assert function.routine_definition == "region = 'EU'"
    assert function.input_params.parameters[0].name == "region"
    assert function.data_type.value == "BOOLEAN"
    assert [f.name for f in w.functions.list(catalog_name="c", schema_name="s")] == ["is_eu"]
    ok_sql("CREATE OR REPLACE FUNCTION c.s.is_eu(region STRING) RETURNS BOOLEAN RETURN region = 'EU' OR region = 'UK'")
    assert "UK" in w.functions.get("c.s.is_eu").routine_definition
    w.functions.delete("c.s.is_eu")
    with pytest.raises(NotFound):
        w.functions.get("c.s.is_eu")
