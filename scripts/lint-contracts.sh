#!/usr/bin/env bash
# Runs `datacontract lint` (the ODCS v3.1 JSON schema) on every data contract under Examples/.
# Blueprint templates are linted with their `{{ placeholders }}` filled in; the contracts of
# Examples/invalid/ cases that are broken on purpose at the file level (listed below) are skipped.
set -euo pipefail
DATACONTRACT="${DATACONTRACT:-.venv/bin/datacontract}"
SKIP=(Examples/invalid/binary-file Examples/invalid/empty-file Examples/invalid/missing-required Examples/invalid/yaml-syntax)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=0
count=0
while IFS= read -r -d '' contract; do
    for skip in "${SKIP[@]}"; do [[ "$contract" == "$skip"/* ]] && continue 2; done
    file="$contract"
    if [[ "$contract" == *"{{"* ]] || grep -q '{{' "$contract"; then
        file="$scratch/$count.odcs.yaml"
        sed -E 's/\{\{ *([a-z_]+)( *[|] *[a-z_]+)? *\}\}/sample_\1/g' "$contract" > "$file"
    fi
    count=$((count + 1))
    if ! out="$("$DATACONTRACT" lint "$file" 2>&1)"; then
        echo "FAILED: $contract"
        echo "$out" | tail -n 20
        failed=$((failed + 1))
    fi
done < <(find Examples -name '*.odcs.yaml' -print0 | sort -z)
echo "datacontract lint: $count contract(s), $failed failed"
[ "$failed" -eq 0 ]
