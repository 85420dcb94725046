"""End-to-end tests of `lakegate serve`: real git repositories, real SSH signatures, the real emulator."""

import json
import os
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
