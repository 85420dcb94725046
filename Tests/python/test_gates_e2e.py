"""Nothing reaches an environment that its rules refuse: the seven cases of issue 14, end to end.

Each case runs `lakegate serve --once` on a real bare repository with SSH-signed tags (ssh-keygen) against the
emulator, and asserts what every environment runs and what the audit log holds.
"""

import json
import subprocess

from conftest import ROOT
from test_controller import Lifecycle, lifecycle  # noqa: F401 (the fixture: a product repository, keys, emulator)


def stalls(lifecycle: Lifecycle, target: str) -> list:
    return [e for e in lifecycle.history(target) if e["outcome"] == "stalled"]


def commit(lifecycle: Lifecycle, name: str, *message: str) -> str:
    (lifecycle.tmp / "team" / name).write_text(name + "\n")
    lifecycle.git("add", "-A")
    args = []
    for paragraph in message:
        args += ["-m", paragraph]
    lifecycle.git("commit", "-q", *args)
    lifecycle.git("push", "-q", "origin", "main")
    return lifecycle.git("rev-parse", "HEAD").strip()


def gates(lifecycle: Lifecycle, target: str, *extra: str) -> subprocess.CompletedProcess:
    return lifecycle.lakegate("gates", "--config", str(lifecycle.tmp / "lakegate.yaml"), "--product", "customer-360",
                              "--target", target, *extra)


def test_1_a_release_failing_the_prod_policy_set_never_reaches_prod(lifecycle):
    config = lifecycle.tmp / "lakegate.yaml"
    # An environment that follows releases or approvals must name its policy set (or say none).
    config.write_text(config.read_text().replace(", policySet: none", ""))
    invalid = lifecycle.lakegate("config", "validate", "--config", str(config))
    assert invalid.returncode == 1, invalid.stdout
    assert "lakegate.yaml:" in invalid.stderr and "missing required key 'policySet'" in invalid.stderr, invalid.stderr
    config.write_text(config.read_text().replace("requireSignedRelease: true", "requireSignedRelease: true, policySet: none"))
    lifecycle.use_governance({"qa": "qa", "prod": "prod"}, blocking="error")

    # DORA and GDPR statements removed: warnings in qa, errors in prod. Tagged with plain `git tag -s`.
    product = lifecycle.tmp / "team" / "dataproduct.yaml"
    text = product.read_text()
    product.write_text(text[:text.index("regulatory:")] + text[text.index("businessTerms:"):])
    lifecycle.git("commit", "-q", "-am", "Drop the regulatory metadata", "-m", "Change-Request: CHG-2")
    lifecycle.git("push", "-q", "origin", "main")
    # `release --config` judges the prod policy set of the governance repository as serve will, and refuses.
    refused = lifecycle.lakegate("release", "v1.0.0", str(lifecycle.tmp / "team"), "--config", str(config),
                                 "--policies", str(ROOT / "Examples" / "policies"), "--key",
                                 str(lifecycle.keys / "release-manager"))
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "prod: FAIL  policy-set:prod: blocked by policy regulation.dora-resilience" in refused.stdout, refused.stdout
    assert lifecycle.git("tag", "-l").strip() == ""
    lifecycle.release("v1.0.0")
    lifecycle.approve("alice", "v1.0.0")
    status = lifecycle.once()
    assert status["qa"]["outcome"] == "applied", status["qa"]
    status = lifecycle.once()
    prod = status["prod"]
    assert prod["outcome"] == "stalled", prod
    assert "regulation.dora-resilience" in prod["message"] and "regulation.gdpr-basis" in prod["message"], prod
    assert prod.get("deployedRelease") is None
    failing = {g["name"] for g in prod["gates"] if not g["passed"]}
    assert {"policy-set:prod", "policy:regulation.dora-resilience", "policy:regulation.gdpr-basis"} <= failing
    lifecycle.once()
    assert [e["release"] for e in stalls(lifecycle, "prod")] == ["v1.0.0"]  # audited once
    assert not [e for e in lifecycle.history("prod") if e["outcome"] in ("applied", "noChange")]


