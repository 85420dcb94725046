#!/usr/bin/env python3
"""Validates every example file against its JSON schema in docs/schemas/ and checks its editor modeline.

Examples/lakegate.yaml, the dataproduct.yaml of each example product, every policy under Examples/policies and
every blueprint.yaml must start with `# yaml-language-server: $schema=<relative path to its schema>` and validate
against that schema. Blueprint templates are validated with their `{{ placeholders }}` filled in (they carry no
modeline: a generated product would inherit a path that no longer resolves). Examples/invalid/ is broken on
purpose and skipped. Exit 1 naming each file and problem; run as `make lint-schemas`.
"""
import glob
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")
PLACEHOLDER = re.compile(r"\{\{ *([a-z_]+)( *[|] *[a-z_]+)? *\}\}")


def examples():
    """(path, schema name, needs a modeline) for every example file, relative to the repository root."""
    found = [("Examples/lakegate.yaml", "lakegate", True)]
    found += [(p, "dataproduct", True) for p in sorted(glob.glob("Examples/*/dataproduct.yaml"))]
    found += [(p, "policy", True) for p in sorted(glob.glob("Examples/policies/**/*.y*ml", recursive=True))]
    found += [(p, "blueprint", True) for p in sorted(glob.glob("Examples/blueprints/*/blueprint.yaml"))]
    found += [(p, "dataproduct", False) for p in sorted(glob.glob("Examples/blueprints/*/template/dataproduct.yaml"))]
    return found


# Values for the parameters every blueprint asks without a default, as `lakegate init --set` would give them.
SAMPLES = {"product_id": "sample-product", "domain": "sales", "owner": "owner@bank.example"}
FILTERS = {
    "snake": lambda v: re.sub(r"[-. ]", "_", v.lower()),
    "kebab": lambda v: re.sub(r"[_. ]", "-", v.lower()),
    "lower": str.lower,
    "upper": str.upper,
    "quote": lambda v: json.dumps(v),
}


def fill(text, blueprint_path):
    """A blueprint template with its placeholders filled in from the blueprint's defaults (as `lakegate init`
    fills them without --set), after SAMPLES for the parameters without one."""
    with open(os.path.join(ROOT, blueprint_path), encoding="utf-8") as file:
        parameters = yaml.safe_load(file).get("parameters", [])
    values = dict(SAMPLES)

    def substitute(template):
        def one(match):
            value = values[match.group(1)]
            name = (match.group(2) or "").strip(" |")
            return FILTERS[name](value) if name else value
        return PLACEHOLDER.sub(one, template)

    for parameter in parameters:
        if parameter["name"] not in values and "default" in parameter:
            values[parameter["name"]] = substitute(str(parameter["default"]))
    return substitute(text)


def schema(name):
    with open(os.path.join(ROOT, "docs/schemas", f"{name}.schema.json"), encoding="utf-8") as file:
        document = json.load(file)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def problems(path, name, modeline):
    """Every problem of one file, as `path: message`."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as file:
        text = file.read()
    found = []
    match = MODELINE.match(text)
    expected = os.path.relpath(os.path.join("docs/schemas", f"{name}.schema.json"), os.path.dirname(path))
    if modeline and not match:
        found.append(f"{path}: the first line must be '# yaml-language-server: $schema={expected}'")
    elif modeline and match.group(1) != expected:
        found.append(f"{path}: the modeline names {match.group(1)}, not {expected}")
    if not modeline:
        text = fill(text, os.path.join(os.path.dirname(os.path.dirname(path)), "blueprint.yaml"))
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return found + [f"{path}: not YAML: {error}"]
    validator = jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        found.append(f"{path}: {where}: {error.message}")
    return found


def main(arguments):
    os.chdir(ROOT)
    files = [(p, n, m) for p, n, m in examples() if not arguments or p in arguments]
    failed = [line for entry in files for line in problems(*entry)]
    for line in failed:
        print(line)
    print(f"schemas: {len(files)} example file(s), {len(failed)} problem(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
