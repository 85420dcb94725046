"""End-to-end tests of `lakegate serve`: real git repositories, real SSH signatures, the real emulator."""

import json
import os
import pwd
import re
import pathlib
import shutil
import sqlite3
import subprocess

import pytest

from conftest import ROOT, Emulator, stop_cleanly


def binary(name: str) -> str:
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR") or str(ROOT / ".build" / "debug")
    return str(pathlib.Path(bin_dir) / name)


class Lifecycle:
    """A bare product repository, a team clone, signing keys and an operator config over one emulator."""

    def __init__(self, tmp: pathlib.Path, emulator: Emulator, quorum: int = 1):
        self.tmp = tmp
        self.emulator = emulator
        self.env = dict(os.environ)
        self.env.update(
            HOME=str(tmp / "home"), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Data Team",
            GIT_AUTHOR_EMAIL="team@example.com", GIT_COMMITTER_NAME="Data Team",
            GIT_COMMITTER_EMAIL="team@example.com", DEMO_TOKEN="t0ken-for-tests",
        )
        (tmp / "home").mkdir()
        self.git("config", "--global", "init.defaultBranch", "main", cwd=tmp)
        self.git("config", "--global", "gpg.format", "ssh", cwd=tmp)
        keys = tmp / "keys"
        keys.mkdir()
        signers = []
        for who in ("release-manager", "alice", "bob"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(keys / who)], check=True)
            public = " ".join((keys / f"{who}.pub").read_text().split()[:2])
            signers.append(f'{who}@example.com namespaces="git" {public}')
        (keys / "allowed_signers").write_text("\n".join(signers) + "\n")
        self.keys = keys
        self.git("init", "-q", "--bare", str(tmp / "product.git"), cwd=tmp)
        self.git("clone", "-q", str(tmp / "product.git"), str(tmp / "team"), cwd=tmp)
        shutil.copytree(ROOT / "Examples" / "customer-360", tmp / "team", dirs_exist_ok=True)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "First", "-m", "Change-Request: CHG-1")
        self.git("push", "-q", "origin", "main")
        common = (
            f"requiredTrailers: [{{key: Change-Request, pattern: 'CHG-\\d+'}}], "
            f"allowedSigners: {keys / 'allowed_signers'}, requireSignedRelease: true, policySet: none"
        )
        workspace = f"{{host: {emulator.url}, credentials: {{tokenEnv: DEMO_TOKEN}}}}"
        (tmp / "lakegate.yaml").write_text(
            f"stateDir: {tmp / 'state'}\nlisten: 127.0.0.1:0\npoll: {{interval: 1s, jitter: 0s}}\n"
            "environments:\n"
            f"  qa: {{workspace: {workspace}, follows: releases, gates: {{{common}}}}}\n"
            f"  prod: {{workspace: {workspace}, follows: approvals, gates: {{{common}, quorum: {quorum}}}}}\n"
            f"products:\n  - {{name: customer-360, repo: {tmp / 'product.git'}}}\n")

    def git(self, *args: str, cwd: pathlib.Path | None = None, **extra) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd or self.tmp / "team", env=self.env, check=True, capture_output=True,
            text=True, **extra).stdout

    def sign(self, who: str, *args: str) -> None:
        self.git("-c", f"user.signingkey={self.keys / who}", "-c", f"user.email={who}@example.com",
                 "-c", f"user.name={who}", *args)

    def release(self, version: str, force: bool = False) -> None:
        self.sign("release-manager", "tag", "-s", *(["-f"] if force else []), "-m", f"Release {version}", version)
        self.git("push", "-q", *(["--force"] if force else []), "origin", version)

    def approve(self, who: str, version: str, target: str = "prod") -> None:
        obj = self.git("rev-parse", f"refs/tags/{version}").strip()
        name = f"approval/{target}/{version}/{who}"
        self.sign(who, "tag", "-s", "-m", f"approve {version}", name, obj)
        self.git("push", "-q", "origin", name)

    def once(self, **extra_env: str) -> dict:
        result = subprocess.run(
            [binary("lakegate"), "serve", "--once", "--config", str(self.tmp / "lakegate.yaml")],
            env=dict(self.env, **extra_env), capture_output=True, text=True, timeout=300)
        assert "t0ken-for-tests" not in result.stdout + result.stderr
        assert result.stdout.strip(), f"exit {result.returncode}: {result.stderr[-2000:]}"
        statuses = json.loads(result.stdout)["products"]
        return {s["target"]: s for s in statuses}

    def lakegate(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary("lakegate"), *args], env=self.env, capture_output=True, text=True, timeout=300)

    def history(self, target: str) -> list:
        result = self.lakegate("history", "--state-dir", str(self.tmp / "state"), "--target", target, "--output", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def use_governance(self, sets: dict, blocking: str = "warning") -> pathlib.Path:
        """A bare governance repository with Examples/policies as each policy set named in `sets` (env → set)."""
        work = self.tmp / "governance"
        self.git("init", "-q", "--bare", str(self.tmp / "governance.git"), cwd=self.tmp)
        self.git("clone", "-q", str(self.tmp / "governance.git"), str(work), cwd=self.tmp)
        for name in set(sets.values()):
            shutil.copytree(ROOT / "Examples" / "policies", work / "policies" / name)
        self.git("add", "-A", cwd=work)
        self.git("commit", "-q", "-m", "Policy sets", cwd=work)
        self.git("push", "-q", "origin", "main", cwd=work)
        config = self.tmp / "lakegate.yaml"
        lines = config.read_text().splitlines()
        for index, line in enumerate(lines):
            env = line.strip().split(":")[0]
            if line.startswith("  ") and env in sets:
                lines[index] = line.replace(", policySet: none", "").replace(
                    "gates: {", f"gates: {{policySet: {sets[env]}, blockingSeverity: {blocking}, ", 1)
            if line == "environments:":
                lines[index] = f"governance: {{repo: {self.tmp / 'governance.git'}, ref: main, path: policies}}\n{line}"
        config.write_text("\n".join(lines) + "\n")
        return work

    def break_contract(self) -> None:
        """A consumer-breaking change that still renders: a column renamed (and its column mask with it)."""
        for path, old, new in (("contracts/customers.odcs.yaml", "name: phone\n", "name: phone_number\n"),
                               ("dataproduct.yaml", "- customers.phone\n", "- customers.phone_number\n")):
            file = self.tmp / "team" / path
            text = file.read_text()
            assert old in text, path
            file.write_text(text.replace(old, new))
        self.git("commit", "-q", "-am", "Rename phone", "-m", "Change-Request: CHG-7")
        self.git("push", "-q", "origin", "main")


@pytest.fixture()
def lifecycle(tmp_path):
    emulator = Emulator()
    try:
        yield Lifecycle(tmp_path, emulator)
    finally:
        emulator.stop()


def test_release_goes_to_qa_and_an_approval_to_prod(lifecycle):
    lifecycle.release("v1.0.0")
    status = lifecycle.once()
    assert status["qa"]["outcome"] == "applied", status["qa"]
    assert status["qa"]["deployedRelease"] == "v1.0.0"
    assert status["prod"]["outcome"] == "waiting", status["prod"]
    lifecycle.approve("alice", "v1.0.0")
    status = lifecycle.once()
    assert status["prod"]["outcome"] == "applied", status["prod"]
    assert status["qa"]["outcome"] == "noChange", status["qa"]
    history = subprocess.run(
        [binary("lakegate"), "history", "verify", "--state-dir", str(lifecycle.tmp / "state")],
        capture_output=True, text=True)
    assert history.returncode == 0, history.stdout + history.stderr


def test_a_moved_release_tag_is_refused(lifecycle):
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    (lifecycle.tmp / "team" / "README.extra").write_text("moved\n")
    lifecycle.git("add", "-A")
    lifecycle.git("commit", "-q", "-m", "Sneaky", "-m", "Change-Request: CHG-2")
    lifecycle.release("v1.0.0", force=True)
    status = lifecycle.once()["qa"]
    assert status["outcome"] == "stalled", status
    assert "moved" in status["message"]
    assert status["deployedRelease"] == "v1.0.0"  # still the first v1.0.0
    assert any(not g["passed"] and "moved" in g["reason"] for g in status["gates"]), status["gates"]


def test_an_approval_by_the_release_signer_does_not_count(lifecycle):
    lifecycle.release("v1.0.0")
    lifecycle.approve("release-manager", "v1.0.0")
    status = lifecycle.once()["prod"]
    assert status["outcome"] == "waiting", status
    assert status.get("deployedRelease") is None


def test_serve_endpoints_and_a_signed_webhook(lifecycle):
    """The running controller: readiness, status, Prometheus metrics, and a GitHub push webhook."""
    import hashlib
    import hmac
    import select
    import time

    import requests

    config = lifecycle.tmp / "lakegate.yaml"
    config.write_text(config.read_text().replace(
        "poll: {interval: 1s, jitter: 0s}",
        "poll: {interval: 1h, jitter: 0s}\nwebhook: {secretEnv: HOOK_SECRET}\napi: {tokenEnv: API_TOKEN}"))
    env = dict(lifecycle.env, HOOK_SECRET="s3cret-hook", API_TOKEN="api-t0ken")
    auth = {"Authorization": "Bearer api-t0ken"}
    server = subprocess.Popen(
        [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://"), server.stderr.read()
        assert requests.get(url + "/healthz", timeout=10).status_code == 200
        deadline = time.time() + 120
        while requests.get(url + "/readyz", timeout=10).status_code != 200:
            assert time.time() < deadline, "never ready"
            time.sleep(0.2)
        products = requests.get(url + "/api/v1/status", headers=auth, timeout=10).json()["products"]
        assert {p["target"] for p in products} == {"qa", "prod"}
        assert all(p["outcome"] == "waiting" for p in products), products  # no release yet

        # A release, then a push webhook: with a one-hour poll interval only the webhook can make qa move.
        lifecycle.release("v1.0.0")
        body = json.dumps({"ref": "refs/tags/v1.0.0",
                           "repository": {"clone_url": str(lifecycle.tmp / "product.git")}}).encode()
        bad = requests.post(url + "/hooks/git", data=body, timeout=10,
                            headers={"X-Hub-Signature-256": "sha256=" + "0" * 64})
        assert bad.status_code == 401
        signature = "sha256=" + hmac.new(b"s3cret-hook", body, hashlib.sha256).hexdigest()
        good = requests.post(url + "/hooks/git", data=body, timeout=10, headers={"X-Hub-Signature-256": signature})
        assert good.status_code == 202, good.text
        deadline = time.time() + 120
        while True:
            qa = next(p for p in requests.get(url + "/api/v1/status", headers=auth, timeout=10).json()["products"]
                      if p["target"] == "qa")
            if qa.get("deployedRelease") == "v1.0.0":
                break
            assert time.time() < deadline, qa
            time.sleep(0.3)
        metrics = requests.get(url + "/metrics", timeout=10).text
        assert re.search(r'^lakegate_reconciles_total\{[^}]*outcome="applied"[^}]*\} 1', metrics, re.M), metrics

        # A second webhook polls again (once), and nothing polls between webhooks with a one-hour interval.
        def ref_listings() -> int:
            text = requests.get(url + "/metrics", timeout=10).text
            found = re.search(r'^lakegate_git_requests_total\{type="ls-remote"\} (\d+)', text, re.M)
            return int(found.group(1)) if found else 0
        before = ref_listings()
        assert before == 2, before  # the first pass and the first webhook
        # A new push (a replay of the first one would be ignored as a duplicate).
        body = json.dumps({"ref": "refs/heads/main", "after": "1" * 40,
                           "repository": {"clone_url": str(lifecycle.tmp / "product.git")}}).encode()
        signature = "sha256=" + hmac.new(b"s3cret-hook", body, hashlib.sha256).hexdigest()
        assert requests.post(url + "/hooks/git", data=body, timeout=10,
                             headers={"X-Hub-Signature-256": signature}).status_code == 202
        deadline = time.time() + 60
        while ref_listings() < before + 1:
            assert time.time() < deadline, "the second webhook did not poll"
            time.sleep(0.2)
        time.sleep(1.5)
        assert ref_listings() == before + 1
        assert "lakegate_git_requests_total" in metrics
        assert "lakegate_reconcile_duration_seconds" in metrics
    finally:
        stop_cleanly(server)
    assert "s3cret-hook" not in server.stderr.read()


def test_serve_polls_once_per_interval(lifecycle):
    """Between polls the controller waits: quiet intervals must not turn into a busy loop."""
    import select
    import time

    import requests

    config = lifecycle.tmp / "lakegate.yaml"
    config.write_text(config.read_text().replace("poll: {interval: 1s, jitter: 0s}", "poll: {interval: 2s, jitter: 0s}"))
    server = subprocess.Popen(
        [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
        env=lifecycle.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://")
        deadline = time.time() + 120
        while requests.get(url + "/readyz", timeout=10).status_code != 200:
            assert time.time() < deadline, "never ready"
            time.sleep(0.2)
        start = time.time()
        time.sleep(5)
        elapsed = time.time() - start
        text = requests.get(url + "/metrics", timeout=10).text
        found = re.search(r'^lakegate_git_requests_total\{type="ls-remote"\} (\d+)', text, re.M)
        listings = int(found.group(1)) if found else 0
        # The first pass plus one per 2 s interval (passes take time too): never more than that.
        assert 2 <= listings <= 1 + int(elapsed / 2) + 1, listings
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_approval_by_a_release_author_does_not_count(lifecycle):
    """Four eyes: alice wrote a commit of the release, so her approval does not count; bob's does."""
    (lifecycle.tmp / "team" / "NOTES.md").write_text("by alice\n")
    lifecycle.git("add", "-A")
    lifecycle.git("-c", "user.name=alice", "-c", "user.email=alice@example.com", "commit", "-q",
                  "--author", "alice <alice@example.com>", "-m", "Notes", "-m", "Change-Request: CHG-3")
    lifecycle.git("push", "-q", "origin", "main")
    lifecycle.release("v1.0.0")
    lifecycle.approve("alice", "v1.0.0")
    status = lifecycle.once()["prod"]
    assert status["outcome"] == "waiting", status
    assert "0 of 1" in status["message"], status  # alice's approval is there but does not count
    lifecycle.approve("bob", "v1.0.0")
    status = lifecycle.once()["prod"]
    assert status["outcome"] == "applied", status
    assert lifecycle.history("prod")[-1]["approvals"][0]["signer"] == "bob@example.com"


def test_a_tampered_audit_row_fails_history_verify(lifecycle):
    import sqlite3

    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    state = str(lifecycle.tmp / "state")
    assert lifecycle.lakegate("history", "verify", "--state-dir", state).returncode == 0
    db = sqlite3.connect(str(lifecycle.tmp / "state" / "lakegate.db"))
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE audit_log SET release = 'v9.9.9' WHERE sequence = 1")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET release = 'v9.9.9' WHERE sequence = 1")
    db.commit()
    db.close()
    broken = lifecycle.lakegate("history", "verify", "--state-dir", state)
    assert broken.returncode == 1, broken.stdout
    assert broken.stdout.startswith("broken: audit entry 1"), broken.stdout


def test_holds_stop_promotion_and_are_audited(lifecycle):
    state = str(lifecycle.tmp / "state")
    held = lifecycle.lakegate("hold", "--target", "qa", "--reason", "freeze for the audit", "--who", "carol",
                              "--state-dir", state)
    assert held.returncode == 0, held.stderr
    lifecycle.release("v1.0.0")
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "waiting" and "carol" in qa["message"], qa  # --who is kept as a note
    unheld = lifecycle.lakegate("unhold", "--target", "qa", "--who", "dave", "--reason", "audit done",
                                "--state-dir", state)
    assert unheld.returncode == 0, unheld.stderr
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    entries = lifecycle.history("qa")
    user = pwd.getpwuid(os.geteuid()).pw_name  # the actor is the OS user; --who is a note
    assert [(e["outcome"], e.get("actor"), e["message"]) for e in entries[:2]] == [
        ("hold", user, "freeze for the audit (note: on behalf of carol)"),
        ("unhold", user, "audit done (note: on behalf of dave)")]
    assert entries[2]["outcome"] == "applied"
    table = lifecycle.lakegate("history", "--state-dir", state, "--product", "customer-360").stdout
    assert f"by {user}: freeze for the audit" in table and f"by {user}: audit done" in table, table
    assert lifecycle.lakegate("history", "verify", "--state-dir", state).returncode == 0


def test_a_controller_killed_mid_apply_converges_without_duplicates(lifecycle):
    lifecycle.release("v1.0.0")
    killed = subprocess.run(
        [binary("lakegate"), "serve", "--once", "--config", str(lifecycle.tmp / "lakegate.yaml")],
        env=dict(lifecycle.env, LAKEGATE_FAILPOINT_KILL_AFTER_OPERATIONS="12"), capture_output=True, text=True,
        timeout=300)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
    emulator = lifecycle.emulator
    assert emulator.stats()["objects"]["schemas"] >= 1  # the apply was under way
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "applied", qa
    assert lifecycle.once()["qa"]["outcome"] == "noChange"

    rendered = lifecycle.lakegate("render", "--target", "qa", "--output", "json", str(lifecycle.tmp / "team"))
    assert rendered.returncode == 0, rendered.stderr
    desired = json.loads(rendered.stdout)["resources"]
    objects = emulator.stats()["objects"]
    for kind in ("jobs", "genie_spaces", "tables", "volumes", "functions"):
        assert objects[kind] == sum(1 for r in desired if r["kind"] == kind), (kind, objects)
    # Each job was created once over both runs (a retried create would leave a second job behind).
    creates = [r for r in emulator.requests()
               if r["method"] == "POST" and r["path"] == "/api/2.2/jobs/create" and r["status"] == 200]
    assert len(creates) == sum(1 for r in desired if r["kind"] == "jobs"), creates
    # The inventory (in the one state database) matches the workspace: a plan from it has nothing to do.
    plan = subprocess.run(
        [binary("lakegate"), "plan", "--target", "qa", "--state-dir", str(lifecycle.tmp / "state"), "--host",
         emulator.url, "--detailed-exitcode", str(lifecycle.tmp / "team")],
        env=dict(lifecycle.env, DATABRICKS_TOKEN="t0ken-for-tests"), capture_output=True, text=True, timeout=300)
    assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-2000:]
    assert not (lifecycle.tmp / "state" / "inventory.sqlite").exists()
    assert lifecycle.lakegate("history", "verify", "--state-dir", str(lifecycle.tmp / "state")).returncode == 0


def test_a_policy_set_from_the_governance_repository_blocks_a_breaking_release(lifecycle):
    governance = lifecycle.use_governance({"qa": "qa", "prod": "prod"})
    lifecycle.release("v1.0.0")
    status = lifecycle.once()
    assert status["qa"]["outcome"] == "applied", status["qa"]
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["outcome"] == "applied"
    head = lifecycle.git("rev-parse", "HEAD", cwd=governance).strip()
    entry = lifecycle.history("qa")[-1]
    assert entry["governanceCommit"] == head and len(entry["policyReportDigest"]) == 64, entry
    assert any(g["name"] == "policy-set:qa" and g["passed"] for g in status["qa"]["gates"]), status["qa"]["gates"]

    lifecycle.break_contract()
    lifecycle.release("v1.1.0")
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "stalled", qa
    assert "blocked by policy" in qa["message"] and "contract.no-breaking-changes" in qa["message"], qa
    failing = {g["name"] for g in qa["gates"] if not g["passed"]}
    assert {"policy-set:qa", "policy:contract.no-breaking-changes"} <= failing, qa["gates"]
    assert qa["deployedRelease"] == "v1.0.0"
    stalled = lifecycle.history("qa")[-1]
    assert stalled["outcome"] == "stalled" and stalled["release"] == "v1.1.0", stalled
    assert stalled["governanceCommit"] == head and stalled["policyReportDigest"] != entry["policyReportDigest"]
    # Stalled again on the next pass, but audited once.
    assert lifecycle.once()["qa"]["outcome"] == "stalled"
    assert len(lifecycle.history("qa")) == 2


def test_invalid_or_missing_policy_sets_stall_only_their_environment(lifecycle):
    governance = lifecycle.use_governance({"qa": "qa", "prod": "prod"})
    config = lifecycle.tmp / "lakegate.yaml"
    # prod does not wait for qa here: the point is that qa's stall stays in qa.
    config.write_text(config.read_text().replace("follows: approvals,", "follows: approvals, requires: [],"))
    (governance / "policies" / "qa" / "broken.yaml").write_text(
        "id: broken.rule\nversion: \"1\"\nstatus: enabled\nscope: dataproduct\nseverity: error\n"
        "expression: dp.id ==\nmessage: broken\n")
    lifecycle.git("add", "-A", cwd=governance)
    lifecycle.git("commit", "-q", "-m", "A broken rule", cwd=governance)
    lifecycle.git("push", "-q", "origin", "main", cwd=governance)
    lifecycle.release("v1.0.0")
    lifecycle.approve("alice", "v1.0.0")
    status = lifecycle.once()
    qa = status["qa"]
    assert qa["outcome"] == "stalled", qa
    assert re.search(r"policies/qa/broken\.yaml:\d+:\d+: ", qa["message"]), qa["message"]
    assert status["prod"]["outcome"] == "applied", status["prod"]

    config.write_text(config.read_text().replace("policySet: qa,", "policySet: nightly,"))
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "stalled", qa
    assert "policy set 'nightly' not found" in qa["message"] and "policies/nightly" in qa["message"], qa

    config.write_text(config.read_text().replace("policySet: nightly,", "policySet: qa,"))
    lifecycle.git("rm", "-q", "policies/qa/broken.yaml", cwd=governance)
    lifecycle.git("commit", "-q", "-m", "Fix", cwd=governance)
    lifecycle.git("push", "-q", "origin", "main", cwd=governance)
    assert lifecycle.once()["qa"]["outcome"] == "applied"


def test_allow_destroy_counts_only_on_the_approved_release_commit(lifecycle):
    """Allow-Destroy trailers are read from the release commit: not from the tag message, not from later commits."""
    config = lifecycle.tmp / "lakegate.yaml"
    config.write_text(config.read_text().replace(
        "follows: approvals, ", "follows: approvals, sync: {allowDestroy: true, maxDeleteShare: 1}, "))
    scratch = lifecycle.tmp / "team" / "resources" / "scratch.yml"
    scratch.write_text(
        "resources:\n  volumes:\n    scratch:\n      catalog_name: ${resources.catalogs.c360.name}\n"
        "      schema_name: ${resources.schemas.crm.name}\n      name: scratch\n")
    lifecycle.git("add", "-A")
    lifecycle.git("commit", "-q", "-m", "A scratch volume", "-m", "Change-Request: CHG-10")
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"  # one target at a time: they share one emulator
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["outcome"] == "applied"

    # v1.1.0 drops the volume; the trailer is in the tag message and in a commit after the release only.
    scratch.unlink()
    lifecycle.git("commit", "-q", "-am", "Drop the scratch volume", "-m", "Change-Request: CHG-11")
    lifecycle.sign("release-manager", "tag", "-s", "-m", "Release v1.1.0\n\nAllow-Destroy: volumes.scratch", "v1.1.0")
    lifecycle.git("push", "-q", "origin", "v1.1.0")
    lifecycle.git("commit", "-q", "--allow-empty", "-m", "Allow it", "-m",
                  "Change-Request: CHG-12\nAllow-Destroy: volumes.scratch")
    lifecycle.git("push", "-q", "origin", "main")
    assert lifecycle.once()["qa"]["deployedRelease"] == "v1.1.0"
    lifecycle.approve("alice", "v1.1.0")
    prod = lifecycle.once()["prod"]
    assert prod["deployedRelease"] == "v1.1.0", prod
    deletes = [a for e in lifecycle.history("prod") for a in e["actions"] if a["kind"] == "delete"]
    assert deletes == [], deletes  # retained: the volume is stateful and v1.1.0's commit does not allow it

    # v1.2.0 is the commit carrying the trailer: approved, it destroys the volume.
    lifecycle.release("v1.2.0")
    assert lifecycle.once()["qa"]["deployedRelease"] == "v1.2.0"
    lifecycle.approve("alice", "v1.2.0")
    prod = lifecycle.once()["prod"]
    assert prod["deployedRelease"] == "v1.2.0", prod
    entry = lifecycle.history("prod")[-1]
    assert {"kind": "delete", "resource": "volumes.scratch", "result": "succeeded"} in entry["actions"], entry


def test_a_product_repository_uses_its_git_credentials(lifecycle):
    """A product's `credentials` reach its repository's mirror: an unresolvable one fails that repository only."""
    config = lifecycle.tmp / "lakegate.yaml"
    product_line = f"  - {{name: customer-360, repo: {lifecycle.tmp / 'product.git'}}}"
    assert product_line in config.read_text()
    config.write_text(config.read_text().replace(
        product_line, product_line[:-1] + ", credentials: {tokenEnv: PRODUCT_GIT_TOKEN}}"))
    lifecycle.release("v1.0.0")
    status = lifecycle.once()
    for target in ("qa", "prod"):
        assert status[target]["outcome"] == "failed", status[target]
        assert "PRODUCT_GIT_TOKEN" in status[target]["message"], status[target]
    # With the variable set the token is offered to the remote (a local path asks for none) and the pass goes on.
    qa = lifecycle.once(PRODUCT_GIT_TOKEN="git-t0ken-secret")["qa"]
    assert qa["outcome"] == "applied", qa


@pytest.mark.parametrize("self_heal", [False, True])
def test_dev_changes_survive_a_readme_push_where_self_heal_is_off(lifecycle, self_heal):
    """Issue 19: in dev (follows main, self-heal off by default) a column comment and a grant made in the
    workspace survive a README-only push and are reported as drift (status, audit, console plan); with self-heal
    on the same push reverts them."""
    config = lifecycle.tmp / "lakegate.yaml"
    workspace = f"{{host: {lifecycle.emulator.url}, credentials: {{tokenEnv: DEMO_TOKEN}}}}"
    sync = ", sync: {selfHeal: true}" if self_heal else ""
    config.write_text(config.read_text().replace(
        "environments:\n", f"environments:\n  dev: {{workspace: {workspace}, follows: branch{sync}}}\n"))
    assert lifecycle.once()["dev"]["outcome"] == "applied"

    table = "c360_dev.crm.customers"
    w = lifecycle.emulator.client()
    response = lifecycle.emulator.sql(w, f"ALTER TABLE {table} ALTER COLUMN birth_date COMMENT 'dev: age bands'")
    assert response.status.state.value == "SUCCEEDED", response.status
    headers = {"Authorization": "Bearer dapi-test-token"}
    granted = lifecycle.emulator.http.patch(
        f"{lifecycle.emulator.url}/api/2.1/unity-catalog/permissions/table/{table}", headers=headers,
        json={"changes": [{"principal": "dev_team", "add": ["MODIFY"]}]})
    granted.raise_for_status()

    def live() -> tuple:
        got = lifecycle.emulator.http.get(f"{lifecycle.emulator.url}/api/2.1/unity-catalog/tables/{table}",
                                          headers=headers).json()
        comment = next(c.get("comment") for c in got["columns"] if c["name"] == "birth_date")
        grants = lifecycle.emulator.http.get(
            f"{lifecycle.emulator.url}/api/2.1/unity-catalog/permissions/table/{table}", headers=headers).json()
        privileges = [p for a in grants.get("privilege_assignments", []) if a["principal"] == "dev_team"
                      for p in a["privileges"]]
        return comment, sorted(privileges)

    (lifecycle.tmp / "team" / "README.md").write_text("# Customer 360\n\nThe golden customer record.\n")
    lifecycle.git("add", "README.md")
    lifecycle.git("commit", "-q", "-m", "Docs: a README", "-m", "Change-Request: CHG-2")
    lifecycle.git("push", "-q", "origin", "main")
    head = lifecycle.git("rev-parse", "HEAD").strip()
    status = lifecycle.once()["dev"]
    entries = lifecycle.history("dev")
    if self_heal:
        assert status["outcome"] == "applied", status
        comment, privileges = live()
        assert not comment and privileges == [], (comment, privileges)
        return
    assert status["outcome"] == "noChange" and status["drift"] == 1, status
    assert status["deployedCommit"] == head, status
    assert "columns.birth_date.comment" in status["message"] and "grants.dev_team" in status["message"], status
    assert live() == ("dev: age bands", ["MODIFY"])
    last = entries[-1]
    assert last["outcome"] == "noChange" and last["commit"] == head, last
    assert "grants.dev_team" in (last.get("message") or ""), last
    # The console's plan page shows the kept drift.
    with sqlite3.connect(lifecycle.tmp / "state" / "lakegate.db") as db:
        document = db.execute("SELECT plan FROM last_plans WHERE target = 'dev'").fetchone()[0]
        recorded = db.execute("SELECT count(*) FROM last_applied WHERE target = 'dev'").fetchone()[0]
    assert "Drift kept" in json.loads(document)["text"], document[:500]
    assert recorded > 0
