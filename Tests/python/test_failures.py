"""Failures never look like success: a wrong token, a failing endpoint, lost create responses, SIGTERM while the
workspace is unreachable. Real emulator over real HTTP, real git repositories, a small lossy proxy in Python."""

import http.client
import http.server
import json
import pathlib
import re
import select
import signal
import socket
import subprocess
import threading
import time

import pytest
import requests

from conftest import ROOT, Emulator
from test_controller import Lifecycle, binary

TOKEN = "t0ken-for-tests"
WRONG = "dapi-wrong-0123456789abcdef"
PRODUCT = str(ROOT / "Examples" / "customer-360")


def lakegate(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([binary("lakegate"), *args], env=env, capture_output=True, text=True, timeout=timeout)


def plan(url: str, state: pathlib.Path, token: str, *extra: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(state), "DATABRICKS_TOKEN": token,
           "DATABRICKS_CONFIG_FILE": "/dev/null"}
    return lakegate("plan", "--target", "dev", "--state-dir", str(state), "--host", url, *extra, PRODUCT, env=env)


@pytest.fixture()
def locked_emulator():
    """An emulator that accepts only TOKEN."""
    emulator = Emulator("--token", TOKEN)
    try:
        yield emulator
    finally:
        emulator.stop()


def test_plan_with_a_wrong_token_exits_1_naming_endpoint_and_status(locked_emulator, tmp_path):
    result = plan(locked_emulator.url, tmp_path, WRONG)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "No changes" not in result.stdout
    assert "could not be read completely, so nothing was planned" in result.stderr
    assert re.search(r"GET /api/2\.\d/\S+: unauthenticated \(HTTP 401", result.stderr), result.stderr
    assert WRONG not in result.stdout + result.stderr
    # The right token plans creates (exit 2 with --detailed-exitcode): the product itself is fine.
    assert plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode").returncode == 2


@pytest.mark.parametrize("fault,words", [
    ({"path_prefix": "/api/2.2/jobs/get", "status": 500}, "(HTTP 500"),
    ({"path_prefix": "/api/2.1/unity-catalog/catalogs", "status": 403}, "(HTTP 403"),
    ({"path_prefix": "/api/2.0/sql/warehouses", "truncated": True}, "response is not JSON"),
])
def test_one_failing_endpoint_is_never_no_changes(locked_emulator, tmp_path, fault, words):
    # Converged first, so that a swallowed failure would show as "No changes".
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_TOKEN": TOKEN, "DATABRICKS_CONFIG_FILE": "/dev/null"}
    applied = lakegate("apply", "--target", "dev", "--auto-approve", "--state-dir", str(tmp_path), "--host",
                       locked_emulator.url, PRODUCT, env=env)
    assert applied.returncode == 0, applied.stdout[-2000:] + applied.stderr[-2000:]
    assert plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode").returncode == 0
    locked_emulator.faults(paths=[fault])
    result = plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode")
    locked_emulator.faults(paths=[])
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "No changes" not in result.stdout
    assert fault["path_prefix"] in result.stderr and words in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize("status", [401, 403])
def test_workspace_check_exits_1_on_401_and_403(locked_emulator, tmp_path, status):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_HOST": locked_emulator.url,
           "DATABRICKS_TOKEN": TOKEN if status == 403 else WRONG, "DATABRICKS_CONFIG_FILE": "/dev/null"}
    if status == 403:
        locked_emulator.faults(paths=[{"path_prefix": "/api/2.0/", "status": 403}])
    try:
        result = lakegate("workspace", "check", env=env, timeout=120)
    finally:
        locked_emulator.faults(paths=[])
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"HTTP {status}" in result.stderr
    assert WRONG not in result.stdout + result.stderr


def test_a_databrickscfg_line_without_equals_never_echoes_the_token(tmp_path):
    config = tmp_path / ".databrickscfg"
    config.write_text(f"[DEFAULT]\nhost = https://example.cloud.databricks.com\n{WRONG}\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_CONFIG_FILE": str(config)}
    result = lakegate("workspace", "check", env=env, timeout=60)
    assert result.returncode == 1
    assert f"{config}:3:1:" in result.stderr, result.stderr
    assert WRONG not in result.stdout + result.stderr


def test_serve_with_a_wrong_token_fails_and_records_nothing(tmp_path):
    emulator = Emulator("--token", TOKEN)
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        lifecycle.release("v1.0.0")
        status = lifecycle.once(DEMO_TOKEN=WRONG)
        qa = status["qa"]
        assert qa["outcome"] == "failed", qa
        assert "HTTP 401" in qa["message"] and "could not be read completely" in qa["message"], qa
        assert qa.get("deployedRelease") is None, qa
        assert WRONG not in json.dumps(status)
        assert lifecycle.history("qa") == []
        assert emulator.stats()["objects"].get("catalogs", 0) == 0
        # With the token fixed, qa converges in one pass.
        status = lifecycle.once()
        assert status["qa"]["outcome"] == "applied", status["qa"]
        assert lifecycle.once()["qa"]["outcome"] == "noChange"
    finally:
        emulator.stop()


