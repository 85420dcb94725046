#!/usr/bin/env bash
# The Lakegate demo: the whole lifecycle on the embedded default (the local Databricks emulator),
# narrated, non-interactive. Usage: scripts/demo.sh BIN_DIR   (BIN_DIR holds lakegate and lakegate-emulator)
set -euo pipefail
bin="$(cd "${1:?usage: scripts/demo.sh BIN_DIR}" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
lakegate="$bin/lakegate"
work="$(mktemp -d /tmp/lakegate-demo.XXXXXX)"
pids=()
cleanup() {
    # Newest first: lakegate serve stops (SIGTERM, in-flight applies finish) while the emulator still answers.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid="${pids[$i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "pid $pid did not stop within 5 s of SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    [ -n "${KEEP_DEMO:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A git with no user or system configuration leaking in.
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME="Data Team" GIT_AUTHOR_EMAIL="team@example.com" \
    GIT_COMMITTER_NAME="Data Team" GIT_COMMITTER_EMAIL="team@example.com"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global gpg.format ssh

say "Start the local Databricks emulator (the embedded default workspace)"
export DEMO_DATABRICKS_TOKEN="demo-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
"$bin/lakegate-emulator" --port 0 --token "$DEMO_DATABRICKS_TOKEN" --state "$work/emulator.json" \
    >"$work/emulator.out" 2>"$work/emulator.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
host="$(head -n1 "$work/emulator.out")"
echo "emulator at $host"

say "Keys: a release manager signs releases; alice and bob approve for prod"
mkdir -p "$work/keys"
for who in release-manager alice bob; do
    ssh-keygen -q -t ed25519 -N '' -C "$who@example.com" -f "$work/keys/$who"
    printf '%s@example.com namespaces="git" %s\n' "$who" "$(cut -d' ' -f1,2 "$work/keys/$who.pub")" \
        >>"$work/keys/allowed_signers"
done
cat "$work/keys/allowed_signers" | cut -c1-80

say "A bare repository holding Examples/customer-360, and a clone the team works in"
git init -q --bare "$work/customer-360.git"
git clone -q "$work/customer-360.git" "$work/team" 2>/dev/null
cp -R "$root/Examples/customer-360/." "$work/team/"
git -C "$work/team" add -A
git -C "$work/team" commit -q -m "Customer 360 from the blueprint" -m "Change-Request: CHG-100"
git -C "$work/team" push -q origin main

say "A governance repository: Examples/policies as the policy set 'standard' (qa and prod use it)"
git init -q --bare "$work/governance.git"
git clone -q "$work/governance.git" "$work/governance" 2>/dev/null
mkdir -p "$work/governance/policies"
cp -R "$root/Examples/policies" "$work/governance/policies/standard"
git -C "$work/governance" add -A
git -C "$work/governance" commit -q -m "Policy set standard from Examples/policies"
git -C "$work/governance" push -q origin main
echo "$(find "$work/governance/policies/standard" -name '*.yaml' | wc -l | tr -d ' ') policies in policies/standard"

say "A local webhook receiver for the notifications (signed generic webhook)"
python3 - "$work/notifications.jsonl" >"$work/receiver.out" 2>/dev/null <<'PY' &
import http.server, sys
out = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(out, "ab") as f:
            f.write(body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"http://127.0.0.1:{server.server_address[1]}/hook", flush=True)
server.serve_forever()
PY
pids+=($!)
for _ in $(seq 100); do [ -s "$work/receiver.out" ] && break; sleep 0.1; done
receiver="$(head -n1 "$work/receiver.out")"
echo "receiver at $receiver"
export DEMO_HOOK_SECRET="hook-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

cat >"$work/lakegate.yaml" <<YAML
stateDir: $work/state
listen: 127.0.0.1:0
poll: {interval: 1s, jitter: 0s}
concurrency: 4
api: {tokenEnv: LAKEGATE_API_TOKEN}
governance: {repo: $work/governance.git, ref: main, path: policies}
environments:
  dev:
    workspace: {host: $host, credentials: {tokenEnv: DEMO_DATABRICKS_TOKEN}}
    follows: branch
    branch: main
    sync: {selfHeal: false}
  qa:
    workspace: {host: $host, credentials: {tokenEnv: DEMO_DATABRICKS_TOKEN}}
    follows: releases
    gates:
      requiredTrailers: [{key: Change-Request, pattern: 'CHG-\d+'}]
      allowedSigners: $work/keys/allowed_signers
      requireSignedRelease: true
      policySet: standard
      blockingSeverity: warning
  prod:
    workspace: {host: $host, credentials: {tokenEnv: DEMO_DATABRICKS_TOKEN}}
    follows: approvals
    gates:
      requiredTrailers: [{key: Change-Request, pattern: 'CHG-\d+'}]
      allowedSigners: $work/keys/allowed_signers
      requireSignedRelease: true
      quorum: 2
      fourEyes: true
      policySet: standard
      blockingSeverity: error
products:
  - name: customer-360
    repo: $work/customer-360.git
notifications:
  providers:
    demo-hook: {type: webhook, url: "$receiver", secretEnv: DEMO_HOOK_SECRET}
  routes:
    - providers: [demo-hook]
YAML
"$lakegate" config validate --config "$work/lakegate.yaml"

say "Start lakegate serve"
# The status API needs a bearer token; `lakegate status` sends $LAKEGATE_API_TOKEN.
LAKEGATE_API_TOKEN="demo-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export LAKEGATE_API_TOKEN
"$lakegate" serve --config "$work/lakegate.yaml" >"$work/serve.out" 2>"$work/serve.log" &
pids+=($!)
for _ in $(seq 300); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
server="$(head -n1 "$work/serve.out")"
echo "web console at $server/console (user: any, password: the API token in \$LAKEGATE_API_TOKEN)"
echo "controller at $server (healthz: $(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/healthz").read().decode().strip())' "$server"))"

