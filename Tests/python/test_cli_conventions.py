"""The lakegate command line as a process: saved plans (plan -out, show, apply FILE and its refusals), approvals
bound to a plan, `lakegate reconcile` against a running serve, NO_COLOR / TERM=dumb, --output json, exit 64
for usage errors and $LAKEGATE_STATE_DIR."""

import json
import os
import pty
import select
import shutil
import subprocess
import time

import pytest
import requests

from conftest import ROOT, Emulator, stop_cleanly
from test_controller import Lifecycle, binary

EXAMPLE = ROOT / "Examples" / "customer-360"


@pytest.fixture()
def emulator():
    running = Emulator()
    try:
        yield running
    finally:
        running.stop()


def run(*args, env=None, **kwargs):
    return subprocess.run([binary("lakegate"), *args], capture_output=True, text=True, timeout=300,
                          env=env if env is not None else os.environ, **kwargs)


def workspace_env(emulator, **extra):
    return dict(os.environ, DATABRICKS_HOST=emulator.url, DATABRICKS_TOKEN="dapi-test-token", **extra)


def writes(emulator) -> int:
    """Workspace-changing requests so far: as EmulatorRequestLog.writes counts them (SQL reads are not writes)."""
    count = 0
    for r in emulator.requests():
        method, path = r.get("method", "GET"), r.get("path", "")
        if method in ("GET", "HEAD") or path.startswith("/oidc/"):
            continue
        statement = r.get("statement")
        if statement is not None:
            count += not statement.strip()[:8].upper().startswith(("SELECT", "SHOW", "DESCRIBE"))
        elif not (method == "POST" and path.startswith("/api/2.0/sql/statements/")):
            count += 1
    return count


def test_a_saved_plan_applies_exactly_and_a_stale_one_is_refused(tmp_path, emulator):
    product = tmp_path / "product"
    shutil.copytree(EXAMPLE, product)
    env = workspace_env(emulator)
    state = str(tmp_path / "state")
    planned = run("plan", "--target", "dev", "--state-dir", state, "-out", str(tmp_path / "dev.plan"), str(product),
                  env=env)
    assert planned.returncode == 0, planned.stderr
    assert "Saved the plan to" in planned.stderr
    saved = json.loads((tmp_path / "dev.plan").read_text())
    assert saved["format"] == "lakegate-plan" and saved["version"] == 1
    assert saved["checksum"].startswith("sha256:") and saved["plan"]["digest"].startswith("sha256:")

    shown = run("show", str(tmp_path / "dev.plan"))
    assert shown.returncode == 0, shown.stderr
    assert f"Saved plan for customer-360 in dev" in shown.stdout and saved["plan"]["digest"] in shown.stdout
    assert "to create" in shown.stdout
    assert json.loads(run("show", str(tmp_path / "dev.plan"), "--output", "json").stdout) == saved

    # --out works too; a catalog created by hand since the plan makes it stale: refused, nothing written.
    assert run("plan", "--target", "dev", "--state-dir", state, "--out", str(tmp_path / "stale.plan"), str(product),
               env=env).returncode == 0
    emulator.client().catalogs.create(name="c360_dev", comment="made by hand")
    before = writes(emulator)
    stale = run("apply", str(tmp_path / "stale.plan"), env=env)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "the plan is stale" in stale.stderr and "nothing was applied" in stale.stderr, stale.stderr
    assert "created in the workspace since the plan" in stale.stderr, stale.stderr
    assert writes(emulator) == before

    # An edited file and a file of another version are refused before anything is read.
    text = (tmp_path / "dev.plan").read_text()
    (tmp_path / "edited.plan").write_text(text.replace("Curated customer master data", "Curated, edited"))
    edited = run("apply", str(tmp_path / "edited.plan"), env=env)
    assert edited.returncode == 1 and "checksum mismatch" in edited.stderr, edited.stderr
    (tmp_path / "v2.plan").write_text(text.replace('"version": 1', '"version": 2'))
    other = run("apply", str(tmp_path / "v2.plan"), env=env)
    assert other.returncode == 1 and "format version 2" in other.stderr, other.stderr
    assert writes(emulator) == before

    # Planned again against the current workspace, the saved plan applies as it was shown, without a prompt.
    assert run("plan", "--target", "dev", "--state-dir", state, "-out", str(tmp_path / "now.plan"), str(product),
               env=env).returncode == 0
    applied = run("apply", str(tmp_path / "now.plan"), "--output", "json", env=env)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    document = json.loads(applied.stdout)
    assert document["apply"]["succeeded"] is True and document["plan"]["digest"] == json.loads(
        (tmp_path / "now.plan").read_text())["plan"]["digest"]
    again = run("plan", "--target", "dev", "--state-dir", state, "--detailed-exitcode", str(product), env=env)
    assert again.returncode == 0, again.stdout
    # A plan file with --target is a usage error.
    assert run("apply", str(tmp_path / "now.plan"), "--target", "dev", env=env).returncode == 64