class LossyProxy:
    """Forwards HTTP to the emulator; drops the response to the first POST of every create endpoint (and to the
    first `CREATE TABLE` and `CREATE FUNCTION` statement): the request reaches the workspace, which creates the
    object, then the connection closes with no answer."""

    CREATES = re.compile(
        r"^/api/2\.1/unity-catalog/(catalogs|schemas|volumes|functions|shares|recipients|entity-tag-assignments)$"
        r"|^/api/2\.1/unity-catalog/tables/[^/]+/monitor$|^/api/2\.2/jobs/create$|^/api/2\.0/genie/spaces$"
        r"|^/api/2\.0/workspace/(import|mkdirs)$")

    def __init__(self, upstream: str):
        target = upstream.removeprefix("http://").rstrip("/")
        host, port = target.rsplit(":", 1)
        seen: set = set()
        self.dropped: list = []
        lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                connection = http.client.HTTPConnection(host, int(port), timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                connection.close()
                path = self.path.split("?", 1)[0]
                key = path if proxy.CREATES.match(path) else None
                if path == "/api/2.0/sql/statements" and body:
                    statement = json.loads(body).get("statement", "")
                    key = next((k for k in ("CREATE TABLE", "CREATE FUNCTION") if statement.startswith(k)), None)
                if self.command == "POST" and key:
                    with lock:
                        first = key not in seen
                        seen.add(key)
                    if first:
                        proxy.dropped.append((key, response.status))
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_lost_create_responses_converge_in_one_apply_without_duplicates(locked_emulator, tmp_path):
    proxy = LossyProxy(locked_emulator.url)
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_TOKEN": TOKEN,
               "DATABRICKS_CONFIG_FILE": "/dev/null"}
        applied = lakegate("apply", "--target", "dev", "--auto-approve", "--state-dir", str(tmp_path), "--host",
                           proxy.url, PRODUCT, env=env)
        assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-2000:]
        dropped = {path for path, _ in proxy.dropped}
        assert "/api/2.2/jobs/create" in dropped and "/api/2.1/unity-catalog/catalogs" in dropped, dropped
        assert "/api/2.1/unity-catalog/recipients" in dropped, dropped
        assert {"CREATE TABLE", "CREATE FUNCTION"} <= dropped, dropped
        # Converged: the plan (straight to the emulator) has nothing to do.
        result = plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode")
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        # No duplicates: every create reached the workspace once, and the listings hold one of each.
        rendered = lakegate("render", "--target", "dev", "--output", "json", PRODUCT, env=env)
        desired = json.loads(rendered.stdout)["resources"]
        log = locked_emulator.requests()
        for path in ("/api/2.2/jobs/create", "/api/2.0/genie/spaces", "/api/2.1/unity-catalog/catalogs",
                     "/api/2.1/unity-catalog/recipients", "/api/2.1/unity-catalog/shares"):
            kind = {"/api/2.2/jobs/create": "jobs", "/api/2.0/genie/spaces": "genie_spaces"}.get(
                path, path.rsplit("/", 1)[1])
            posts = [r for r in log if r["method"] == "POST" and r["path"] == path and r["status"] < 300]
            assert len(posts) == sum(1 for r in desired if r["kind"] == kind), (path, posts)
        objects = locked_emulator.stats()["objects"]
        for kind in ("jobs", "genie_spaces", "catalogs", "recipients", "shares", "tables", "functions", "volumes"):
            assert objects.get(kind, 0) == sum(1 for r in desired if r["kind"] == kind), (kind, objects)
    finally:
        proxy.stop()


