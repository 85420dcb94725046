"""Notifications end to end: `lakegate serve --once` over real git repositories and the emulator, with local
receivers speaking each provider's request shape (generic webhook with signature, Slack, Teams, GitHub, GitLab)."""

import hashlib
import hmac
import http.server
import json
import threading

import pytest

from conftest import Emulator
from test_controller import Lifecycle


class Receiver:
    """A local HTTP server that records every request and answers 201."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                 "body": body})
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def at(self, prefix):
        return [r for r in self.received if r["path"].startswith(prefix)]

    def stop(self):
        self.server.shutdown()


@pytest.fixture()
def notified(tmp_path):
    emulator = Emulator()
    receiver = Receiver()
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        config = tmp_path / "lakegate.yaml"
        config.write_text(config.read_text() + f"""notifications:
  providers:
    hook: {{type: webhook, url: "{receiver.url}/hook", secretEnv: HOOK_SECRET}}
    chat: {{type: slack, urlEnv: SLACK_URL}}
    teams: {{type: teams, url: "{receiver.url}/teams"}}
    gh: {{type: github, apiURL: "{receiver.url}/gh", tokenEnv: GH_TOKEN}}
    gl: {{type: gitlab, apiURL: "{receiver.url}/gl/api/v4", tokenEnv: GL_TOKEN}}
  routes:
    - providers: [hook, gh, gl]
    - providers: [chat, teams]
      events: [approval.requested, deployed]
      environments: [prod]
""")
        lifecycle.env.update(HOOK_SECRET="h00k-secret", SLACK_URL=f"{receiver.url}/slack/T0/B0/s3cret-path",
                             GH_TOKEN="ghp-t0ken", GL_TOKEN="glpat-t0ken")
        yield lifecycle, receiver
    finally:
        receiver.stop()
        emulator.stop()


def events(receiver):
    return [json.loads(r["body"]) for r in receiver.at("/hook")]


def test_each_provider_gets_its_request_shape_once_per_condition(notified):
    lifecycle, receiver = notified
    lifecycle.release("v1.0.0")
    status = lifecycle.once()
    assert status["qa"]["outcome"] == "applied" and status["prod"]["outcome"] == "waiting", status
    # Prod was judged while qa applied (promotion pending too): the request comes once qa has converged.
    assert [e["kind"] for e in events(receiver)] == ["deployed"]
    lifecycle.once()
    commit = lifecycle.git("rev-parse", "v1.0.0^{commit}").strip()

    # Generic webhook: the JSON payload, signed over the raw body, with the event id header.
    for request in receiver.at("/hook"):
        expected = "sha256=" + hmac.new(b"h00k-secret", request["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request["headers"]["x-lakegate-signature-256"], expected)
        assert request["headers"]["x-lakegate-event-id"] == json.loads(request["body"])["id"]
    kinds = sorted((e["kind"], e["environment"]) for e in events(receiver))
    assert kinds == [("approval.requested", "prod"), ("deployed", "qa")], kinds
    requested = next(e for e in events(receiver) if e["kind"] == "approval.requested")
    assert requested["release"] == "v1.0.0" and requested["commit"] == commit
    assert requested["quorum"] == {"required": 1, "valid": 0}
    assert requested["approveCommand"] == "lakegate approve v1.0.0 --target prod --product customer-360 --push"
    assert requested["plan"]["changes"], requested  # what approving would change in prod
    assert any(g["name"] == "quorum" and not g["passed"] for g in requested["gates"])

    # Slack and Teams: only the prod approval request (their route), in their own formats.
    [slack] = receiver.at("/slack/T0/B0/s3cret-path")
    message = json.loads(slack["body"])
    assert message["text"] == "customer-360 v1.0.0 awaits approval for prod (0 of 1)"
    assert any("lakegate approve v1.0.0" in json.dumps(b) for b in message["blocks"])
    [teams] = receiver.at("/teams")
    card = json.loads(teams["body"])["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"

    # Commit statuses on the release commit: success in qa, pending in prod.
    github = {json.loads(r["body"])["context"]: r for r in receiver.at("/gh/")}
    assert set(github) == {"lakegate/qa", "lakegate/prod"}
    assert github["lakegate/qa"]["path"].endswith(f"/repos/test_each_provider_gets_i0/product/statuses/{commit}") \
        or github["lakegate/qa"]["path"].endswith(f"/product/statuses/{commit}")
    assert github["lakegate/qa"]["headers"]["authorization"] == "Bearer ghp-t0ken"
    assert json.loads(github["lakegate/qa"]["body"])["state"] == "success"
    assert json.loads(github["lakegate/prod"]["body"])["state"] == "pending"
    gitlab = {json.loads(r["body"])["name"]: json.loads(r["body"]) for r in receiver.at("/gl/api/v4/projects/")}
    assert gitlab["lakegate/qa"]["state"] == "success" and gitlab["lakegate/prod"]["state"] == "pending"
    assert all(r["headers"]["private-token"] == "glpat-t0ken" for r in receiver.at("/gl/"))

    # An unchanged condition is not sent again.
    count = len(receiver.received)
    lifecycle.once()
    assert len(receiver.received) == count

    # The approval: recorded (quorum progress), then deployed to prod; prod's status turns success.
    lifecycle.approve("alice", "v1.0.0")
    assert lifecycle.once()["prod"]["outcome"] == "applied"
    new = [e for e in events(receiver) if e["environment"] == "prod" and e["kind"] != "approval.requested"]
    assert sorted(e["kind"] for e in new) == ["approval.recorded", "deployed"], new
    prod_states = [json.loads(r["body"])["state"] for r in receiver.at("/gh/")
                   if json.loads(r["body"])["context"] == "lakegate/prod"]
    assert prod_states == ["pending", "success"], prod_states  # the completing approval sets no status
    ids = [r["headers"]["x-lakegate-event-id"] for r in receiver.at("/hook")]
    assert len(ids) == len(set(ids))


def test_events_recorded_before_a_kill_9_are_delivered_after_restart_once_per_id(tmp_path):
    """The receiver is down while serve records the events; serve is killed with SIGKILL; after a restart with the
    receiver up, every recorded event arrives, each id once."""
    import re
    import select
    import signal
    import socket
    import subprocess
    import time

    import requests

    from test_controller import binary

    emulator = Emulator()
    placeholder = socket.socket()
    placeholder.bind(("127.0.0.1", 0))
    port = placeholder.getsockname()[1]
    placeholder.close()  # nothing listens here until the receiver starts
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        config = tmp_path / "lakegate.yaml"
        config.write_text(config.read_text() + f"""notifications:
  providers:
    hook: {{type: webhook, url: "http://127.0.0.1:{port}/hook", secretEnv: HOOK_SECRET}}
  routes:
    - providers: [hook]
  retry: {{initialBackoff: 500ms, maxBackoff: 1s}}
