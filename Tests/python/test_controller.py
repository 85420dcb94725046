"""End-to-end tests of `lakegate serve`: real git repositories, real SSH signatures, the real emulator."""

import json
import os
import re
import pathlib
import shutil
import subprocess

import pytest

from conftest import ROOT, Emulator


def binary(name: str) -> str:
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR") or str(ROOT / ".build" / "debug")
    return str(pathlib.Path(bin_dir) / name)


class Lifecycle:
    """A bare product repository, a team clone, signing keys and an operator config over one emulator."""

    def __init__(self, tmp: pathlib.Path, emulator: Emulator, quorum: int = 1):
        self.tmp = tmp
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
            f"allowedSigners: {keys / 'allowed_signers'}, requireSignedRelease: true"
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

    def once(self) -> dict:
        result = subprocess.run(
            [binary("lakegate"), "serve", "--once", "--config", str(self.tmp / "lakegate.yaml")],
            env=self.env, capture_output=True, text=True, timeout=300)
        assert "t0ken-for-tests" not in result.stdout + result.stderr
        assert result.stdout.strip(), f"exit {result.returncode}: {result.stderr[-2000:]}"
        statuses = json.loads(result.stdout)["products"]
        return {s["target"]: s for s in statuses}


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
        "poll: {interval: 1s, jitter: 0s}", "poll: {interval: 1h, jitter: 0s}\nwebhook: {secretEnv: HOOK_SECRET}"))
    env = dict(lifecycle.env, HOOK_SECRET="s3cret-hook")
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
        products = requests.get(url + "/api/v1/status", timeout=10).json()["products"]
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
            qa = next(p for p in requests.get(url + "/api/v1/status", timeout=10).json()["products"]
                      if p["target"] == "qa")
            if qa.get("deployedRelease") == "v1.0.0":
                break
            assert time.time() < deadline, qa
            time.sleep(0.3)
        metrics = requests.get(url + "/metrics", timeout=10).text
        assert 'lakegate_reconciles_total{outcome="applied"}' in metrics

        # A second webhook polls again (once), and nothing polls between webhooks with a one-hour interval.
        def ref_listings() -> int:
            text = requests.get(url + "/metrics", timeout=10).text
            found = re.search(r'^lakegate_git_requests_total\{type="ls-remote"\} (\d+)', text, re.M)
            return int(found.group(1)) if found else 0
        before = ref_listings()
        assert before == 2, before  # the first pass and the first webhook
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
        server.terminate()
        try:
            assert server.wait(timeout=30) == 0
        finally:
            if server.poll() is None:
                server.kill()
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
