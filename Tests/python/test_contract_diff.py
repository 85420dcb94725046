"""Differential test: `lakegate contract diff` against datacontract-cli 1.2 (`datacontract breaking`).

Pairs are generated from one base ODCS v3.1 contract by single (and a few combined) edits. For each pair
and both perspectives we compare: breaking yes/no, and the set of (path, level) of every change that the
datacontract model classifies. Lakegate's own governance rules (classification loosened, PII tag removed,
column mask removed) are errors where datacontract reports metadata info: those changes are compared
against the expected override instead (docs/governance.md, "Where we differ").
"""

import copy
import json
import os
import shutil
import subprocess

import pytest
import yaml

datacontract = pytest.importorskip("datacontract.data_contract")

GOVERNANCE_RULES = {"classification-loosened", "pii-tag-removed", "column-mask-removed"}

BASE = {
    "apiVersion": "v3.1.0",
    "kind": "DataContract",
    "id": "urn:dmb:dp:finance:orders:1:orders-op",
    "name": "orders",
    "version": "1.4.0",
    "status": "active",
    "domain": "finance",
    "dataProduct": "orders",
    "description": {"purpose": "Settled orders for finance reporting.", "usage": "One row per order."},
    "schema": [
        {
            "name": "orders",
            "physicalName": "orders_v1",
            "logicalType": "object",
            "physicalType": "table",
            "businessName": "Customer order",
            "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
            "properties": [
                {
                    "name": "order_id",
                    "businessName": "Order identifier",
                    "logicalType": "string",
                    "physicalType": "STRING",
                    "primaryKey": True,
                    "required": True,
                    "unique": True,
                    "classification": "internal",
                    "criticalDataElement": True,
                },
                {
                    "name": "customer_email",
                    "businessName": "Customer e-mail address",
                    "logicalType": "string",
                    "physicalType": "STRING",
                    "classification": "restricted",
                    "tags": ["pii"],
                    "logicalTypeOptions": {"format": "email", "maxLength": 254},
                    "customProperties": [{"property": "ucColumnMask", "value": "gov.masks.email"}],
                },
                {
                    "name": "amount_eur",
                    "logicalType": "number",
                    "physicalType": "DECIMAL(18,2)",
                    "required": True,
                    "logicalTypeOptions": {"minimum": 0},
                    "quality": [{"metric": "nullValues", "mustBe": 0}],
                },
                {"name": "status", "logicalType": "string", "physicalType": "STRING", "classification": "internal"},
            ],
        },
        {
            "name": "customers",
            "physicalName": "customers_v1",
            "logicalType": "object",
            "physicalType": "table",
            "properties": [
                {"name": "customer_id", "logicalType": "string", "physicalType": "STRING", "required": True},
                {"name": "segment", "logicalType": "string", "physicalType": "STRING"},
            ],
        },
    ],
    "slaProperties": [
        {"property": "latency", "value": 4, "unit": "h", "element": "orders.order_id"},
        {"property": "retention", "value": 10, "unit": "y", "driver": "regulatory"},
    ],
    "team": {"name": "finance-orders", "members": [{"username": "alice@bank.example", "role": "owner"}]},
    "roles": [{"role": "finance_orders_readers", "access": "read", "firstLevelApprovers": "alice@bank.example"}],
    "support": [{"channel": "#finance-orders", "url": "https://chat.example/finance-orders"}],
    "servers": [
        {
            "server": "prod",
            "type": "databricks",
            "environment": "prod",
            "host": "adb-1.azuredatabricks.net",
            "catalog": "finance_prod",
            "schema": "orders",
        }
    ],
    "customProperties": [{"property": "doraCriticality", "value": "critical"}],
}


def obj(c, name):
    return next(o for o in c["schema"] if o["name"] == name)


def prop(c, table, name):
    return next(p for p in obj(c, table)["properties"] if p["name"] == name)


def edit(fn):
    def make():
        c = copy.deepcopy(BASE)
        fn(c)
        return c

    return make


def combined(*fns):
    def apply(c):
        for fn in fns:
            fn(c)

    return apply


