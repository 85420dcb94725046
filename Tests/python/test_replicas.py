"""Several `lakegate serve` replicas on one PostgreSQL state (issue 17), and one serve per state directory.

Black-box: real processes, real git repositories with SSH-signed releases (the bench-serve fixture), the real
emulator, and a real PostgreSQL server started once per session (the `postgres` fixture in conftest.py).
"""

import collections
import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, Emulator, PostgresServer

sys.path.insert(0, str(ROOT / "Benchmarks" / "serve"))
import bench_serve  # noqa: E402  (the product fixture: N repositories, signed releases and approvals)

LEASE = "3s"


def binary(name: str) -> str:
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR") or str(ROOT / ".build" / "debug")
    return str(pathlib.Path(bin_dir) / name)


class Replica:
    """One `lakegate serve` with its own state directory (mirrors, lock) and a fixed replica id."""

    def __init__(self, fixture: bench_serve.Fixture, base_config: str, index: int, env: dict):
        self.id = f"replica-{index}"
        self.config = fixture.work / f"lakegate-{index}.yaml"
        self.config.write_text(base_config.replace(
            f"stateDir: {fixture.work / 'state'}", f"stateDir: {fixture.work / f'state-{index}'}"))
        self.log = fixture.work / f"serve-{index}.log"
        self.process = bench_serve.Process(
            [binary("lakegate"), "serve", "--config", str(self.config)], self.log,
            dict(env, LAKEGATE_REPLICA_ID=self.id, LAKEGATE_LOG_LEVEL="info"))

    def stop(self) -> None:
        if self.process.process.poll() is None:
            os.kill(self.process.process.pid, signal.SIGCONT)
        self.process.stop()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


class Cluster:
    """N products × dev/qa/prod, an emulator, and replicas sharing one PostgreSQL database."""

    def __init__(self, tmp: pathlib.Path, postgres: PostgresServer, products: int, latency_ms: int,
                 concurrency: int = 4):
        self.fixture = bench_serve.Fixture(tmp, products)
        self.fixture.make_all()
        self.emulator = Emulator("--latency-ms", str(latency_ms))
        self.postgres = postgres
        self.url = postgres.database()
        self.database = self.url.rsplit("/", 1)[1]
        config = self.fixture.config(self.emulator.url, concurrency, "1s").read_text()
        self.base_config = config + (
            f"state: {{url: '{self.url}', passwordEnv: LAKEGATE_TEST_PG_PASSWORD, leaseDuration: {LEASE}}}\n")
        self.env = dict(self.fixture.env, BENCH_DATABRICKS_TOKEN="dapi-bench", BENCH_API_TOKEN=bench_serve.API_TOKEN,
                        LAKEGATE_TEST_PG_PASSWORD=postgres.PASSWORD)
        self.replicas: list[Replica] = []

    def start(self, count: int) -> None:
        for index in range(len(self.replicas), len(self.replicas) + count):
            self.replicas.append(Replica(self.fixture, self.base_config, index, self.env))

    def sql(self, statement: str) -> list[list[str]]:
        out = self.postgres.psql(self.database, statement)
        return [line.split("|") for line in out.splitlines() if line]

    def converged(self) -> int:
        done = 0
        for product, target, release, commit in self.sql(
                "SELECT product, target, coalesce(release, ''), commit_id FROM deployments"):
            name = product.removeprefix("orders-")
            done += commit == self.fixture.heads.get(name) if target == "dev" else release == "v1.0.0"
        return done

    def wait_converged(self, pairs: int, timeout: float, holders: set | None = None) -> None:
        deadline = time.monotonic() + timeout
        done = 0
        while time.monotonic() < deadline:
            done = self.converged()
            if holders is not None:
                holders.update(row[0] for row in self.sql("SELECT DISTINCT holder FROM leases"))
            if done == pairs:
                return
            time.sleep(1)
        tails = "\n".join(r.log_text()[-1500:] for r in self.replicas)
        pytest.fail(f"{done}/{pairs} pairs converged after {timeout:.0f} s\n{tails}")

    def stop(self) -> None:
        for replica in self.replicas:
            replica.stop()
        self.emulator.stop()


