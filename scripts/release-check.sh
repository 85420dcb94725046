#!/usr/bin/env bash
# Checks a release build of lakegate: no Swift runtime library is linked dynamically (it was built with
# --static-swift-stdlib), and it runs with an empty environment. Usage: scripts/release-check.sh BINARY
set -uo pipefail
binary="${1:?usage: $0 path/to/lakegate}"
passed=0
failed=0
check() { # name, then the command to run
    local name="$1"
    shift
    if "$@"; then
        echo "ok: $name"
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failed=$((failed + 1))
    fi
}

[ -x "$binary" ] || { echo "release-check: FAILED: no executable at $binary"; exit 1; }

links=$(ldd "$binary" 2>&1)
no_swift_runtime() {
    local swift_libs
    swift_libs=$(grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' <<<"$links")
    [ -z "$swift_libs" ] || { echo "$swift_libs" | sed 's/^/  linked: /'; return 1; }
}
check "links no Swift runtime library (ldd)" no_swift_runtime

only_system_libraries() {
    # Everything left must come from the distribution (what the runtime image installs).
    local unexpected
    unexpected=$(grep '=>' <<<"$links" | grep -v -E '=> /(usr/)?lib/' || true)
    [ -z "$unexpected" ] || { echo "$unexpected" | sed 's/^/  unexpected: /'; return 1; }
}
check "links only system libraries" only_system_libraries

version_output=""
runs_with_empty_environment() {
    version_output=$(env -i "$binary" --version 2>&1) || { echo "  $version_output"; return 1; }
    [[ "$version_output" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "  unexpected --version output: $version_output"; return 1; }
}
check "env -i lakegate --version runs ($(env -i "$binary" --version 2>/dev/null || echo '?'))" runs_with_empty_environment

if [ "$failed" -eq 0 ]; then
    echo "release-check: all $passed checks hold"
else
    echo "release-check: $failed of $((passed + failed)) checks FAILED"
fi
[ "$failed" -eq 0 ]
