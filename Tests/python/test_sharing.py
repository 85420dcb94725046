"""Delta Sharing shares, recipients, share permissions, and the name-keyed quality monitors."""

import pytest
from databricks.sdk.errors import NotFound, ResourceAlreadyExists, ResourceConflict
from databricks.sdk.service.catalog import MonitorSnapshot, MonitorTimeSeries
from databricks.sdk.service.sharing import (
    AuthenticationType,
    PermissionsChange,
    SharedDataObject,
    SharedDataObjectDataObjectType,
    SharedDataObjectUpdate,
    SharedDataObjectUpdateAction,
)


@pytest.fixture
def table(w, ok_sql):
    w.catalogs.create(name="main")
    w.schemas.create(name="sales", catalog_name="main")
    ok_sql("CREATE TABLE main.sales.orders (id BIGINT, placed_at TIMESTAMP)")
    return "main.sales.orders"


def test_share_objects_and_permissions(w, table):
    share = w.shares.create(name="Partners", comment="for partners")
    assert share.name == "partners"
    with pytest.raises(ResourceConflict):
        w.shares.create(name="partners")
    w.shares.update(
        "partners",
        updates=[
            SharedDataObjectUpdate(
                action=SharedDataObjectUpdateAction.ADD,
                data_object=SharedDataObject(name=table, data_object_type=SharedDataObjectDataObjectType.TABLE),
            )
        ],
    )
    got = w.shares.get("partners", include_shared_data=True)
    assert [o.name for o in got.objects] == [table]
    assert got.objects[0].shared_as == "sales.orders"
    assert [s.name for s in w.shares.list_shares()] == ["partners"]
    recipient = w.recipients.create(name="acme", authentication_type=AuthenticationType.TOKEN, comment="ACME")
    assert recipient.activation_url and recipient.tokens
    assert w.recipients.get("acme").comment == "ACME"
    assert [r.name for r in w.recipients.list()] == ["acme"]
    w.shares.update_permissions("partners", changes=[PermissionsChange(principal="acme", add=["SELECT"])])
    permissions = w.shares.share_permissions("partners")
    assert [(p.principal, [str(getattr(x, "value", x)) for x in p.privileges]) for p in permissions.privilege_assignments] == [
        ("acme", ["SELECT"])
    ]
    with pytest.raises(NotFound):
        w.shares.update_permissions("partners", changes=[PermissionsChange(principal="ghost", add=["SELECT"])])
    w.shares.update(
        "partners",
        updates=[
            SharedDataObjectUpdate(
                action=SharedDataObjectUpdateAction.REMOVE, data_object=SharedDataObject(name=table)
            )
        ],
    )
    assert not w.shares.get("partners", include_shared_data=True).objects
    w.recipients.update("acme", comment="changed")
    assert w.recipients.get("acme").comment == "changed"
    w.recipients.delete("acme")
    w.shares.delete("partners")
    with pytest.raises(NotFound):
        w.shares.get("partners")
    with pytest.raises(NotFound):
        w.recipients.get("acme")


def test_quality_monitor_lifecycle(w, table):
    monitor = w.quality_monitors.create(
        table_name=table,
        assets_dir="/Shared/monitors/orders",
        output_schema_name="main.sales",
        time_series=MonitorTimeSeries(timestamp_col="placed_at", granularities=["1 day"]),
    )
    assert monitor.table_name == table
    assert monitor.status.value == "MONITOR_STATUS_ACTIVE"
    assert monitor.profile_metrics_table_name == "main.sales.orders_profile_metrics"
    with pytest.raises(ResourceAlreadyExists):
        w.quality_monitors.create(
            table_name=table, assets_dir="/x", output_schema_name="main.sales", snapshot=MonitorSnapshot()
        )
    updated = w.quality_monitors.update(table_name=table, output_schema_name="main.sales", snapshot=MonitorSnapshot())
    assert updated.snapshot is not None and updated.time_series is None
    assert updated.assets_dir == "/Shared/monitors/orders"
    assert w.quality_monitors.get(table).monitor_version == 2
    w.quality_monitors.delete(table)
    with pytest.raises(NotFound):
        w.quality_monitors.get(table)