@pytest.fixture()
def cluster_factory(tmp_path, postgres):
    made = []

    def make(**kwargs) -> Cluster:
        cluster = Cluster(tmp_path, postgres, **kwargs)
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.stop()


def successful_creates(emulator: Emulator) -> collections.Counter:
    creates = ("/api/2.2/jobs/create", "/api/2.0/genie/spaces", "/api/2.1/unity-catalog/catalogs",
               "/api/2.1/unity-catalog/shares", "/api/2.1/unity-catalog/recipients")
    return collections.Counter(r["path"] for r in emulator.requests()
                               if r["method"] == "POST" and r["path"] in creates and r["status"] < 300)


def test_a_second_serve_on_the_same_state_directory_refuses_until_the_first_dies(tmp_path):
    (tmp_path / "lakegate.yaml").write_text(
        f"stateDir: {tmp_path / 'state'}\nlisten: 127.0.0.1:0\npoll: {{interval: 60s, jitter: 0s}}\n"
        "environments:\n  dev: {workspace: {host: 'http://127.0.0.1:9', credentials: {tokenEnv: NO_TOKEN}}, "
        "follows: branch, branch: main}\n"
        f"products:\n  - {{name: p, repo: {tmp_path / 'missing.git'}}}\n")
    command = [binary("lakegate"), "serve", "--config", str(tmp_path / "lakegate.yaml")]
    first = bench_serve.Process(command, tmp_path / "first.log", dict(os.environ))
    try:
        second = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert f"is in use by process {first.process.pid}" in second.stderr, second.stderr
        assert second.stdout == ""  # it never listened
        # kill -9: no clean-up runs, yet the kernel released the lock with the process.
        first.process.kill()
        first.process.wait()
        third = bench_serve.Process(command, tmp_path / "third.log", dict(os.environ))
        assert third.url.startswith("http://")
        third.stop()
    finally:
        first.stop()