def test_usage_errors_exit_64_and_json_output(tmp_path):
    assert run("plan", str(EXAMPLE)).returncode == 64
    assert run("apply", "--target", "dev", "--output", "json", str(EXAMPLE)).returncode == 64
    assert run("validate", "--colour").returncode == 64

    valid = run("validate", "--output", "json", str(EXAMPLE))
    assert valid.returncode == 0 and json.loads(valid.stdout)["valid"] is True
    invalid = run("validate", "--output", "json", str(ROOT / "Examples" / "invalid" / "unknown-key"))
    assert invalid.returncode == 1
    errors = json.loads(invalid.stdout)["errors"]
    assert errors and {"path", "line", "column", "message"} <= set(errors[0])

    product = tmp_path / "product"
    shutil.copytree(EXAMPLE, product)
    bundle = product / "databricks.yml"
    bundle.write_text(bundle.read_text().replace("bundle:\n", "run_as:\n  user_name: ci@bank.example\nbundle:\n", 1))
    warned = run("validate", str(product))
    assert warned.returncode == 0, warned.stderr
    assert "warning: databricks.yml:2:1: 'run_as' in databricks.yml is accepted but not acted on" in warned.stderr
    assert json.loads(run("validate", "--output", "json", str(product)).stdout)["warnings"][0]["line"] == 2

    verified = run("history", "verify", "--output", "json", "--state-dir", str(tmp_path / "empty"))
    assert verified.returncode == 0 and json.loads(verified.stdout)["intact"] is True

    # The exit codes are in --help; completion scripts name the subcommands and options.
    assert "64 usage error" in " ".join(run("--help").stdout.split())
    for shell in ("bash", "zsh", "fish"):
        script = run("--generate-completion-script", shell)
        assert script.returncode == 0 and "reconcile" in script.stdout and "show" in script.stdout, shell
    completed = subprocess.run(
        ["bash", "-c", f"source <({binary('lakegate')} --generate-completion-script bash) && complete -p lakegate"],
        capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0 and "_lakegate" in completed.stdout, completed.stderr


def on_a_terminal(args, env) -> str:
    """Runs lakegate with stdout on a pseudo-terminal; returns what it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([binary("lakegate"), *args], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(leader)
    return output.decode(errors="replace")


def test_colours_only_on_a_terminal_and_never_with_no_color_or_a_dumb_terminal(tmp_path, emulator):
    args = ["plan", "--target", "dev", "--state-dir", str(tmp_path / "state"), str(EXAMPLE)]
    base = {k: v for k, v in workspace_env(emulator).items() if k not in ("NO_COLOR", "TERM")}
    coloured = on_a_terminal(args, dict(base, TERM="xterm"))
    assert "\x1b[" in coloured and "to create" in coloured
    for extra in ({"NO_COLOR": "1", "TERM": "xterm"}, {"TERM": "dumb"}):
        plain = on_a_terminal(args, dict(base, **extra))
        assert "to create" in plain and "\x1b[" not in plain, extra


def test_the_state_directory_comes_from_lakegate_state_dir(tmp_path, emulator):
    state = tmp_path / "from-env"
    env = workspace_env(emulator, LAKEGATE_STATE_DIR=str(state))
    applied = run("apply", "--target", "dev", "--auto-approve", str(EXAMPLE), env=env, cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert (state / "lakegate.db").exists() and not (tmp_path / ".lakegate").exists()
    assert run("plan", "--target", "dev", "--detailed-exitcode", str(EXAMPLE), env=env, cwd=tmp_path).returncode == 0


@pytest.fixture()
def lifecycle(tmp_path, emulator):
    return Lifecycle(tmp_path, emulator)


def test_approve_records_the_plan_and_serve_runs_only_that_plan(lifecycle):
    config = lifecycle.tmp / "lakegate.yaml"
    config.write_text(config.read_text().replace("quorum: 1}", "quorum: 1, bindPlan: true}"))
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    team = str(lifecycle.tmp / "team")

    def approve(who: str, name: str) -> str:
        result = lifecycle.lakegate("approve", "v1.0.0", team, "--target", "prod", "--key", str(lifecycle.keys / who),
                                    "--config", str(config), "--yes", "--push")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "this approval counts for plan sha256:" in result.stdout, result.stdout
        message = lifecycle.git("tag", "-l", "--format=%(contents)", name)
        digest = next(line.split(": ", 1)[1] for line in message.splitlines() if line.startswith("Approved-Plan: "))
        assert digest in result.stdout
        return digest

    first = approve("alice", "approval/prod/v1.0.0/alice@example.com")
    # The workspace moves between approval and deployment: prod waits and writes nothing.
    lifecycle.emulator.client().catalogs.create(name="c360_prod", comment="made by hand")
    before = writes(lifecycle.emulator)
    prod = lifecycle.once()["prod"]
    assert prod["outcome"] == "waiting" and "plan changed since approval" in prod["message"], prod
    assert first in prod["message"]
    assert writes(lifecycle.emulator) == before
    # Approving again approves the plan serve would run now; then it applies.
    second = approve("alice", "approval/prod/v1.0.0/alice@example.com-2")
    assert second != first
    prod = lifecycle.once()["prod"]
    assert prod["outcome"] == "applied" and prod["deployedRelease"] == "v1.0.0", prod


def test_reconcile_asks_a_running_serve_and_applies_a_manual_environment(lifecycle):
    config = lifecycle.tmp / "lakegate.yaml"
    text = config.read_text().replace("poll: {interval: 1s, jitter: 0s}",
                                      "poll: {interval: 1h, jitter: 0s}\napi: {tokenEnv: API_TOKEN}")
    config.write_text(text.replace("follows: releases, gates:", "follows: releases, sync: {mode: manual}, gates:"))
    lifecycle.release("v1.0.0")
    env = dict(lifecycle.env, API_TOKEN="api-t0ken")
    server = subprocess.Popen([binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://"), server.stderr.read()
        deadline = time.time() + 120
        while requests.get(url + "/readyz", timeout=10).status_code != 200:
            assert time.time() < deadline, "never ready"
            time.sleep(0.2)
        auth = {"Authorization": "Bearer api-t0ken"}
        qa = next(p for p in requests.get(url + "/api/v1/status", headers=auth, timeout=10).json()["products"]
                  if p["target"] == "qa")
        assert qa["outcome"] == "waiting" and "manual sync" in qa["message"], qa
        assert requests.post(url + "/api/v1/reconcile?product=customer-360&target=qa", timeout=10).status_code == 401
        cli = dict(env, LAKEGATE_API_TOKEN="api-t0ken")
        unknown = subprocess.run(
            [binary("lakegate"), "reconcile", "--server", url, "--product", "nope", "--target", "qa"],
            env=cli, capture_output=True, text=True, timeout=120)
        assert unknown.returncode == 1 and "404" in unknown.stderr, unknown.stderr
        result = subprocess.run(
            [binary("lakegate"), "reconcile", "--server", url, "--product", "customer-360", "--target", "qa"],
            env=cli, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("customer-360 in qa: applied"), result.stdout
        qa = next(p for p in requests.get(url + "/api/v1/status", headers=auth, timeout=10).json()["products"]
                  if p["target"] == "qa")
        assert qa["deployedRelease"] == "v1.0.0", qa
    finally:
        stop_cleanly(server)