# wait_for TARGET OUTCOME [RELEASE [TEXT]]: until the controller reports it (60 s at most).
wait_for() {
    local target=$1 outcome=$2 release=${3:-} text=${4:-}
    for _ in $(seq 120); do
        if "$lakegate" status --server "$server" --output json 2>/dev/null | python3 -c '
import json, sys
target, outcome, release, text = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
for p in json.load(sys.stdin)["products"]:
    if p["target"] == target and p["outcome"] == outcome and (not release or p.get("desiredRelease") == release) \
            and text in p["message"]:
        print("  " + target + ": " + outcome + ": " + p["message"])
        sys.exit(0)
sys.exit(1)' "$target" "$outcome" "$release" "$text"; then return 0; fi
        sleep 0.5
    done
    echo "timed out waiting for $target to be $outcome ${release}" >&2
    "$lakegate" status --server "$server" >&2 || true
    return 1
}
deployed() {
    "$lakegate" status --server "$server" --output json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["products"]:
    if p["target"] == sys.argv[1]:
        print(p.get("deployedRelease") or (p.get("deployedCommit") or "-")[:7])' "$1"
}
wait_deployed() {
    for _ in $(seq 120); do [ "$(deployed "$1")" = "$2" ] && { echo "  $1 runs $2"; return 0; }; sleep 0.5; done
    echo "timed out waiting for $1 to run $2" >&2; return 1
}

say "Push to main → dev is deployed"
wait_deployed dev "$(git -C "$work/team" rev-parse --short=7 HEAD)"
release() { # release VERSION: an annotated, SSH-signed tag by the release manager
    git -C "$work/team" -c user.signingkey="$work/keys/release-manager" -c user.name="Release Manager" \
        -c user.email="release-manager@example.com" tag -s -m "Release $1" "$1"
    git -C "$work/team" push -q origin "$1"
}
approve() { # approve WHO VERSION: a signed approval tag on the release tag object
    local object
    object="$(git -C "$work/team" rev-parse "refs/tags/$2")"
    git -C "$work/team" -c user.signingkey="$work/keys/$1" -c user.name="$1" -c user.email="$1@example.com" \
        tag -s -m "Approve $2 for prod" "approval/prod/$2/$1" "$object" 2>/dev/null
    git -C "$work/team" push -q origin "approval/prod/$2/$1"
}

