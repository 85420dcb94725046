"""Lifecycle steps 3 to 8 for Genie, as a user runs them: capture does not freeze the contracts' descriptions into
the Genie file, so a later contract edit reaches the space; a Genie-file override wins; a space built in dev is
captured and adopted; `capture --commit -m A -m B` writes the paragraphs as git does. Real emulator over HTTP,
real git repository."""

import json
import pathlib
import shutil
import subprocess

from conftest import ROOT, STARTER_WAREHOUSE
from test_controller import binary

TOKEN = "dapi-test-token"


class Product:
    def __init__(self, emulator, tmp: pathlib.Path):
        self.url = emulator.url
        self.http = emulator.http
        self.dir = tmp / "p"
        self.state = tmp / "state"
        shutil.copytree(ROOT / "Examples" / "customer-360", self.dir)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "DATABRICKS_TOKEN": TOKEN,
                    "DATABRICKS_CONFIG_FILE": "/dev/null", "GIT_AUTHOR_NAME": "Dev",
                    "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev",
                    "GIT_COMMITTER_EMAIL": "dev@example.com"}
        for args in (["init", "-q", "-b", "main"], ["config", "user.name", "Dev"],
                     ["config", "user.email", "dev@example.com"], ["add", "."], ["commit", "-q", "-m", "start"]):
            self.git(*args)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.dir), *args], env=self.env, check=True, capture_output=True,
                              text=True).stdout

    def lakegate(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary("lakegate"), *args, "--target", "dev", "--state-dir", str(self.state), "--host", self.url,
             str(self.dir)], env=self.env, capture_output=True, text=True, timeout=300)

    def api(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, self.url + path, headers={"Authorization": f"Bearer {TOKEN}"}, **kwargs)
        response.raise_for_status()
        return response.json()

    def space(self, title: str) -> tuple[dict, dict]:
        listed = self.api("GET", "/api/2.0/genie/spaces")["spaces"]
        info = self.api("GET", f"/api/2.0/genie/spaces/{next(s for s in listed if s['title'] == title)['space_id']}",
                        params={"include_serialized_space": "true"})
        return info, json.loads(info["serialized_space"])


def column(space: dict, table: str, name: str) -> dict:
    entry = next(t for t in space["data_sources"]["tables"] if t["identifier"] == table)
    return next(c for c in entry.get("column_configs", []) if c["column_name"] == name)


def test_contract_descriptions_keep_reaching_genie_and_a_space_built_in_dev_is_captured(emulator, tmp_path):
    product = Product(emulator, tmp_path)
    applied = product.lakegate("apply", "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr

    # Step 3, in Genie: one column gets its own description.
    title = "Customer 360 insights (dev)"
    info, space = product.space(title)
    column(space, "c360_dev.crm.customers", "segment")["description"] = ["Ask marketing first."]
    product.api("PATCH", f"/api/2.0/genie/spaces/{info['space_id']}",
                json={"serialized_space": json.dumps(space), "etag": info["etag"]})

    # Step 4: capture records that one value, and the two -m paragraphs as git does.
    captured = product.lakegate("capture", "--commit", "-m", "Capture Genie", "-m", "Second paragraph.")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    assert ("note: genie space customer_insights: column customers.segment description changed in Genie: "
            "recorded in genie/customer_insights.geniespace.json (it overrides the contract's)") in captured.stderr
    genie = json.loads((product.dir / "genie/customer_insights.geniespace.json").read_text())
    customers = next(t for t in genie["data_sources"]["tables"] if t["identifier"].endswith(".crm.customers"))
    assert customers["column_configs"] == [{"column_name": "segment", "description": ["Ask marketing first."]}]
    assert product.git("log", "-1", "--format=%B") == "Capture Genie\n\nSecond paragraph.\n\n"

    # Steps 5 and 8: business metadata is written in the contract and reaches Genie; the override still wins.
    contract = product.dir / "contracts/customers.odcs.yaml"
    contract.write_text(contract.read_text()
                        .replace("description: active, dormant or closed.", "description: Lifecycle state.")
                        .replace("description: Marketing segment (premium or standard), recomputed nightly.",
                                 "description: Marketing segment."))
    product.git("commit", "-q", "-am", "Describe status and segment")
    plan = product.lakegate("plan", "--detailed-exitcode")
    assert plan.returncode == 2 and "~ genie space genie_spaces.customer_insights" in plan.stdout, plan.stdout
    assert product.lakegate("apply", "--auto-approve").returncode == 0
    _, space = product.space(title)
    assert column(space, "c360_dev.crm.customers", "status")["description"] == ["Lifecycle state."]
    assert column(space, "c360_dev.crm.customers", "segment")["description"] == ["Ask marketing first."]

    # A space built in dev on the product's tables: captured into its own file and the bundle, then adopted.
    product.api("POST", "/api/2.0/genie/spaces", json={
        "title": "Churn questions (dev)", "warehouse_id": STARTER_WAREHOUSE,
        "serialized_space": json.dumps({"version": 2, "data_sources": {"tables": [
            {"identifier": "c360_dev.crm.customers",
             "column_configs": [{"column_name": "status", "description": ["Lifecycle state."]}]}]}})})
    captured = product.lakegate("capture")
    assert captured.returncode == 0, captured.stdout + captured.stderr
    new = json.loads((product.dir / "genie/churn_questions.geniespace.json").read_text())
    # The description equals the contract's: the file leaves it out, the contract gives it.
    assert new["data_sources"]["tables"] == [{"identifier": "${var.catalog}.crm.customers"}]
    assert "    churn_questions:\n      title: Churn questions (${bundle.target})\n" in \
        (product.dir / "resources/workloads.yml").read_text()
    adopt = product.lakegate("plan")
    assert "genie_spaces.churn_questions (Churn questions (dev)) will be adopted" in adopt.stdout, adopt.stdout
    assert product.lakegate("apply", "--auto-approve").returncode == 0
    clean = product.lakegate("plan", "--detailed-exitcode")
    assert clean.returncode == 0, clean.stdout


def test_a_genie_space_that_cannot_be_read_is_a_capture_that_is_not_complete(emulator, tmp_path):
    product = Product(emulator, tmp_path)
    assert product.lakegate("apply", "--auto-approve").returncode == 0
    created = product.api("POST", "/api/2.0/genie/spaces", json={
        "title": "Churn questions (dev)", "warehouse_id": STARTER_WAREHOUSE,
        "serialized_space": json.dumps({"version": 2, "data_sources": {"tables": [
            {"identifier": "c360_dev.crm.customers"}]}})})
    emulator.faults(paths=[{"path_prefix": f"/api/2.0/genie/spaces/{created['space_id']}", "status": 403}])
    try:
        captured = product.lakegate("capture")
    finally:
        emulator.faults(paths=[])
    assert captured.returncode == 2, captured.stdout + captured.stderr
    assert f"warning: not read, so not captured: read Genie space {created['space_id']}:" in captured.stderr
    assert not (product.dir / "genie/churn_questions.geniespace.json").exists()
