"""Genie spaces and SQL warehouses."""

import json

import pytest
from databricks.sdk.errors import NotFound, ResourceConflict

from conftest import STARTER_WAREHOUSE

SPACE = json.dumps({"version": 2, "data_sources": {"tables": [{"identifier": "main.sales.orders"}]}})


def test_starter_warehouse(w):
    warehouses = list(w.warehouses.list())
    assert [(x.id, x.name, x.state.value) for x in warehouses] == [(STARTER_WAREHOUSE, "Starter Warehouse", "RUNNING")]
    assert w.warehouses.get(STARTER_WAREHOUSE).odbc_params.path == f"/sql/1.0/warehouses/{STARTER_WAREHOUSE}"
    with pytest.raises(NotFound):
        w.warehouses.get("nope")


def test_genie_space_lifecycle(w):
    space = w.genie.create_space(warehouse_id=STARTER_WAREHOUSE, serialized_space=SPACE, title="Sales")
    assert space.space_id and space.etag
    got = w.genie.get_space(space.space_id, include_serialized_space=True)
    assert json.loads(got.serialized_space)["version"] == 2
    assert w.genie.get_space(space.space_id).serialized_space is None
    listed = w.genie.list_spaces()
    assert [s.title for s in listed.spaces] == ["Sales"]
    updated = w.genie.update_space(space.space_id, title="Sales v2", etag=space.etag)
    assert updated.title == "Sales v2" and updated.etag != space.etag
    with pytest.raises(ResourceConflict):
        w.genie.update_space(space.space_id, title="stale", etag=space.etag)
    w.genie.trash_space(space.space_id)
    with pytest.raises(NotFound):
        w.genie.get_space(space.space_id)


def test_genie_list_pages(w):
    for i in range(5):
        w.genie.create_space(warehouse_id=STARTER_WAREHOUSE, serialized_space=SPACE, title=f"s{i}")
    first = w.genie.list_spaces(page_size=2)
    assert len(first.spaces) == 2 and first.next_page_token
    seen = len(first.spaces)
    token = first.next_page_token
    while token:
        page = w.genie.list_spaces(page_size=2, page_token=token)
        seen += len(page.spaces or [])
        token = page.next_page_token
    assert seen == 5