def test_2_a_breaking_release_stalled_in_qa_never_reaches_prod(lifecycle):
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["deployedRelease"] == "v1.0.0"

    lifecycle.break_contract()
    lifecycle.release("v1.1.0")
    lifecycle.approve("alice", "v1.1.0")
    status = lifecycle.once()
    qa, prod = status["qa"], status["prod"]
    assert qa["outcome"] == "stalled" and "contract-integrity" in qa["message"], qa
    assert "major not bumped" in qa["message"], qa
    assert qa["deployedRelease"] == "v1.0.0"
    assert prod["outcome"] == "stalled" and "contract-integrity" in prod["message"], prod
    promotion = next(g for g in prod["gates"] if g["name"] == "promotion:qa")
    assert not promotion["passed"] and promotion["reason"] == "v1.1.0 has not converged in qa (it runs v1.0.0)"
    assert prod["deployedRelease"] == "v1.0.0"
    assert [e["outcome"] for e in lifecycle.history("prod")] == ["applied", "stalled"]


def test_3_approve_refuses_a_blocked_release_and_the_release_tagger(lifecycle):
    lifecycle.release("v1.0.0")
    config = str(lifecycle.tmp / "lakegate.yaml")
    team = str(lifecycle.tmp / "team")

    def approve(who: str) -> subprocess.CompletedProcess:
        return lifecycle.lakegate("approve", "v1.0.0", team, "--target", "prod", "--key", str(lifecycle.keys / who),
                                  "--config", config, "--policies", str(ROOT / "Examples" / "policies"), "--yes",
                                  "--push")

    # qa has not run v1.0.0 yet: serve's verdict for prod fails promotion:qa, so no approval is made.
    blocked = approve("alice")
    assert blocked.returncode == 3, blocked.stdout + blocked.stderr
    assert "REFUSED       gate promotion:qa: v1.0.0 has not converged in qa" in blocked.stdout, blocked.stdout
    assert "no tag was created, nothing pushed" in blocked.stderr
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    # The release's own signer may not approve it (four eyes).
    own = approve("release-manager")
    assert own.returncode == 3, own.stdout + own.stderr
    assert "four eyes: release-manager@example.com signed the release" in own.stdout, own.stdout
    assert lifecycle.git("tag", "-l", "approval/*").strip() == ""
    assert lifecycle.git("ls-remote", "--tags", "origin", "approval/*").strip() == ""
    approved = approve("alice")
    assert approved.returncode == 0, approved.stdout + approved.stderr
    assert "approval/prod/v1.0.0/alice@example.com" in lifecycle.git("ls-remote", "--tags", "origin")
    assert lifecycle.once()["prod"]["deployedRelease"] == "v1.0.0"


def test_4_trailers_are_required_on_every_commit_of_the_release_range(lifecycle):
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    first = commit(lifecycle, "a.txt", "No ticket here")
    second = commit(lifecycle, "b.txt", "Nor here")
    commit(lifecycle, "c.txt", "Release candidate", "Change-Request: CHG-9")
    # `release --config` judges the range as serve will, and refuses: no tag, nothing pushed.
    refused = lifecycle.lakegate("release", "v1.1.0", str(lifecycle.tmp / "team"), "--config",
                                 str(lifecycle.tmp / "lakegate.yaml"), "--policies", str(ROOT / "Examples" / "policies"),
                                 "--key", str(lifecycle.keys / "release-manager"), "--push")
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert f"{first[:12]} \"No ticket here\" has none" in refused.stdout, refused.stdout
    assert lifecycle.git("tag", "-l", "v1.1.0").strip() == ""
    # Tagged by hand, serve refuses it the same way, naming both commits.
    lifecycle.release("v1.1.0")
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "stalled", qa
    assert "trailer:Change-Request: 2 of 3 commit(s) since v1.0.0" in qa["message"], qa["message"]
    assert first[:12] in qa["message"] and second[:12] in qa["message"]
    assert qa["deployedRelease"] == "v1.0.0"
    lifecycle.once()
    assert [e["release"] for e in stalls(lifecycle, "qa")] == ["v1.1.0"]


