"""lakegate capture on the real emulator: every kind of object built in the dev workspace is captured into the
product files (and the next plan adopts it and creates nothing), or listed as not captured with exit code 2; never
exit 0 silently."""

import base64
import os
import pathlib
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from conftest import ROOT, STARTER_WAREHOUSE

ROOT_PATH = "/Workspace/Shared/.bundle/customer_360/dev"
UC = "/api/2.1/unity-catalog"


def lakegate_binary() -> str:
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR") or str(ROOT / ".build" / "debug")
    return str(pathlib.Path(bin_dir) / "lakegate")


@pytest.fixture
def dev(tmp_path, emulator):
    """customer-360 applied to dev on a fresh emulator, and a REST client for building in the workspace."""
    product = tmp_path / "customer-360"
    shutil.copytree(ROOT / "Examples" / "customer-360", product)
    state = tmp_path / "state"
    headers = {"Authorization": "Bearer dev-token"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [lakegate_binary(), *args, "--state-dir", str(state), "--host", emulator.url, str(product)],
            env={"DATABRICKS_TOKEN": "dev-token", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, timeout=120)

    def api(method: str, path: str, body: dict | None = None) -> dict:
        response = emulator.http.request(method, emulator.url + path, json=body, headers=headers)
        assert response.status_code == 200, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}

    def sql(statement: str) -> None:
        answer = api("POST", "/api/2.0/sql/statements",
                     {"warehouse_id": STARTER_WAREHOUSE, "statement": statement, "wait_timeout": "30s"})
        assert answer["status"]["state"] == "SUCCEEDED", answer

    def notebook(path: str, text: str, language: str = "PYTHON") -> None:
        api("POST", "/api/2.0/workspace/import", {
            "path": path, "content": base64.b64encode(text.encode()).decode(), "format": "SOURCE",
            "language": language, "overwrite": True})

    def file(path: str) -> str:
        return (product / path).read_text()

    applied = run("apply", "--target", "dev", "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    return SimpleNamespace(product=product, run=run, api=api, sql=sql, notebook=notebook, file=file, emulator=emulator)


def adopt_then_clean(dev, *adopted: str) -> None:
    """After a capture: validate passes, the plan adopts what was built (creating nothing), and after apply
    the plan is empty and a second capture finds nothing."""
    valid = subprocess.run([lakegate_binary(), "validate", str(dev.product)], capture_output=True, text=True)
    assert valid.returncode == 0, valid.stderr
    plan = dev.run("plan", "--target", "dev")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "to create" in plan.stdout and " 0 to create," in plan.stdout, plan.stdout
    for key in adopted:
        assert f"{key} (" in plan.stdout and "will be adopted" in plan.stdout, plan.stdout
    applied = dev.run("apply", "--target", "dev", "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    clean = dev.run("plan", "--target", "dev", "--detailed-exitcode")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    again = dev.run("capture", "--target", "dev")
    assert again.returncode == 0 and again.stdout == "No changes to capture.\n", again.stdout + again.stderr


def test_a_job_built_in_dev_is_captured_with_its_notebook_and_adopted(dev):
    """The issue's case: a job created in the dev workspace that runs a notebook under the bundle root."""
    dev.notebook(f"{ROOT_PATH}/files/src/score_customers", "# Databricks notebook source\nprint('score')\n")
    dev.api("POST", "/api/2.1/jobs/create", {
        "name": "customer scoring (dev)", "description": "Scores customers nightly.", "max_concurrent_runs": 1,
        "tags": {"team": "crm"},
        "tasks": [{"task_key": "score", "notebook_task": {
            "notebook_path": f"{ROOT_PATH}/files/src/score_customers", "source": "WORKSPACE"}}]})
    jobs_before = len(dev.api("GET", "/api/2.1/jobs/list").get("jobs", []))

    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    workloads = dev.file("resources/workloads.yml")
    assert "    customer_scoring_dev:\n      name: customer scoring (dev)\n" in workloads, workloads
    assert "      description: Scores customers nightly.\n" in workloads
    assert "            notebook_path: ../src/score_customers.py\n" in workloads, workloads
    assert "        team: crm\n" in workloads
    assert dev.file("src/score_customers.py") == "# Databricks notebook source\nprint('score')\n"
    assert "note: jobs.customer_scoring_dev:" in captured.stderr

    adopt_then_clean(dev, "jobs.customer_scoring_dev")
    assert len(dev.api("GET", "/api/2.1/jobs/list").get("jobs", [])) == jobs_before, "the job is not created twice"


def test_a_job_that_cannot_be_declared_is_reported_with_exit_2_and_nothing_written(dev):
    """A job named with --include whose notebook lives outside the bundle root: listed, exit 2, files unchanged.
    A job outside the product's footprint is not looked at; --include that names nothing is an error."""
    dev.api("POST", "/api/2.0/workspace/mkdirs", {"path": "/Users/dana@example.com"})
    dev.notebook("/Users/dana@example.com/scratch", "print(1)\n")
    task = {"task_key": "t", "notebook_task": {"notebook_path": "/Users/dana@example.com/scratch"}}
    dev.api("POST", "/api/2.1/jobs/create", {"name": "dana scratch", "tasks": [task]})
    before = dev.file("resources/workloads.yml")

    outside = dev.run("capture", "--target", "dev")
    assert outside.returncode == 0 and outside.stdout == "No changes to capture.\n", outside.stdout + outside.stderr

    named = dev.run("capture", "--target", "dev", "--include", "job:dana scratch")
    assert named.returncode == 2, named.stdout + named.stderr
    assert "not captured: job 'dana scratch'" in named.stderr, named.stderr
    assert "not a notebook under the bundle root's files/src/" in named.stderr
    assert dev.file("resources/workloads.yml") == before

    missing = dev.run("capture", "--target", "dev", "--include", "job:no such job")
    assert missing.returncode == 1 and "no job is named exactly 'no such job'" in missing.stderr, missing.stderr
    for bad, message in [("nightly", "expected KIND:NAME"), ("table:x", "unknown kind 'table'"),
                         ("monitor:crm.customers", "catalog.schema.table"), ("job:", "name is empty")]:
        refused = dev.run("capture", "--target", "dev", "--include", bad)
        assert refused.returncode not in (0, 2) and message in refused.stderr, (bad, refused.stderr)


def test_a_job_with_the_products_markers_is_found_by_them(dev):
    dev.api("POST", "/api/2.1/jobs/create", {
        "name": "marked export", "tags": {"lakegate.product": "customer-360", "lakegate.target": "dev"},
        "tasks": [{"task_key": "export", "notebook_task": {
            "notebook_path": f"{ROOT_PATH}/files/src/ingest_customers", "base_parameters": {"catalog": "c360_dev"}}}]})
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    workloads = dev.file("resources/workloads.yml")
    assert "    marked_export:\n" in workloads and "            notebook_path: ../src/ingest_customers.py\n" in workloads
    assert "lakegate.product" not in workloads
    adopt_then_clean(dev)


def test_notebooks_and_files_under_the_bundle_root(dev):
    """New and changed notebooks and files under files/src are written to src/; anything else under the bundle
    root is listed (exit 2)."""
    dev.notebook(f"{ROOT_PATH}/files/src/explore", "-- exploring\nSELECT 1\n", language="SQL")
    dev.api("POST", "/api/2.0/workspace/import", {
        "path": f"{ROOT_PATH}/files/src/lookup.csv", "format": "AUTO",
        "content": base64.b64encode(b"code,label\n1,gold\n").decode()})
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    assert dev.file("src/explore.sql") == "-- exploring\nSELECT 1\n"
    assert dev.file("src/lookup.csv") == "code,label\n1,gold\n"
    assert "no job of the product runs it" in captured.stderr
    clean = dev.run("plan", "--target", "dev", "--detailed-exitcode")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    dev.api("POST", "/api/2.0/workspace/mkdirs", {"path": f"{ROOT_PATH}/files/scratch"})
    dev.notebook(f"{ROOT_PATH}/files/scratch/tmp", "print(2)\n")
    reported = dev.run("capture", "--target", "dev")
    assert reported.returncode == 2, reported.stdout + reported.stderr
    assert "not captured: /Shared/.bundle/customer_360/dev/files/scratch/tmp: under the bundle root but outside " \
        "files/src/" in reported.stderr, reported.stderr


def test_a_view_built_in_a_product_schema_is_reported_and_nothing_written(dev):
    """The files describe tables, not views: a view built in dev is listed with the reason, exit 2, nothing written."""
    dev.sql("CREATE VIEW c360_dev.crm.active_customers COMMENT 'Customers seen this year' AS "
            "SELECT customer_id, segment FROM c360_dev.crm.customers")
    view = dev.api("GET", "/api/2.1/unity-catalog/tables/c360_dev.crm.active_customers")
    assert view["table_type"] == "VIEW" and [c["name"] for c in view["columns"]] == ["customer_id", "segment"], view
    before = {path: dev.file(path) for path in ("dataproduct.yaml", "databricks.yml", "contracts/customers.odcs.yaml")}
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 2, captured.stdout + captured.stderr
    assert ("not captured: c360_dev.crm.active_customers is a view built in the workspace: the product's files "
            "describe tables, not views") in captured.stderr, captured.stderr
    assert {path: dev.file(path) for path in before} == before


def test_a_volume_built_in_a_product_schema_is_captured_with_its_grants(dev):
    dev.api("POST", f"{UC}/volumes", {"catalog_name": "c360_dev", "schema_name": "crm", "name": "exports",
                                      "volume_type": "MANAGED", "comment": "Files for partners"})
    dev.api("PATCH", f"{UC}/permissions/volume/c360_dev.crm.exports",
            {"changes": [{"principal": "crm_engineers", "add": ["READ_VOLUME"]}]})
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    storage = dev.file("resources/storage.yml")
    exports = storage.split("    exports:\n")[1]
    assert "      catalog_name: ${resources.catalogs.c360.name}\n" in exports, storage
    assert "      schema_name: ${resources.schemas.crm.name}\n" in exports
    assert "      comment: Files for partners\n" in storage
    assert "        - principal: crm_engineers\n          privileges: [READ_VOLUME]\n" in storage, storage
    adopt_then_clean(dev, "volumes.exports")


def captured_access_entry(dev, function: str, ends_at: str) -> tuple[str, str]:
    """Captures (exit 0); dataproduct.yaml and its access entry of `function`, up to `ends_at`."""
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    product = dev.file("dataproduct.yaml")
    return product, product.split(f"    - function: {function}\n")[1].split(ends_at)[0]


def test_a_mask_function_built_in_dev_is_declared_and_an_unused_one_is_reported(dev):
    dev.sql("CREATE FUNCTION c360_dev.crm.mask_segment(value STRING) RETURNS STRING COMMENT 'Segments for "
            "marketing only' RETURN CASE WHEN is_account_group_member('crm_marketing') THEN value ELSE NULL END")
    dev.sql("ALTER TABLE c360_dev.crm.customers ALTER COLUMN segment SET MASK c360_dev.crm.mask_segment")
    product, entry = captured_access_entry(dev, "mask_segment", "  rowFilters:")
    for line in ["      schema: crm\n", "      parameters: value STRING\n", "      returns: STRING\n",
                 "      comment: Segments for marketing only\n", "      columns: [customers.segment]\n",
                 "      definition: CASE WHEN is_account_group_member('crm_marketing') THEN value ELSE NULL END\n"]:
        assert line in entry, product
    adopt_then_clean(dev, "functions.mask_segment")

    dev.sql("CREATE FUNCTION c360_dev.crm.helper(x INT) RETURNS INT RETURN x + 1")
    reported = dev.run("capture", "--target", "dev")
    assert reported.returncode == 2, reported.stdout + reported.stderr
    assert "not captured: c360_dev.crm.helper: a function built in the workspace that no column mask" in reported.stderr


def test_a_quality_monitor_built_on_a_product_table_is_captured(dev):
    dev.api("POST", f"{UC}/tables/c360_dev.engagement.interactions/monitor", {
        "output_schema_name": "c360_dev.engagement", "assets_dir": "/Workspace/Shared/monitors/interactions",
        "snapshot": {}, "warehouse_id": STARTER_WAREHOUSE})
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    workloads = dev.file("resources/workloads.yml")
    assert "    interactions_monitor:\n" in workloads, workloads
    assert "      table_name: ${var.catalog}.engagement.interactions\n" in workloads, workloads
    assert "      output_schema_name: ${var.catalog}.engagement\n" in workloads
    adopt_then_clean(dev, "quality_monitors.interactions_monitor")


def test_a_share_of_an_output_ports_tables_is_captured_with_its_recipient(dev):
    dev.api("POST", f"{UC}/shares", {"name": "c360_engagement_dev", "comment": "Interactions for the call centre"})
    dev.api("PATCH", f"{UC}/shares/c360_engagement_dev", {"updates": [{"action": "ADD", "data_object": {
        "name": "c360_dev.engagement.interactions", "data_object_type": "TABLE"}}]})
    dev.api("POST", f"{UC}/recipients", {"name": "call_centre", "authentication_type": "TOKEN",
                                         "comment": "Outsourced call centre"})
    dev.api("PATCH", f"{UC}/shares/c360_engagement_dev/permissions",
            {"changes": [{"principal": "call_centre", "add": ["SELECT"]}]})
    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    product = dev.file("dataproduct.yaml")
    assert "      name: c360_engagement_${bundle.target}\n" in product, product
    assert "      comment: Interactions for the call centre\n" in product
    assert "        - name: call_centre\n" in product
    adopt_then_clean(dev, "shares.interactions")


def test_a_share_dataproduct_yaml_cannot_express_is_reported(dev):
    dev.api("POST", f"{UC}/shares", {"name": "adhoc_dev"})
    dev.api("PATCH", f"{UC}/shares/adhoc_dev", {"updates": [{"action": "ADD", "data_object": {
        "name": "c360_dev.crm.customers", "data_object_type": "TABLE"}}]})
    before = dev.file("dataproduct.yaml")
    reported = dev.run("capture", "--target", "dev")
    assert reported.returncode == 2, reported.stdout + reported.stderr
    assert "not captured: the share adhoc_dev: dataproduct.yaml shares exactly the tables" in reported.stderr
    assert dev.file("dataproduct.yaml") == before


def test_changed_objects_of_every_kind_are_captured_and_only_adoption_remains(dev):
    """Changed in dev: table and column tags, a column mask, a volume's comment, a monitor's schedule, a share's
    comment, a mask function's body, and a job that now also runs a notebook built under the bundle root."""
    dev.sql("ALTER TABLE c360_dev.crm.customers SET TAGS ('tier' = 'gold')")
    dev.sql("ALTER TABLE c360_dev.crm.customers ALTER COLUMN segment SET TAGS ('classification' = 'confidential')")
    dev.sql("ALTER TABLE c360_dev.crm.customers ALTER COLUMN segment SET MASK c360_dev.crm.mask_pii_string")
    dev.sql("CREATE OR REPLACE FUNCTION c360_dev.crm.mask_pii_date(value DATE) RETURNS DATE COMMENT 'Hides dates "
            "of birth outside crm_pii_readers.' RETURN CASE WHEN is_account_group_member('crm_dob_readers') THEN "
            "value ELSE NULL END")
    dev.api("PATCH", f"{UC}/volumes/c360_dev.crm.landing", {"comment": "Raw CRM extracts, kept 30 days"})
    monitor = dev.api("GET", f"{UC}/tables/c360_dev.crm.customers/monitor")
    dev.api("PUT", f"{UC}/tables/c360_dev.crm.customers/monitor", {
        "output_schema_name": monitor["output_schema_name"], "assets_dir": monitor["assets_dir"], "snapshot": {},
        "warehouse_id": STARTER_WAREHOUSE,
        "schedule": {"quartz_cron_expression": "0 30 6 * * ?", "timezone_id": "UTC", "pause_status": "PAUSED"}})
    dev.api("PATCH", f"{UC}/shares/c360_customers_dev", {"comment": "Golden records for Partner Insurance AG"})
    dev.notebook(f"{ROOT_PATH}/files/src/notify", "# Databricks notebook source\nprint('notify')\n")
    job = next(j for j in dev.api("GET", "/api/2.1/jobs/list", None)["jobs"]
               if j["settings"]["name"] == "customer-360 refresh (dev)")
    settings = dev.api("GET", f"/api/2.1/jobs/get?job_id={job['job_id']}")["settings"]
    settings["tasks"].append({"task_key": "notify", "depends_on": [{"task_key": "build_segments"}],
                              "notebook_task": {"notebook_path": f"{ROOT_PATH}/files/src/notify"}})
    dev.api("POST", "/api/2.1/jobs/reset", {"job_id": job["job_id"], "new_settings": settings})

    captured = dev.run("capture", "--target", "dev")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    customers = dev.file("contracts/customers.odcs.yaml")
    assert "tier:gold" in customers and "classification: confidential" in customers, customers
    product = dev.file("dataproduct.yaml")
    assert "        - customers.segment\n" in product.split("function: mask_pii_string")[1].split("function:")[0]
    assert "is_account_group_member('crm_dob_readers')" in product
    assert "      comment: Golden records for Partner Insurance AG\n" in product
    assert "      comment: Raw CRM extracts, kept 30 days\n" in dev.file("resources/storage.yml")
    workloads = dev.file("resources/workloads.yml")
    assert 'quartz_cron_expression: "0 30 6 * * ?"' in workloads or "quartz_cron_expression: 0 30 6 * * ?" in workloads
    assert "            notebook_path: ../src/notify.py\n" in workloads, workloads
    assert dev.file("src/notify.py") == "# Databricks notebook source\nprint('notify')\n"
    # Only the notebook built in the workspace is adopted; everything else is already as the files say.
    plan = dev.run("plan", "--target", "dev")
    assert "Plan: 0 to create, 0 to update, 0 to delete, 1 to adopt," in plan.stdout, plan.stdout
    adopt_then_clean(dev, "notebooks.src/notify.py")


def test_changes_the_files_cannot_express_exit_2(dev):
    """A share's objects changed by hand and a row filter dropped: listed, exit 2, never 0."""
    dev.api("PATCH", f"{UC}/shares/c360_customers_dev", {"updates": [{"action": "REMOVE", "data_object": {
        "name": "c360_dev.crm.customer_addresses", "data_object_type": "TABLE"}}]})
    dev.sql("ALTER TABLE c360_dev.engagement.interactions DROP ROW FILTER")
    reported = dev.run("capture", "--target", "dev")
    assert reported.returncode == 2, reported.stdout + reported.stderr
    assert "not captured: shares.customers: its objects differ" in reported.stderr, reported.stderr
    assert "not captured: tables.interactions: the row filter was dropped in the workspace" in reported.stderr


def test_a_discovery_read_that_fails_is_never_taken_as_nothing_there(dev):
    """The job listing answers 500: capture says what it could not look at and exits 2, though nothing changed."""
    dev.emulator.faults(paths=[{"path_prefix": "/api/2.2/jobs/list", "status": 500}])
    try:
        failed = dev.run("capture", "--target", "dev")
    finally:
        dev.emulator.faults(paths=[])
    assert failed.returncode == 2, failed.stdout + failed.stderr
    assert "not captured: jobs: the workspace's jobs could not be listed" in failed.stderr, failed.stderr
    named = None
    dev.emulator.faults(paths=[{"path_prefix": "/api/2.2/jobs/list", "status": 500}])
    try:
        named = dev.run("capture", "--target", "dev", "--include", "job:anything")
    finally:
        dev.emulator.faults(paths=[])
    assert named.returncode == 1 and "--include job: the jobs could not be listed" in named.stderr, named.stderr


def test_a_row_filter_function_built_in_dev_is_declared(dev):
    dev.sql("CREATE FUNCTION c360_dev.crm.customers_by_segment(segment STRING) RETURNS BOOLEAN "
            "RETURN is_account_group_member(concat('crm_segment_', segment))")
    dev.sql("ALTER TABLE c360_dev.crm.customers SET ROW FILTER c360_dev.crm.customers_by_segment ON (segment)")
    product, entry = captured_access_entry(dev, "customers_by_segment", "\nregulatory:")
    for line in ["      schema: crm\n", "      table: customers\n", "      columns: [segment]\n",
                 "      parameters: segment STRING\n"]:
        assert line in entry, product
    assert "returns:" not in entry
    adopt_then_clean(dev, "functions.customers_by_segment")