EDITS = {
    "identical": lambda c: None,
    "description-changed": lambda c: c["description"].update(purpose="Orders, settled."),
    "version-bumped": lambda c: c.update(version="1.5.0"),
    "property-added": lambda c: obj(c, "orders")["properties"].append(
        {"name": "channel", "logicalType": "string", "physicalType": "STRING"}
    ),
    "property-removed": lambda c: obj(c, "orders")["properties"].pop(3),
    "property-renamed": lambda c: prop(c, "customers", "segment").update(name="customer_segment"),
    "required-loosened": lambda c: prop(c, "orders", "amount_eur").update(required=False),
    "required-added": lambda c: prop(c, "orders", "status").update(required=True),
    "required-removed": lambda c: prop(c, "customers", "customer_id").pop("required"),
    "logical-type-changed": lambda c: prop(c, "orders", "amount_eur").update(logicalType="integer"),
    "physical-type-changed": lambda c: prop(c, "orders", "amount_eur").update(physicalType="DECIMAL(20,2)"),
    "max-length-tightened": lambda c: prop(c, "orders", "customer_email")["logicalTypeOptions"].update(maxLength=100),
    "max-length-loosened": lambda c: prop(c, "orders", "customer_email")["logicalTypeOptions"].update(maxLength=320),
    "max-length-removed": lambda c: prop(c, "orders", "customer_email")["logicalTypeOptions"].pop("maxLength"),
    "minimum-raised": lambda c: prop(c, "orders", "amount_eur")["logicalTypeOptions"].update(minimum=10),
    "pattern-added": lambda c: prop(c, "orders", "status").update(logicalTypeOptions={"pattern": "^[A-Z]+$"}),
    "unique-added": lambda c: prop(c, "customers", "customer_id").update(unique=True),
    "unique-removed": lambda c: prop(c, "orders", "order_id").update(unique=False),
    "primary-key-added": lambda c: prop(c, "customers", "customer_id").update(primaryKey=True),
    "composite-key": lambda c: prop(c, "orders", "status").update(primaryKey=True),
    "schema-added": lambda c: c["schema"].append(
        {"name": "refunds", "logicalType": "object", "properties": [{"name": "refund_id", "logicalType": "string"}]}
    ),
    "schema-removed": lambda c: c["schema"].pop(1),
    "physical-name-changed": lambda c: obj(c, "orders").update(physicalName="orders_v2"),
    "physical-name-same-as-name": lambda c: prop(c, "customers", "segment").update(physicalName="segment"),
    "classification-tightened": lambda c: prop(c, "orders", "status").update(classification="confidential"),
    "classification-loosened": lambda c: prop(c, "orders", "customer_email").update(classification="public"),
    "pii-tag-removed": lambda c: prop(c, "orders", "customer_email").update(tags=[]),
    "mask-removed": lambda c: prop(c, "orders", "customer_email").pop("customProperties"),
    "tag-added": lambda c: prop(c, "orders", "status").update(tags=["gdpr"]),
    "quality-rule-added": lambda c: prop(c, "customers", "customer_id").update(
        quality=[{"metric": "duplicateValues", "mustBe": 0}]
    ),
    "quality-rule-removed": lambda c: prop(c, "orders", "amount_eur").pop("quality"),
    "quality-threshold-raised": lambda c: obj(c, "orders")["quality"][0].update(mustBeGreaterThan=100),
    "quality-warning-rule-added": lambda c: obj(c, "customers").update(
        quality=[{"metric": "rowCount", "mustBeGreaterThan": 0, "severity": "warning"}]
    ),
    "sla-latency-changed": lambda c: c["slaProperties"][0].update(value=2),
    "team-member-added": lambda c: c["team"]["members"].append({"username": "bob@bank.example", "role": "steward"}),
    "server-host-changed": lambda c: c["servers"][0].update(host="adb-2.azuredatabricks.net"),
    "business-name-changed": lambda c: prop(c, "orders", "order_id").update(businessName="Order number"),
    "custom-property-changed": lambda c: c["customProperties"][0].update(value="important"),
    "critical-data-element-off": lambda c: prop(c, "orders", "order_id").update(criticalDataElement=False),
    "combined-loosen-and-add": combined(
        lambda c: prop(c, "orders", "amount_eur").update(required=False),
        lambda c: obj(c, "customers")["properties"].append({"name": "country", "logicalType": "string"}),
    ),
    "combined-metadata": combined(
        lambda c: c.update(version="2.0.0"),
        lambda c: c["support"].append({"channel": "#orders-help", "url": "https://chat.example/help"}),
    ),
}
PAIRS = {name: edit(fn) for name, fn in EDITS.items()}


