"""The HTTP surface of a running `lakegate serve`, with real concurrent clients: webhook limits, replays, the API
token, /metrics parsed by prometheus-client, SIGHUP reloads, log lines, and the signed audit with checkpoints."""

import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import pwd
import re
import select
import signal
import subprocess
import time
import urllib.parse

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import Emulator
from test_controller import Lifecycle, binary

HOOK_SECRET = "s3cret-hook"
API_TOKEN = "api-t0ken-for-tests"


class Serve:
    """`lakegate serve` on a free loopback port with a webhook secret, an API token and a signed audit."""

    def __init__(self, lifecycle: Lifecycle, extra: str = ""):
        self.lifecycle = lifecycle
        tmp = lifecycle.tmp
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lakegate-audit",
                        "-f", str(tmp / "audit_key")], check=True)
        (tmp / "checkpoints").mkdir()
        self.checkpoints = tmp / "checkpoints" / "audit.jsonl"
        self.config = tmp / "lakegate.yaml"
        self.config.write_text(self.config.read_text().replace(
            "poll: {interval: 1s, jitter: 0s}",
            "poll: {interval: 1h, jitter: 0s}\nwebhook: {secretEnv: HOOK_SECRET}\napi: {tokenEnv: API_TOKEN}\n"
            f"audit: {{signingKey: {tmp / 'audit_key'}, checkpoints: {{every: 2, file: {self.checkpoints}}}}}\n"
            + extra))
        self.env = dict(lifecycle.env, HOOK_SECRET=HOOK_SECRET, API_TOKEN=API_TOKEN, NEW_API_TOKEN="n3w-t0ken")
        self.stderr_path = tmp / "serve.log"
        self.stderr = open(self.stderr_path, "w")
        self.process = subprocess.Popen(
            [binary("lakegate"), "serve", "--config", str(self.config), "--listen", "127.0.0.1:0"],
            env=self.env, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        self.url = self.process.stdout.readline().strip() if ready else ""
        assert self.url.startswith("http://"), self.log()
        deadline = time.time() + 120
        while requests.get(self.url + "/readyz", timeout=10).status_code != 200:
            assert time.time() < deadline, "never ready: " + self.log()
            time.sleep(0.2)

    def log(self) -> str:
        self.stderr.flush()
        return self.stderr_path.read_text()

    def rss_kib(self) -> int:
        status = open(f"/proc/{self.process.pid}/status").read()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))

    def status(self, token: str = API_TOKEN) -> requests.Response:
        return requests.get(self.url + "/api/v1/status", headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def metric(self, name: str, **labels) -> float:
        for family in text_string_to_metric_families(requests.get(self.url + "/metrics", timeout=10).text):
            for sample in family.samples:
                if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                    return sample.value
        return 0.0

    def post_hook(self, body: bytes, delivery: str | None = None, signature: str | None = None) -> requests.Response:
        headers = {"X-Hub-Signature-256": signature or sign(body), "Content-Type": "application/json"}
        if delivery:
            headers["X-GitHub-Delivery"] = delivery
        return requests.post(self.url + "/hooks/git", data=body, headers=headers, timeout=30)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.stderr.close()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture()
def serve(tmp_path):
    emulator = Emulator()
    server = None
    try:
        server = Serve(Lifecycle(tmp_path, emulator))
        yield server
    finally:
        if server:
            server.stop()
        emulator.stop()


def raw_post(url: str, body_chunks, headers: dict) -> int | str:
    """POSTs with http.client (chunked when no Content-Length); the status, or the error when the server hung up."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    try:
        connection.putrequest("POST", "/hooks/git")
        for key, value in headers.items():
            connection.putheader(key, value)
        chunked = "Content-Length" not in headers
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for chunk in body_chunks:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            connection.send(b"0\r\n\r\n")
        return connection.getresponse().status
    except (ConnectionResetError, BrokenPipeError) as error:
        # The server answered early and closed while the client was still sending; read what it said.
        try:
            return connection.getresponse().status
        except Exception:
            return type(error).__name__
    finally:
        connection.close()


def test_the_api_needs_the_bearer_token_and_open_endpoints_leak_nothing(serve):
    assert requests.get(serve.url + "/api/v1/status", timeout=10).status_code == 401
    wrong = serve.status("not-the-token")
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert requests.get(serve.url + "/api/v1/other", timeout=10).status_code == 401
    good = serve.status()
    assert good.status_code == 200
    assert {p["target"] for p in good.json()["products"]} == {"qa", "prod"}
    for path in ("/healthz", "/readyz", "/metrics"):
        response = requests.get(serve.url + path, timeout=10)
        assert response.status_code == 200, path
        assert str(serve.lifecycle.tmp) not in response.text, path
        assert "@" not in response.text and HOOK_SECRET not in response.text and API_TOKEN not in response.text
    assert API_TOKEN not in serve.log() and HOOK_SECRET not in serve.log()


def test_oversized_webhooks_get_413_before_the_body_is_read(serve):
    big = b"x" * (100 * 1024 * 1024)
    declared = raw_post(serve.url, [big], {"X-Hub-Signature-256": sign(b"{}"), "Content-Length": str(len(big))})
    assert declared == 413, declared
    # Chunked, so the size is not declared: the server stops reading at the limit.
    streamed = raw_post(serve.url, (b"y" * 65536 for _ in range(40)), {"X-Hub-Signature-256": sign(b"{}")})
    assert streamed == 413, streamed
    # Just under the limit is read, and judged by its signature.
    small = b"{" + b" " * (1024 * 1024 - 2) + b"}"
    assert serve.post_hook(small, signature="sha256=" + "0" * 64).status_code == 401
    assert serve.metric("lakegate_webhook_deliveries_total", result="too_large") == 2
    # Without a signature header nothing is read at all.
    assert requests.post(serve.url + "/hooks/git", data=b"{}", timeout=10).status_code == 401


def test_a_flood_of_unauthenticated_posts_keeps_memory_flat(serve):
    body = b"z" * (5 * 1024 * 1024)
    chunks = [body[i:i + 262144] for i in range(0, len(body), 262144)]
    before = serve.rss_kib()

    def declared(_):
        return raw_post(serve.url, [body], {"X-Hub-Signature-256": "sha256=" + "0" * 64,
                                            "Content-Length": str(len(body))})

    def streamed(_):
        return raw_post(serve.url, chunks, {"X-Hub-Signature-256": "sha256=" + "0" * 64})

    peak = before
    with concurrent.futures.ThreadPoolExecutor(max_workers=250) as pool:
        futures = [pool.submit(declared if i % 2 else streamed, i) for i in range(250)]
        while not all(f.done() for f in futures):
            peak = max(peak, serve.rss_kib())
            time.sleep(0.05)
        results = [f.result() for f in futures]
    peak = max(peak, serve.rss_kib())
    # Every post was refused (413 too large, 503 busy) or cut off by the refusal; none was accepted or crashed it.
    assert all(r in (413, 503, "ConnectionResetError", "BrokenPipeError") for r in results), set(map(str, results))
    assert 413 in results
    growth_mib = (peak - before) / 1024
    print(f"RSS before {before / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, growth {growth_mib:.1f} MiB")
    assert growth_mib < 50, growth_mib
    assert serve.process.poll() is None
    assert requests.get(serve.url + "/healthz", timeout=10).status_code == 200


def test_a_replayed_delivery_schedules_one_poll(serve):
    body = json.dumps({"ref": "refs/heads/main", "after": "1" * 40,
                       "repository": {"clone_url": str(serve.lifecycle.tmp / "product.git")}}).encode()
    first = serve.post_hook(body, delivery="d-1")
    assert first.status_code == 202, first.text
    replays = [serve.post_hook(body, delivery="d-1") for _ in range(20)]
    assert {r.status_code for r in replays} == {200} and "duplicate" in replays[0].text
    # The delivery id is not signed: a replay under a fresh id is caught by the payload digest.
    assert "duplicate" in serve.post_hook(body, delivery="d-2").text
    other = json.dumps({"ref": "refs/heads/main", "after": "2" * 40,
                        "repository": {"clone_url": str(serve.lifecycle.tmp / "product.git")}}).encode()
    assert serve.post_hook(other, delivery="d-3").status_code == 202
    assert serve.metric("lakegate_webhook_deliveries_total", result="accepted") == 2
    assert serve.metric("lakegate_webhook_deliveries_total", result="duplicate") == 21


def test_metrics_parse_with_help_and_type_and_labels(serve):
    serve.lifecycle.release("v1.0.0")
    body = json.dumps({"ref": "refs/tags/v1.0.0",
                       "repository": {"clone_url": str(serve.lifecycle.tmp / "product.git")}}).encode()
    assert serve.post_hook(body, delivery="release-1").status_code == 202
    deadline = time.time() + 120
    while serve.metric("lakegate_reconciles_total", product="customer-360", target="qa", outcome="applied") < 1:
        assert time.time() < deadline, serve.log()
        time.sleep(0.3)
    text = requests.get(serve.url + "/metrics", timeout=10).text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    assert families, text
    for family in families.values():
        assert family.documentation and not family.documentation.startswith("Lakegate metric "), family.name
        assert f"# TYPE {family.name}" in text or f"# TYPE {family.name}_total" in text, family.name
    reconciles = families["lakegate_reconciles"]
    assert {(s.labels["product"], s.labels["target"]) for s in reconciles.samples} >= {("customer-360", "qa")}
    assert "lakegate_drift_resources" in families
    drift = [s for s in families["lakegate_drift_resources"].samples if s.labels.get("target") == "qa"]
    assert drift and drift[0].value == 0
    assert any(s.labels.get("group") and s.labels.get("status") == "200"
               for s in families["lakegate_api_requests"].samples)


def test_sighup_reloads_a_good_file_and_refuses_a_bad_one(serve):
    good_config = serve.config.read_text()
    serve.config.write_text(good_config.replace("api: {tokenEnv: API_TOKEN}", "api: {tokenEnv: API_TOKEN, bogus: 1}"))
    serve.process.send_signal(signal.SIGHUP)
    deadline = time.time() + 30
    while "configuration reload refused" not in serve.log():
        assert time.time() < deadline and serve.process.poll() is None, serve.log()
        time.sleep(0.1)
    refused = [json.loads(l) for l in serve.log().splitlines() if "reload refused" in l][0]
    assert "lakegate.yaml:" in refused["error"] and "bogus" in refused["error"], refused
    assert serve.status().status_code == 200  # the old configuration stays

    serve.config.write_text(good_config.replace("api: {tokenEnv: API_TOKEN}", "api: {tokenEnv: NEW_API_TOKEN}")
                            + "logLevel: debug\n")
    serve.process.send_signal(signal.SIGHUP)
    deadline = time.time() + 30
    while serve.status("n3w-t0ken").status_code != 200:
        assert time.time() < deadline and serve.process.poll() is None, serve.log()
        time.sleep(0.1)
    assert serve.status().status_code == 401
    assert serve.metric("lakegate_config_reloads_total", result="refused") == 1
    assert serve.metric("lakegate_config_reloads_total", result="applied") == 1
    assert serve.stop() == 0
    outcomes = [e["outcome"] for e in serve.lifecycle.history("*")]
    assert outcomes.count("configRefused") == 1 and outcomes.count("configReloaded") == 1, outcomes


def test_logs_have_millisecond_timestamps_and_a_quiet_poll_is_not_info(serve):
    body = json.dumps({"ref": "refs/heads/main", "after": "3" * 40,
                       "repository": {"clone_url": str(serve.lifecycle.tmp / "product.git")}}).encode()
    before = serve.metric("lakegate_git_requests_total", type="ls-remote")
    assert serve.post_hook(body, delivery="quiet-1").status_code == 202
    deadline = time.time() + 60
    while serve.metric("lakegate_git_requests_total", type="ls-remote") < before + 1:
        assert time.time() < deadline
        time.sleep(0.2)
    time.sleep(1)
    lines = [json.loads(l) for l in serve.log().splitlines() if l.startswith("{")]
    assert lines
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", l["ts"]) for l in lines), lines[0]
    # No release yet: every product waits; nothing changed, so no info line says "reconciled" for noChange.
    assert not [l for l in lines if l["msg"] == "reconciled" and l.get("outcome") == "noChange"]


def test_the_signed_audit_verifies_with_checkpoints_and_a_removed_tail_is_caught(serve):
    import sqlite3

    lifecycle = serve.lifecycle
    lifecycle.release("v1.0.0")
    body = json.dumps({"ref": "refs/tags/v1.0.0",
                       "repository": {"clone_url": str(lifecycle.tmp / "product.git")}}).encode()
    assert serve.post_hook(body, delivery="audit-1").status_code == 202
    deadline = time.time() + 120
    while serve.metric("lakegate_reconciles_total", product="customer-360", target="qa", outcome="applied") < 1:
        assert time.time() < deadline, serve.log()
        time.sleep(0.3)
    assert serve.stop() == 0
    config = ["--config", str(serve.config), "--state-dir", str(lifecycle.tmp / "state")]
    held = lifecycle.lakegate("hold", "--target", "prod", "--reason", "freeze", "--who", "carol", *config)
    assert held.returncode == 0, held.stderr
    verified = lifecycle.lakegate("history", "verify", *config)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "signed by SHA256:" in verified.stdout and "checkpoint at entry" in verified.stdout, verified.stdout
    entries = lifecycle.history("prod")
    hold = [e for e in entries if e["outcome"] == "hold"][-1]
    assert hold["actor"] == pwd.getpwuid(os.geteuid()).pw_name and "carol" in hold["message"], hold
    assert all(e["signature"].startswith("-----BEGIN SSH SIGNATURE-----") for e in entries)

    # Remove the newest entry: the chain left is intact, the checkpoint is not.
    db = sqlite3.connect(str(lifecycle.tmp / "state" / "lakegate.db"))
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log WHERE sequence = (SELECT max(sequence) FROM audit_log)")
    db.commit()
    db.close()
    broken = lifecycle.lakegate("history", "verify", *config)
    assert broken.returncode == 1, broken.stdout
    assert "were removed (tail truncated)" in broken.stdout, broken.stdout


def test_the_drift_gauge_follows_the_last_reconcile(tmp_path):
    emulator = Emulator()
    server = None
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        config = lifecycle.tmp / "lakegate.yaml"
        config.write_text(config.read_text().replace(
            # qa reports drift; its change log is read on every pass, so the change by hand is seen at once
            "follows: releases, gates:", "follows: releases, sync: {selfHeal: false, driftInterval: 0s}, gates:"))
        server = Serve(lifecycle)
        lifecycle.release("v1.0.0")

        def qa_reconciles() -> float:
            return sum(server.metric("lakegate_reconciles_total", product="customer-360", target="qa", outcome=o)
                       for o in ("applied", "noChange", "waiting", "stalled", "failed"))

        def poll(tag: str) -> float:
            """One webhook-triggered pass; the qa drift gauge after it."""
            before = qa_reconciles()
            body = json.dumps({"ref": "refs/heads/main", "after": tag,
                               "repository": {"clone_url": str(lifecycle.tmp / "product.git")}}).encode()
            assert server.post_hook(body, delivery=tag).status_code == 202
            deadline = time.time() + 120
            while qa_reconciles() <= before:
                assert time.time() < deadline, server.log()
                time.sleep(0.3)
            return server.metric("lakegate_drift_resources", product="customer-360", target="qa")

        assert poll("release") == 0
        assert server.metric("lakegate_reconciles_total", product="customer-360", target="qa", outcome="applied") == 1
        w = emulator.client(token="t0ken-for-tests")
        w.schemas.update("c360_qa.crm", comment="changed by hand")
        assert poll("drifted") == 1
        w.schemas.update("c360_qa.crm", comment="Curated customer master data")
        assert poll("fixed") == 0  # before, the gauge stayed at 1
        text = requests.get(server.url + "/metrics", timeout=10).text
        assert re.search(r'^lakegate_drift_resources\{[^}]*target="qa"[^}]*\} 0', text, re.M), text
    finally:
        if server:
            server.stop()
        emulator.stop()
