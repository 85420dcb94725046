"""Security events reach the audit log once per cause: refused approvals and moved tags (real git, real SSH
signatures, the real emulator, `lakegate serve --once`)."""

from test_controller import lifecycle  # noqa: F401 (the fixture)


def test_a_refused_approval_is_audited_once(lifecycle):
    lifecycle.release("v1.0.0")
    lifecycle.approve("release-manager", "v1.0.0")  # the release's own signer: does not count
    assert lifecycle.once()["prod"]["outcome"] == "waiting"
    assert lifecycle.once()["prod"]["outcome"] == "waiting"
    refused = [e for e in lifecycle.history("prod") if e["outcome"] == "approvalRefused"]
    assert len(refused) == 1, refused
    assert "approval/prod/v1.0.0/release-manager" in refused[0]["message"]
    assert refused[0]["release"] == "v1.0.0"
    # A valid approval is not an event of this kind.
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["outcome"] == "applied"
    assert len([e for e in lifecycle.history("prod") if e["outcome"] == "approvalRefused"]) == 1


def test_a_moved_tag_is_audited_when_observed(lifecycle):
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    first = lifecycle.git("rev-parse", "refs/tags/v1.0.0").strip()
    (lifecycle.tmp / "team" / "README.extra").write_text("moved\n")
    lifecycle.git("add", "-A")
    lifecycle.git("commit", "-q", "-m", "Sneaky", "-m", "Change-Request: CHG-2")
    lifecycle.release("v1.0.0", force=True)
    lifecycle.once()
    lifecycle.once()
    moved = [e for e in lifecycle.history("*") if e["outcome"] == "tagMoved"]
    assert len(moved) == 1, moved
    assert moved[0]["product"] == "customer-360" and moved[0]["tagObject"] == first
    assert "refs/tags/v1.0.0" in moved[0]["message"] or "v1.0.0" in moved[0]["message"]
    assert lifecycle.lakegate("history", "verify", "--state-dir", str(lifecycle.tmp / "state")).returncode == 0