class BlackHole:
    """A listening socket that accepts connections and never answers."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.accepted: list = []
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
                self.accepted.append(connection)
            except OSError:
                return

    def stop(self):
        self.running = False
        for connection in self.accepted:
            connection.close()
        self.socket.close()


def test_sigterm_stops_serve_within_the_grace_period_while_the_workspace_is_a_black_hole(tmp_path):
    hole = BlackHole()
    emulator = Emulator()
    server = None
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        config = tmp_path / "lakegate.yaml"
        config.write_text(config.read_text().replace(emulator.url, hole.url)
                          .replace("poll: {interval: 1s, jitter: 0s}", "poll: {interval: 1h, jitter: 0s}\nshutdownGracePeriod: 2s"))
        lifecycle.release("v1.0.0")
        server = subprocess.Popen(
            [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
            env=lifecycle.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://"), server.stderr.read()
        deadline = time.time() + 60
        while not hole.accepted:  # the pass is in flight: a request is waiting on the black hole
            assert time.time() < deadline, "no request reached the workspace"
            time.sleep(0.2)
        time.sleep(1)
        started = time.time()
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
        elapsed = time.time() - started
        stderr = server.stderr.read()
        assert elapsed < 2 + 5, (elapsed, code, stderr[-2000:])
        assert "shutdown did not finish" not in stderr, stderr[-2000:]
        assert lifecycle.history("qa") == []
    finally:
        if server and server.poll() is None:
            server.kill()
            server.wait()
        hole.stop()
        emulator.stop()


def test_workspace_errors_are_counted_by_reason_in_metrics(tmp_path):
    emulator = Emulator("--token", TOKEN)
    server = None
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        lifecycle.release("v1.0.0")
        config = tmp_path / "lakegate.yaml"
        config.write_text(config.read_text().replace("poll: {interval: 1s, jitter: 0s}", "poll: {interval: 1h, jitter: 0s}"))
        server = subprocess.Popen(
            [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
            env=dict(lifecycle.env, DEMO_TOKEN=WRONG), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://"), server.stderr.read()
        deadline = time.time() + 120
        while True:
            metrics = requests.get(url + "/metrics", timeout=10).text
            found = re.search(r'^lakegate_workspace_errors_total\{reason="unauthenticated"\} (\d+)', metrics, re.M)
            if found:
                break
            assert time.time() < deadline, metrics
            time.sleep(0.3)
        assert int(found.group(1)) >= 1
        assert re.search(r'^lakegate_reconciles_total\{[^}]*outcome="failed"[^}]*\} [1-9]', metrics, re.M), metrics
    finally:
        if server and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
        emulator.stop()


def test_a_duplicate_owned_job_is_planned_for_deletion_and_a_foreign_one_is_kept(locked_emulator, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABRICKS_TOKEN": TOKEN, "DATABRICKS_CONFIG_FILE": "/dev/null"}
    apply = ["apply", "--target", "dev", "--auto-approve", "--state-dir", str(tmp_path), "--host", locked_emulator.url]
    assert lakegate(*apply, PRODUCT, env=env).returncode == 0
    w = locked_emulator.client(token=TOKEN)
    jobs = list(w.jobs.list())
    ours = jobs[0].settings
    assert ours.tags["lakegate.product"] == "customer-360" and ours.tags["lakegate.target"] == "dev"
    # What a retried create used to leave behind: the same name and markers, another id.
    duplicate = w.jobs.create(name=ours.name, tags=dict(ours.tags)).job_id
    foreign = w.jobs.create(name=ours.name, tags={"team": "someone-else"}).job_id
    result = plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode")
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"#{duplicate}" in result.stdout and f"#{foreign}" in result.stdout, result.stdout[-3000:]
    applied = lakegate(*apply, PRODUCT, env=env)
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-2000:]
    remaining = {job.job_id for job in w.jobs.list() if job.settings.name == ours.name}
    assert duplicate not in remaining
    assert foreign in remaining and jobs[0].job_id in remaining
    # Only the foreign job is left to report; it is retained, never deleted.
    assert plan(locked_emulator.url, tmp_path, TOKEN, "--detailed-exitcode").returncode == 0


def test_sigterm_mid_apply_stops_at_an_operation_boundary_and_the_next_pass_converges(tmp_path):
    emulator = Emulator()
    server = None
    try:
        lifecycle = Lifecycle(tmp_path, emulator)
        config = tmp_path / "lakegate.yaml"
        config.write_text(config.read_text().replace(
            "poll: {interval: 1s, jitter: 0s}", "poll: {interval: 1h, jitter: 0s}\nshutdownGracePeriod: 1s"))
        lifecycle.release("v1.0.0")
        emulator.faults(latency_ms=400)  # a slow workspace: the apply takes far longer than the grace period
        server = subprocess.Popen(
            [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
            env=lifecycle.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([server.stdout], [], [], 60)
        assert (server.stdout.readline().strip() if ready else "").startswith("http://"), server.stderr.read()
        deadline = time.time() + 120
        while emulator.stats()["objects"].get("schemas", 0) < 1:  # the apply is under way
            assert time.time() < deadline, emulator.stats()
            time.sleep(0.2)
        started = time.time()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        elapsed = time.time() - started
        stderr = server.stderr.read()
        assert elapsed < 1 + 5, (elapsed, stderr[-2000:])
        assert "shutdown did not finish" not in stderr, stderr[-2000:]
        emulator.faults(latency_ms=0)
        partial = emulator.stats()["objects"]
        status = lifecycle.once()
        assert status["qa"]["outcome"] == "applied", status["qa"]
        rendered = lifecycle.lakegate("render", "--target", "qa", "--output", "json", str(tmp_path / "team"))
        desired = json.loads(rendered.stdout)["resources"]
        objects = emulator.stats()["objects"]
        for kind in ("jobs", "genie_spaces", "tables", "volumes", "functions", "catalogs"):
            assert objects.get(kind, 0) == sum(1 for r in desired if r["kind"] == kind), (kind, partial, objects)
    finally:
        if server and server.poll() is None:
            server.kill()
            server.wait()
        emulator.stop()