def lakegate():
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR")
    path = os.path.join(bin_dir, "lakegate") if bin_dir else shutil.which("lakegate")
    if not path or not os.path.exists(path):
        pytest.skip("LAKEGATE_BIN_DIR does not hold a built lakegate")
    return path


PAIRS_BY_FILE = {}


@pytest.fixture(scope="module")
def pair_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("contract-pairs")


def write_pair(directory, name):
    old, new = directory / f"{name}-v1.yaml", directory / f"{name}-v2.yaml"
    if not new.exists():
        old.write_text(yaml.safe_dump(BASE, sort_keys=False))
        new.write_text(yaml.safe_dump(PAIRS[name](), sort_keys=False))
    PAIRS_BY_FILE[str(old)] = name
    return old, new


_ORACLE = {}


def oracle(old, new, perspective):
    """Both perspectives from one load of the pair (loading dominates the time)."""
    from datacontract.data_contract import DataContract

    key = (PAIRS_BY_FILE.get(str(old)), str(new))
    if key not in _ORACLE:
        v1 = DataContract(data_contract_file=str(old), inline_references=False)
        v2 = DataContract(data_contract_file=str(new), inline_references=False)
        _ORACLE[key] = {}
        for side in ("consumer", "producer"):
            result = v1.breaking(v2, perspective=side)
            _ORACLE[key][side] = (result.is_breaking, {(e.path, e.level.value) for e in result.entries})
    return _ORACLE[key][perspective]


def ours(old, new, perspective):
    run = subprocess.run(
        [lakegate(), "contract", "diff", str(old), str(new), "--perspective", perspective, "--output", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode in (0, 3), run.stderr
    report = json.loads(run.stdout)
    assert report["breaking"] == (run.returncode == 3)
    return report


def test_enough_pairs():
    assert len(PAIRS) >= 30


@pytest.mark.parametrize("perspective", ["consumer", "producer"])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_matches_datacontract(pair_dir, name, perspective):
    old, new = write_pair(pair_dir, name)
    their_breaking, their_changes = oracle(old, new, perspective)
    report = ours(old, new, perspective)
    # A governance rule inside an added or removed element is demoted to info like everything there.
    governed = [c for c in report["changes"] if c["rule"] in GOVERNANCE_RULES and c["level"] == "error"]
    shared = {(c["path"], c["level"]) for c in report["changes"] if c not in governed}
    governed_paths = {c["path"] for c in governed}
    assert shared == {(p, lvl) for p, lvl in their_changes if p not in governed_paths}
    # Where our rules apply, datacontract sees metadata (info) at the same path and we see an error.
    for change in governed:
        assert (change["path"], "info") in their_changes
        assert change["level"] == "error"
    assert report["breaking"] == (their_breaking or bool(governed))


@pytest.mark.parametrize("name", ["property-removed", "required-added", "tag-added"])
def test_cli_exit_codes_agree(tmp_path, name):
    """`datacontract breaking` exits 1 when breaking; `lakegate contract diff` exits 3."""
    exe = shutil.which("datacontract") or os.path.join(os.path.dirname(os.sys.executable), "datacontract")
    old, new = write_pair(tmp_path, name)
    for perspective in ("consumer", "producer"):
        theirs = subprocess.run(
            [exe, "breaking", "--no-inline-references", "--perspective", perspective, str(old), str(new)],
            capture_output=True,
            text=True,
        )
        mine = subprocess.run(
            [lakegate(), "contract", "diff", "--perspective", perspective, str(old), str(new)],
            capture_output=True,
            text=True,
        )
        assert theirs.returncode in (0, 1), theirs.stderr
        assert (theirs.returncode == 1) == (mine.returncode == 3), (perspective, theirs.stdout, mine.stdout)


def test_bad_input_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema:\n  - name: orders\n    properties: [\n")
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(BASE))
    run = subprocess.run([lakegate(), "contract", "diff", str(good), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{bad}:" in run.stderr
    line, column = run.stderr.split(f"{bad}:")[1].split(":")[:2]
    assert int(line) >= 3 and int(column) >= 1