def test_three_replicas_share_sixty_products_and_survive_a_kill_mid_apply(cluster_factory):
    products, pairs = 60, 180
    cluster = cluster_factory(products=products, latency_ms=2)
    cluster.start(3)
    holders: set = set()
    # Wait until every replica works and some pairs are deployed, then kill -9 one replica while it holds leases.
    deadline = time.monotonic() + 240
    victim = cluster.replicas[0]
    while time.monotonic() < deadline:
        holders.update(row[0] for row in cluster.sql("SELECT DISTINCT holder FROM leases"))
        held = cluster.sql(f"SELECT count(*) FROM leases WHERE holder = '{victim.id}' AND expires_at_ms > "
                           "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)")
        if len(holders) == 3 and cluster.converged() >= 20 and int(held[0][0]) > 0:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"replicas never all worked: holders {holders}\n{victim.log_text()[-2000:]}")
    in_flight = cluster.sql(f"SELECT product, target FROM leases WHERE holder = '{victim.id}'")
    victim.process.process.kill()
    victim.process.process.wait()
    cluster.wait_converged(pairs, timeout=400, holders=holders)
    assert {r.id for r in cluster.replicas} <= holders

    # Each product, environment and revision was applied by exactly one replica: never two `applied` entries, and
    # one entry that converged it. (A pair whose objects the killed replica had all created before it could
    # record converges as `noChange` on the survivor: the apply happened once, by the replica that died.)
    converged = cluster.sql(
        "SELECT product, target, commit_id, sum(CASE WHEN outcome = 'applied' THEN 1 ELSE 0 END), count(*) "
        "FROM audit_log WHERE outcome IN ('applied', 'noChange') GROUP BY product, target, commit_id")
    assert len(converged) == pairs, len(converged)
    assert all(row[3] in ("0", "1") and row[4] == "1" for row in converged), [
        r for r in converged if r[3] not in ("0", "1") or r[4] != "1"]
    assert sum(int(row[3]) for row in converged) >= pairs - len(in_flight), "most pairs were applied"
    # No duplicate creates reached the workspace: one of each object per pair.
    creates = successful_creates(cluster.emulator)
    assert all(count == pairs for count in creates.values()) and len(creates) == 5, creates
    objects = cluster.emulator.stats()["objects"]
    assert objects.get("jobs") == pairs and objects.get("genie_spaces") == pairs, objects
    # The pairs the killed replica was working on were taken over by the survivors and finished.
    for product, target in in_flight:
        holder = cluster.sql(f"SELECT holder FROM leases WHERE product = '{product}' AND target = '{target}'")
        assert holder and holder[0][0] != victim.id, (product, target, holder)
    # One hash chain across replicas, unchanged `history verify`.
    verify = subprocess.run([binary("lakegate"), "history", "verify", "--state-url", cluster.url],
                            capture_output=True, text=True, env=dict(cluster.env, **cluster.postgres.env()),
                            timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert cluster.postgres.PASSWORD not in verify.stdout + verify.stderr
    survivors = [r for r in cluster.replicas if r is not victim]
    assert all(r.process.process.poll() is None for r in survivors)


def test_a_replica_paused_past_its_lease_neither_applies_nor_records_after_resuming(cluster_factory):
    products, pairs = 6, 18
    cluster = cluster_factory(products=products, latency_ms=150, concurrency=2)
    cluster.start(2)
    paused = cluster.replicas[0]
    now_ms = "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        # Mid-apply: it holds a current lease on a pair with objects created (inventory rows) but no deployment.
        busy = cluster.sql(
            f"SELECT l.product, l.target FROM leases l LEFT JOIN deployments d ON d.product = l.product AND "
            f"d.target = l.target WHERE l.holder = '{paused.id}' AND l.expires_at_ms > {now_ms} AND d.product IS NULL "
            "AND EXISTS (SELECT 1 FROM inventory i WHERE i.product = l.product AND i.target = l.target)")
        if busy:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"{paused.id} never held a pair mid-apply\n{paused.log_text()[-2000:]}")
    os.kill(paused.process.process.pid, signal.SIGSTOP)
    # The other replica takes the paused one's repositories once its heartbeat and leases expire.
    cluster.wait_converged(pairs, timeout=240)
    time.sleep(2)
    audit = cluster.sql("SELECT sequence, hash FROM audit_log ORDER BY sequence")
    deployments = cluster.sql("SELECT * FROM deployments ORDER BY product, target")
    seen = len(cluster.emulator.requests())
    os.kill(paused.process.process.pid, signal.SIGCONT)
    time.sleep(12)  # several lease periods and polls: it rejoins, finds everything converged
    assert paused.process.process.poll() is None, paused.log_text()[-2000:]
    after = cluster.emulator.requests()[seen:]
    writes = [f"{r['method']} {r['path']}" for r in after if r["method"] != "GET"
              and r["path"] != "/api/2.0/sql/statements"]
    assert writes == [], writes
    statements = [r for r in after if r["path"] == "/api/2.0/sql/statements"]
    assert all(r["method"] == "POST" for r in statements)
    assert cluster.sql("SELECT sequence, hash FROM audit_log ORDER BY sequence") == audit
    assert cluster.sql("SELECT * FROM deployments ORDER BY product, target") == deployments
    applied = cluster.sql("SELECT product, target, commit_id, count(*) FROM audit_log WHERE outcome = 'applied' "
                          "GROUP BY product, target, commit_id")
    assert len(applied) == pairs and all(row[3] == "1" for row in applied), applied
    # It noticed: the apply it was in stopped (lease lost) and nothing it still tried to record was written.
    log = paused.log_text()
    assert "lease lost" in log or "is no longer current" in log, log[-3000:]


