#!/usr/bin/env bash
# The Lakegate demo. Usage: scripts/demo.sh BIN_DIR   (BIN_DIR holds the built `lakegate`)
# For now it validates and renders the example product for every target; the controller demo replaces it.
set -euo pipefail
bin="${1:?usage: scripts/demo.sh BIN_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
product="$root/Examples/customer-360"
lakegate="$bin/lakegate"

say() { printf '\n== %s\n' "$*"; }

say "Validate the customer-360 product (every target): bundle, dataproduct.yaml, two ODCS contracts"
"$lakegate" validate "$product"

for target in dev qa prod; do
    say "Render the desired state for $target"
    out="$(mktemp)"
    "$lakegate" render --target "$target" "$product" >"$out"
    python3 - "$out" <<'PY'
import collections, json, sys
state = json.load(open(sys.argv[1]))
kinds = collections.Counter(r["kind"] for r in state["resources"])
print(f"product {state['product']}  target {state['target']}  digest {state['digest'][:23]}…")
print("  " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
for r in state["resources"]:
    if r["kind"] in ("catalogs", "tables", "shares", "jobs"):
        deps = ", ".join(r["dependsOn"]) or "-"
        print(f"  {r['kind']:<10} {r['name']:<45} after {deps}")
PY
    rm -f "$out"
done

say "Rendering is deterministic: the same files and target give the same digest"
a="$("$lakegate" render --target prod "$product" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')"
b="$("$lakegate" render --target prod "$product" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')"
echo "$a"
[ "$a" = "$b" ] && echo "same digest twice"

say "A broken product is refused with file:line:column (expected exit 1)"
if "$lakegate" validate "$root/Examples/invalid/unknown-key"; then
    echo "unexpected: the invalid product validated" >&2
    exit 1
fi
say "Done"
