"""scripts/lint-schemas.py: every example validates against its schema in docs/schemas/, and a broken one fails,
naming the file and what is wrong (so the check cannot pass by accident)."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def copy(tmp_path):
    """The examples, schemas and the script in a scratch tree."""
    for part in ("Examples", "docs/schemas", "scripts"):
        shutil.copytree(os.path.join(ROOT, part), tmp_path / part)
    return tmp_path


def lint(root):
    return subprocess.run(
        [sys.executable, str(root / "scripts/lint-schemas.py")], capture_output=True, text=True, check=False)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_example_validates(copy):
    result = lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s)" in result.stdout
    count = int(result.stdout.split("schemas: ")[1].split(" ")[0])
    assert count >= 20


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        ("Examples/lakegate.yaml", "fourEyes: true ", "fourEyes: maybe ",
         "environments/prod/gates/fourEyes: 'maybe' is not of type 'boolean'"),
        ("Examples/lakegate.yaml", "    follows: approvals", "    follows: approval",
         "environments/prod/follows: 'approval' is not one of"),
        ("Examples/lakegate.yaml", "tokenEnv: DEV_DATABRICKS_TOKEN", "token: dapi-inline",
         "environments/dev/workspace/credentials"),
        ("Examples/customer-360/dataproduct.yaml", "\nid: customer-360", "\nid: customer-360\ncolour: blue",
         "Additional properties are not allowed ('colour' was unexpected)"),
        ("Examples/policies/access-control/pii-columns-masked.yaml", "status: enabled", "status: live",
         "status: 'live' is not one of"),
        ("Examples/policies/access-control/pii-columns-masked.yaml", "severity: {qa: error, prod: error}",
         "severity: {qa: fatal}", "severity"),
        ("Examples/blueprints/pipeline/blueprint.yaml", "\nname: pipeline", "\ntitle: pipeline",
         "'name' is a required property"),
        ("Examples/blueprints/pipeline/template/dataproduct.yaml", "domain:", "domian:",
         "('domian' was unexpected)"),
    ],
)
def test_a_broken_example_fails_naming_it(copy, file, old, new, expected):
    edit(copy / file, old, new)
    result = lint(copy)
    assert result.returncode == 1, result.stdout
    assert any(line.startswith(file + ": ") and expected in line for line in result.stdout.splitlines()), result.stdout


def test_a_missing_or_wrong_modeline_fails(copy):
    path = copy / "Examples/orders/dataproduct.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("\n", 1)[1], encoding="utf-8")
    edit(copy / "Examples/lakegate.yaml", "schemas/lakegate.schema.json", "schemas/policy.schema.json")
    result = lint(copy)
    assert result.returncode == 1
    assert "Examples/orders/dataproduct.yaml: the first line must be '# yaml-language-server: " in result.stdout
    assert "Examples/lakegate.yaml: the modeline names ../docs/schemas/policy.schema.json" in result.stdout