def test_5_a_moved_approved_release_tag_never_rolls_prod_back_by_itself(lifecycle):
    lifecycle.release("v1.0.0")
    lifecycle.once()
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["deployedRelease"] == "v1.0.0"
    commit(lifecycle, "d.txt", "Docs", "Change-Request: CHG-3")
    lifecycle.release("v1.1.0")
    lifecycle.once()
    lifecycle.approve("alice", "v1.1.0")
    assert lifecycle.once()["prod"]["deployedRelease"] == "v1.1.0"

    commit(lifecycle, "e.txt", "Sneaky", "Change-Request: CHG-4")
    lifecycle.release("v1.1.0", force=True)
    for _ in range(2):
        status = lifecycle.once()
        for target in ("qa", "prod"):
            s = status[target]
            assert s["outcome"] == "stalled", s
            assert s["message"].startswith("security event: v1.1.0: release-tag-not-moved"), s["message"]
            assert s["deployedRelease"] == "v1.1.0", s
    for target in ("qa", "prod"):
        entries = stalls(lifecycle, target)
        assert len(entries) == 1 and "security event" in entries[0]["message"], entries
    # Rolling back is a new approval of the older release reaching the quorum.
    lifecycle.approve("bob", "v1.0.0")
    prod = lifecycle.once()["prod"]
    # v1.0.0 and v1.1.0 render alike (only files outside the bundle differ): in sync, and recorded as deployed.
    assert prod["outcome"] in ("applied", "noChange") and prod["deployedRelease"] == "v1.0.0", prod
    last = lifecycle.history("prod")[-1]
    assert last["release"] == "v1.0.0" and last["outcome"] == prod["outcome"], last
    assert ("approval/prod/v1.0.0/bob", "bob@example.com") in [(a["tag"], a["signer"]) for a in last["approvals"]]


def test_6_a_breaking_change_with_a_major_version_bump_passes_and_is_reported(lifecycle):
    lifecycle.release("v1.0.0")
    assert lifecycle.once()["qa"]["outcome"] == "applied"
    contract = lifecycle.tmp / "team" / "contracts" / "customers.odcs.yaml"
    contract.write_text(contract.read_text().replace("version: 1.2.0", "version: 2.0.0", 1))
    lifecycle.break_contract()
    lifecycle.release("v2.0.0")
    qa = lifecycle.once()["qa"]
    assert qa["outcome"] == "applied", qa
    gate = next(g for g in qa["gates"] if g["name"] == "contract-integrity")
    assert gate["passed"] and "major version 1.2.0 → 2.0.0" in gate["reason"], gate
    assert qa["deployedRelease"] == "v2.0.0"


def test_7_gates_prints_the_verdict_serve_reaches(lifecycle):
    lifecycle.release("v1.0.0")
    lifecycle.once()  # qa converges (prod, judged in the same pass, still saw it pending)
    status = lifecycle.once()
    assert status["prod"]["outcome"] == "waiting", status["prod"]
    result = gates(lifecycle, "prod", "--output", "json")
    assert result.returncode == 3, result.stdout + result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["decision"] == "wait" and verdict["release"] == "v1.0.0"
    assert [(g["name"], g["passed"], g["reason"]) for g in verdict["gates"]] == [
        (g["name"], g["passed"], g["reason"]) for g in status["prod"]["gates"]]
    assert verdict["reason"] == status["prod"]["message"]
    names = [g["name"] for g in verdict["gates"]]
    assert {"release-tag-signed", "trailer:Change-Request", "quorum", "promotion:qa", "contract-integrity"} <= set(names)
    assert verdict["reason"] == "v1.0.0: quorum: 0 of 1 distinct valid approvals for prod"

    lifecycle.approve("alice", "v1.0.0")
    status = lifecycle.once()
    assert status["prod"]["outcome"] == "applied", status["prod"]
    passed = gates(lifecycle, "prod")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.startswith("v1.0.0 → prod") and ": proceed" in passed.stdout.splitlines()[0]
    qa = gates(lifecycle, "qa", "--ref", "v1.0.0", "--output", "json")
    assert qa.returncode == 0 and json.loads(qa.stdout)["decision"] == "proceed", qa.stdout + qa.stderr