""")
        env = dict(lifecycle.env, HOOK_SECRET="h00k-secret")
        lifecycle.release("v1.0.0")

        def serve():
            process = subprocess.Popen(
                [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            ready, _, _ = select.select([process.stdout], [], [], 60)
            url = process.stdout.readline().strip() if ready else ""
            assert url.startswith("http://")
            return process, url

        def gauge(url, state):
            text = requests.get(url + "/metrics", timeout=10).text
            found = re.search(rf'^lakegate_notification_outbox\{{state="{state}"\}} (\d+)', text, re.M)
            return int(found.group(1)) if found else 0

        server, url = serve()
        deadline = time.time() + 120
        while gauge(url, "retrying") < 2:  # qa deployed, prod approval requested: recorded, not delivered
            assert time.time() < deadline, requests.get(url + "/metrics", timeout=10).text
            time.sleep(0.3)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)

        receiver = Receiver.__new__(Receiver)
        Receiver.__init__(receiver)  # on a free port first, then rebind the one serve was told about
        receiver.stop()
        receiver.server.server_close()
        handler = receiver.server.RequestHandlerClass
        receiver.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
        server, url = serve()
        try:
            deadline = time.time() + 120
            while gauge(url, "pending") + gauge(url, "retrying") > 0 or not receiver.received:
                assert time.time() < deadline
                time.sleep(0.3)
            time.sleep(1.5)  # nothing more arrives
        finally:
            server.terminate()
            server.wait(timeout=30)
            receiver.stop()
        ids = [r["headers"]["x-lakegate-event-id"] for r in receiver.received]
        assert len(ids) == len(set(ids)), ids
        kinds = sorted(json.loads(r["body"])["kind"] for r in receiver.received)
        assert kinds.count("deployed") == 1 and kinds.count("approval.requested") == 1, kinds
    finally:
        emulator.stop()