def test_state_migrate_moves_a_sqlite_state_with_its_audit_chain(tmp_path, postgres):
    fixture = bench_serve.Fixture(tmp_path, 2)
    fixture.make_all()
    emulator = Emulator()
    try:
        config = fixture.config(emulator.url, 2, "1s")
        env = dict(fixture.env, BENCH_DATABRICKS_TOKEN="dapi-bench", BENCH_API_TOKEN=bench_serve.API_TOKEN)
        once = subprocess.run([binary("lakegate"), "serve", "--once", "--config", str(config)], capture_output=True,
                              text=True, env=env, timeout=300)
        assert once.returncode == 0, once.stderr[-3000:]
        state = tmp_path / "state"
        held = subprocess.run([binary("lakegate"), "hold", "--target", "prod", "--reason", "freeze", "--state-dir", str(state)],
                              capture_output=True, text=True, env=env, timeout=60)
        assert held.returncode == 0, held.stderr
        url = postgres.database()
        pg_env = dict(env, **postgres.env())
        migrate = [binary("lakegate"), "state", "migrate", "--from", str(state), "--to", url]
        result = subprocess.run(migrate, capture_output=True, text=True, env=pg_env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        with sqlite3.connect(state / "lakegate.db") as source:
            counts = {table: source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in ("deployments", "tag_observations", "holds", "audit_log", "inventory",
                                    "last_applied")}
        assert counts["audit_log"] >= 5 and counts["deployments"] >= 4 and counts["inventory"] > 0, counts
        assert counts["last_applied"] == counts["inventory"], counts  # every applied resource, recorded
        for table, count in counts.items():
            assert f"{table}: {count} rows" in result.stdout, result.stdout
        # The same history, and the same chain, verified by the unchanged command.
        def history(*where: str) -> list:
            out = subprocess.run([binary("lakegate"), "history", "--output", "json", *where], capture_output=True,
                                 text=True, env=pg_env, timeout=60)
            assert out.returncode == 0, out.stderr
            return json.loads(out.stdout)
        assert history("--state-url", url) == history("--state-dir", str(state))
        verify = subprocess.run([binary("lakegate"), "history", "verify", "--state-url", url], capture_output=True,
                                text=True, env=pg_env, timeout=60)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert f"ok: {counts['audit_log']} entries" in verify.stdout, verify.stdout
        assert "NOTICE" not in verify.stderr, verify.stderr
        # Not into a database that already holds state.
        again = subprocess.run(migrate, capture_output=True, text=True, env=pg_env, timeout=120)
        assert again.returncode != 0 and "already holds state" in again.stderr, again.stderr
        # Holds work on the shared state too.
        unheld = subprocess.run([binary("lakegate"), "unhold", "--target", "prod", "--state-url", url], capture_output=True,
                                text=True, env=pg_env, timeout=60)
        assert unheld.returncode == 0, unheld.stdout + unheld.stderr
        # A wrong password fails closed and names no secret.
        wrong = subprocess.run([binary("lakegate"), "history", "--state-url", url], capture_output=True, text=True,
                               env=dict(env, PGPASSWORD="wrong-password"), timeout=60)
        assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr, wrong.stderr
        assert "wrong-password" not in wrong.stderr
    finally:
        emulator.stop()


def rendezvous_owner(key: str, replicas: list[str]) -> str:
    """The owner Reconciler/ClusterMember picks: FNV-1a then splitmix64, highest score, ties to the smaller name."""
    mask = (1 << 64) - 1

    def score(replica: str) -> int:
        value = 0xcbf29ce484222325
        for byte in (replica + "\0" + key).encode():
            value = ((value ^ byte) * 0x100000001B3) & mask
        value = ((value ^ (value >> 30)) * 0xbf58476d1ce4e5b9) & mask
        value = ((value ^ (value >> 27)) * 0x94d049bb133111eb) & mask
        return value ^ (value >> 31)

    return max(replicas, key=lambda r: (score(r), [-ord(c) for c in r]))


def test_a_webhook_reaching_any_replica_makes_the_owner_poll(cluster_factory):
    import hashlib
    import hmac
    import re

    import requests

    cluster = cluster_factory(products=4, latency_ms=2)
    cluster.base_config = cluster.base_config.replace(
        "poll: {interval: 1s, jitter: 0s}", "poll: {interval: 1h, jitter: 0s}\nwebhook: {secretEnv: HOOK_SECRET}")
    cluster.env["HOOK_SECRET"] = "s3cret-hook"
    cluster.start(2)
    ids = [r.id for r in cluster.replicas]

    def listings(replica: Replica) -> int:
        text = requests.get(replica.process.url + "/metrics", timeout=10).text
        found = re.search(r'^lakegate_git_requests_total\{type="ls-remote"\} (\d+)', text, re.M)
        return int(found.group(1)) if found else 0

    # Both past their first pass and in the live set.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        live = cluster.sql("SELECT id FROM replicas ORDER BY id")
        ready = all(requests.get(r.process.url + "/readyz", timeout=10).status_code == 200 for r in cluster.replicas)
        if ready and [row[0] for row in live] == sorted(ids):
            break
        time.sleep(0.3)
    else:
        pytest.fail("replicas never ready")
    repos = [str(cluster.fixture.repo(name)) for name in cluster.fixture.names]
    owner_id = rendezvous_owner(repos[0], ids)
    owner = next(r for r in cluster.replicas if r.id == owner_id)
    other = next(r for r in cluster.replicas if r.id != owner_id)
    before = {r.id: listings(r) for r in cluster.replicas}
    body = json.dumps({"ref": "refs/heads/main", "after": "2" * 40, "repository": {"clone_url": repos[0]}}).encode()
    signature = "sha256=" + hmac.new(b"s3cret-hook", body, hashlib.sha256).hexdigest()
    response = requests.post(other.process.url + "/hooks/git", data=body, timeout=10,
                             headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 30
    while listings(owner) < before[owner.id] + 1:
        assert time.monotonic() < deadline, "the owner did not poll after a webhook reached the other replica"
        time.sleep(0.2)
    # Only the owner listed it; the replica the webhook reached did not, and the request was consumed.
    assert listings(other) == before[other.id]
    assert cluster.sql("SELECT count(*) FROM poll_triggers") == [["0"]]

    # `lakegate reconcile` reaching the replica that does not own the repository is answered there: it
    # reconciles the pair under the pair's lease rather than wait for a pass that never lists the repository.
    product = f"orders-{cluster.fixture.names[0]}"
    now_ms = "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)"
    deadline = time.monotonic() + 30
    while cluster.sql(f"SELECT count(*) FROM leases WHERE product = '{product}' AND expires_at_ms > {now_ms}") != [
            ["0"]]:  # the owner's reconcile after the webhook is over
        assert time.monotonic() < deadline
        time.sleep(0.2)
    reconciled = subprocess.run(
        [binary("lakegate"), "reconcile", "--server", other.process.url, "--product", product, "--target", "dev"],
        env=dict(cluster.env, LAKEGATE_API_TOKEN=bench_serve.API_TOKEN), capture_output=True, text=True,
        timeout=120)
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr
    assert reconciled.stdout.startswith(f"{product} in dev: "), reconciled.stdout
    held = cluster.sql(f"SELECT holder FROM leases WHERE product = '{product}' AND target = 'dev'")
    assert held == [[other.id]], held


def test_cli_plan_apply_capture_approve_and_serve_share_one_postgresql_state(tmp_path, postgres):
    """plan, apply (directory and saved plan), capture, approve and git verify take the shared state like serve:
    an apply by a person is in the inventory the replicas read, so serve neither creates the objects again nor
    leaves them behind; an apply waits for no replica: it refuses while another holds the pair's lease."""
    fixture = bench_serve.Fixture(tmp_path, 2)
    fixture.make_all()
    emulator = Emulator()
    url = postgres.database()
    database = url.rsplit("/", 1)[1]
    local = tmp_path / "local-state"  # where the commands would write without the shared state
    env = dict(fixture.env, **postgres.env(), DATABRICKS_HOST=emulator.url, DATABRICKS_TOKEN="dapi-bench",
               LAKEGATE_STATE_DIR=str(local), BENCH_DATABRICKS_TOKEN="dapi-bench",
               BENCH_API_TOKEN=bench_serve.API_TOKEN)
    team = {name: fixture.work / "team" / name for name in fixture.names}

    def lakegate(*args: str, state: tuple = ("--state-url", url)) -> subprocess.CompletedProcess:
        return subprocess.run([binary("lakegate"), *args, *state], capture_output=True, text=True, env=env,
                              timeout=300, cwd=tmp_path)

    def sql(statement: str) -> list[list[str]]:
        return [line.split("|") for line in postgres.psql(database, statement).splitlines() if line]

    def inventory(product: str, table: str = "inventory") -> int:
        return int(sql(f"SELECT count(*) FROM {table} WHERE product = 'orders-{product}' AND target = 'dev'")[0][0])

    def writes(since: int) -> list[str]:
        return [f"{r['method']} {r['path']}" for r in emulator.requests()[since:]
                if r["method"] != "GET" and r["path"] != "/api/2.0/sql/statements"]

    try:
        first, second = fixture.names
        planned = lakegate("plan", "--target", "dev", "--detailed-exitcode", str(team[first]))
        assert planned.returncode == 2, planned.stdout + planned.stderr
        applied = lakegate("apply", "--target", "dev", "--auto-approve", str(team[first]))
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert inventory(first) > 0
        # What was applied is recorded on the shared state too, one row per resource (three-way plans read it).
        assert inventory(first, "last_applied") == inventory(first)
        assert not (local / "lakegate.db").exists()
        assert postgres.PASSWORD not in applied.stdout + applied.stderr
        # The next plan reads the same inventory: nothing left to do.
        again = lakegate("plan", "--target", "dev", "--detailed-exitcode", str(team[first]))
        assert again.returncode == 0, again.stdout + again.stderr
        captured = lakegate("capture", "--target", "dev", "--dry-run", str(team[first]))
        assert captured.returncode == 0 and "No changes to capture." in captured.stdout, captured.stdout + captured.stderr

        # A replica holds the pair: apply refuses at once and sends nothing.
        sql("INSERT INTO leases VALUES ('orders-" + second + "', 'dev', 'replica-9', 7, "
            "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT) + 600000)")
        seen = len(emulator.requests())
        refused = lakegate("apply", "--target", "dev", "--auto-approve", str(team[second]))
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "held by replica-9" in refused.stderr and "nothing was applied" in refused.stderr, refused.stderr
        assert emulator.requests()[seen:] == [] and inventory(second) == 0
        sql(f"UPDATE leases SET expires_at_ms = 0 WHERE product = 'orders-{second}'")

        # A saved plan names the shared state (without its password) and is applied there, under the lease.
        plan_file = tmp_path / "second.plan"
        saved = lakegate("plan", "--target", "dev", "-out", str(plan_file), str(team[second]))
        assert saved.returncode == 0, saved.stderr
        text = plan_file.read_text()
        assert url in text and postgres.PASSWORD not in text
        from_file = lakegate("apply", str(plan_file), state=())
        assert from_file.returncode == 0, from_file.stdout + from_file.stderr
        assert inventory(second) > 0 and inventory(second, "last_applied") == inventory(second)
        holder = sql(f"SELECT holder, token FROM leases WHERE product = 'orders-{second}' AND target = 'dev'")
        assert holder[0][0].startswith("cli:") and holder[0][1] == "8", holder  # the token moved past replica-9's

        # serve on the same state: dev converges without a single workspace write, and nothing is duplicated.
        seen = len(emulator.requests())
        config = fixture.config(emulator.url, 2, "1s")
        config.write_text(config.read_text() + f"state: {{url: '{url}', passwordEnv: PGPASSWORD, leaseDuration: 3s}}\n")
        replica = bench_serve.Process([binary("lakegate"), "serve", "--config", str(config)], tmp_path / "serve.log",
                                      dict(env, LAKEGATE_REPLICA_ID="replica-0"))
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                done = sql("SELECT count(*) FROM deployments")[0][0]
                if done == "6":
                    break
                time.sleep(1)
            else:
                pytest.fail(f"{done}/6 pairs converged\n{(tmp_path / 'serve.log').read_text()[-3000:]}")
        finally:
            replica.stop()
        dev = sql("SELECT product, outcome FROM audit_log WHERE target = 'dev' ORDER BY product")
        assert dev == [[f"orders-{first}", "noChange"], [f"orders-{second}", "noChange"]], dev
        creates = successful_creates(emulator)
        assert len(creates) == 5 and all(count == 6 for count in creates.values()), creates  # one per pair
        assert emulator.stats()["objects"].get("jobs") == 6
        assert not any(w.split()[0] == "DELETE" for w in writes(seen))

        # approve plans the release against the shared inventory: prod is converged, so nothing to change.
        approved = lakegate("approve", "v1.0.0", str(team[first]), "--target", "qa", "--key",
                            str(fixture.keys / "alice"), "--allowed-signers", str(fixture.keys / "allowed_signers"),
                            "--yes")
        assert "Plan: 0 to create, 0 to update, 0 to delete" in approved.stdout, approved.stdout + approved.stderr
        # git verify records first-seen tags in the shared state.
        verified = lakegate("git", "verify", "--repo", str(team[first]), "v1.0.0", "--allowed-signers",
                            str(fixture.keys / "allowed_signers"))
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert sql(f"SELECT count(*) FROM tag_observations WHERE repo = '{team[first]}'") == [["1"]]
        assert not (local / "lakegate.db").exists()
    finally:
        emulator.stop()


def test_two_replicas_deliver_each_notification_once(cluster_factory):
    """Both replicas read the one outbox every second; a delivery is claimed before it is sent, so each event
    reaches the receiver once, whichever replica recorded it. The receiver is slow (0.3 s per request), which
    leaves both replicas ample time to find the same due row."""
    import http.server
    import threading

    received: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(0.3)
            received.append(self.headers["X-Lakegate-Event-Id"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        cluster = cluster_factory(products=4, latency_ms=2)
        cluster.base_config += (
            "notifications:\n  providers:\n"
            f"    hook: {{type: webhook, url: 'http://127.0.0.1:{server.server_address[1]}/hook', "
            "secretEnv: HOOK_SECRET}\n  routes:\n    - providers: [hook]\n")
        cluster.env["HOOK_SECRET"] = "h00k"
        cluster.start(2)
        cluster.wait_converged(12, timeout=240)
        deadline = time.monotonic() + 120
        while cluster.sql("SELECT count(*) FROM notification_outbox WHERE state <> 'delivered'") != [["0"]]:
            assert time.monotonic() < deadline, cluster.sql("SELECT state, count(*) FROM notification_outbox "
                                                            "GROUP BY state")
            time.sleep(0.5)
        time.sleep(3)  # a second send would have arrived by now
        rows = cluster.sql("SELECT event_id, attempts FROM notification_outbox")
        assert len(rows) >= 12, rows  # at least a deployed event per pair
        assert all(attempts == "1" for _, attempts in rows), rows
        assert sorted(received) == sorted(event for event, _ in rows), (len(received), len(rows))
    finally:
        server.shutdown()