say "Tag v1.0.0 → qa is deployed"
release v1.0.0
wait_deployed qa v1.0.0

say "One signed approval → prod waits (quorum 2)"
approve alice v1.0.0
wait_for prod waiting v1.0.0 "1 of 2"
echo "  lakegate gates prints the verdict serve reached (exit 3: not every gate passed):"
"$lakegate" gates --config "$work/lakegate.yaml" --product customer-360 --target prod | sed 's/^/    /' || true

say "A second approval → prod is deployed"
approve bob v1.0.0
wait_deployed prod v1.0.0

say "A contract-breaking change released as v1.1.0 → blocked by policy"
sed -i 's/name: phone$/name: phone_number/' "$work/team/contracts/customers.odcs.yaml"
sed -i 's/- customers.phone$/- customers.phone_number/' "$work/team/dataproduct.yaml"
git -C "$work/team" commit -q -am "Rename phone to phone_number" -m "Change-Request: CHG-101"
git -C "$work/team" push -q origin main
release v1.1.0
wait_for qa stalled v1.1.0 "blocked by policy contract.no-breaking-changes"

say "A fix released as v1.1.1 and approved → qa and prod"
sed -i 's/name: phone_number$/name: phone/' "$work/team/contracts/customers.odcs.yaml"
sed -i 's/- customers.phone_number$/- customers.phone/' "$work/team/dataproduct.yaml"
git -C "$work/team" commit -q -am "Keep the phone column name consumers rely on" -m "Change-Request: CHG-102"
git -C "$work/team" push -q origin main
release v1.1.1
wait_deployed qa v1.1.1
approve alice v1.1.1
approve bob v1.1.1
wait_deployed prod v1.1.1

say "Rollback: approving v1.0.0 again makes it the newest approved release"
for who in alice bob; do
    object="$(git -C "$work/team" rev-parse refs/tags/v1.0.0)"
    git -C "$work/team" -c user.signingkey="$work/keys/$who" -c user.name="$who" -c user.email="$who@example.com" \
        tag -s -m "Roll prod back to v1.0.0" "approval/prod/v1.0.0/$who-rollback" "$object" 2>/dev/null
    git -C "$work/team" push -q origin "approval/prod/v1.0.0/$who-rollback"
done
wait_deployed prod v1.0.0

say "lakegate status"
"$lakegate" status --server "$server"

say "lakegate history"
"$lakegate" history --state-dir "$work/state" | tail -n 12

say "lakegate history verify"
"$lakegate" history verify --state-dir "$work/state"

say "Notifications sent (kind, environment, release)"
sleep 2
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print("  %-20s %-6s %-8s %s" % (e["kind"], e["environment"], e.get("release") or "", e["message"][:70]))
' "$work/notifications.jsonl" || echo "  (none received)"

say "Web console (read-only, served while lakegate serve runs)"
echo "  $server/console — any user name, the API token as password: curl -u demo:\$LAKEGATE_API_TOKEN $server/console"
python3 -c '
import base64, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/console")
request.add_header("Authorization", "Basic " + base64.b64encode(b"demo:" + sys.argv[2].encode()).decode())
page = urllib.request.urlopen(request).read().decode()
print("  GET /console:", "200, matrix and pending approvals rendered" if "Products and environments" in page else "unexpected page")
' "$server" "$LAKEGATE_API_TOKEN"

say "Done: dev, qa and prod promoted from Git, with signed approvals and an audit trail that verifies."
