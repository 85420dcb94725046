#!/usr/bin/env python3
"""Benchmark for `lakegate serve` (issue 8): N products × 3 environments against the emulator with latency.

It builds nothing: BIN_DIR must hold `lakegate` and `lakegate-emulator` (a release build gives the real
figures). In a temp folder it makes an SSH release-manager key and an approver key, N bare product
repositories shaped like Examples/orders (9 resources each: catalog, schema, masking function, table,
recipient, share, notebook, Genie space, job; catalog, share, recipient, job and Genie names unique per
product and environment), each with main pushed (dev follows it), a signed release tag v1.0.0 (qa follows
releases) and one signed approval of it (prod follows approvals, quorum 1, four eyes). Then, for each
latency and each mode, it starts `lakegate-emulator --latency-ms L` and `lakegate serve` with a state folder
of their own, and measures:

  converge    time from starting `lakegate serve` until /api/v1/status shows every product × environment
              deployed (dev at main's head, qa and prod at v1.0.0), with the emulator requests it took;
  no-change   the duration of each following poll cycle that changes nothing (from /metrics: the first
              ls-remote of a pass to the last reconcile of it), its CPU time and emulator requests;
  drift       a schema comment of one prod product changed by hand: seconds until serve reverted it
              (status `applied`, comment restored) and the catalogs it read meanwhile;
  memory      VmHWM of serve at convergence and VmRSS after each no-change cycle (from /proc).

Modes: `full` reads every product in full on every pass (`sync: {driftInterval: 0s, auditLog: false}`, what
serve did before issue 21); `audit` reads the workspace's change log every `--drift-interval` and only the
products it names (in this mode the cycles are timed after the first drift check, which reads again what
Lakegate itself wrote while converging).

Usage: .venv/bin/python Benchmarks/serve/bench_serve.py BIN_DIR [--products 200] [--latencies 20,100]
       [--modes full,audit] [--drift-interval 30s] [--concurrency 4] [--cycles 5] [--keep]
It prints a Markdown summary on stdout and progress on stderr; everything runs on 127.0.0.1.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
ORDERS = ROOT / "Examples" / "orders"
TARGETS = ("dev", "qa", "prod")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


API_TOKEN = "bench-api-token"


def http_get(url: str, timeout: float = 30) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {API_TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


# MARK: products


def bundle_yaml(name: str) -> str:
    """Examples/orders' bundle with a catalog of its own per environment and product-unique names."""
    return f"""bundle:
  name: orders_{name}

variables:
  catalog:
    default: bench_{name}_dev
  warehouse_id:
    default: a1b2c3d4e5f60001

targets:
  dev:
    mode: development
    default: true
  qa:
    mode: production
    variables:
      catalog: bench_{name}_qa
  prod:
    mode: production
    variables:
      catalog: bench_{name}_prod

resources:
  catalogs:
    bench:
      name: ${{var.catalog}}
      comment: Benchmark product {name} (${{bundle.target}})
  schemas:
    orders:
      catalog_name: ${{resources.catalogs.bench.name}}
      name: orders
      comment: Settled orders for finance reporting
      grants:
        - principal: finance_analysts
          privileges: [USE_SCHEMA]
  jobs:
    settle_orders:
      name: {name} settle orders (${{bundle.target}})
      schedule:
        quartz_cron_expression: "0 30 1 * * ?"
        timezone_id: UTC
      tasks:
        - task_key: settle
          notebook_task:
            notebook_path: ./src/settle_orders.py
  genie_spaces:
    orders:
      title: {name} orders (${{bundle.target}})
      warehouse_id: ${{var.warehouse_id}}
      serialized_space:
        version: 2
        data_sources:
          tables:
            - identifier: ${{resources.schemas.orders.catalog_name}}.orders.orders
"""


def write_product(folder: pathlib.Path, name: str) -> None:
    """Examples/orders renamed: product id, contract URN, share and recipient names carry `name`."""
    (folder / "contracts").mkdir(parents=True)
    (folder / "src").mkdir()
    (folder / "databricks.yml").write_text(bundle_yaml(name))
    urn = f"urn:lakegate:bench:{name}:orders"
    product = (ORDERS / "dataproduct.yaml").read_text()
    product = re.sub(r"(?m)^id: orders$", f"id: orders-{name}", product)
    product = product.replace("urn:lakegate:finance:orders:orders", urn)
    product = product.replace("name: orders_${bundle.target}", f"name: {name}_orders_${{bundle.target}}")
    product = product.replace("- name: group_treasury", f"- name: {name}_treasury_${{bundle.target}}")
    (folder / "dataproduct.yaml").write_text(product)
    contract = (ORDERS / "contracts" / "orders.odcs.yaml").read_text()
    contract = contract.replace("urn:lakegate:finance:orders:orders", urn)
    contract = re.sub(r"(?m)^dataProduct: orders$", f"dataProduct: orders-{name}", contract)
    (folder / "contracts" / "orders.odcs.yaml").write_text(contract)
    shutil.copy(ORDERS / "src" / "settle_orders.py", folder / "src" / "settle_orders.py")


class Fixture:
    """Keys, N bare product repositories with main, a signed release and a signed approval each."""

    def __init__(self, work: pathlib.Path, products: int):
        self.work = work
        self.names = [f"p{i:03d}" for i in range(1, products + 1)]
        self.env = dict(os.environ)
        self.env.update(
            HOME=str(work / "home"), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Data Team",
            GIT_AUTHOR_EMAIL="team@example.com", GIT_COMMITTER_NAME="Data Team",
            GIT_COMMITTER_EMAIL="team@example.com")
        (work / "home").mkdir()
        self.git("config", "--global", "init.defaultBranch", "main", cwd=work)
        self.git("config", "--global", "gpg.format", "ssh", cwd=work)
        self.keys = work / "keys"
        self.keys.mkdir()
        signers = []
        for who in ("release-manager", "alice"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(self.keys / who)], check=True)
            public = " ".join((self.keys / f"{who}.pub").read_text().split()[:2])
            signers.append(f'{who}@example.com namespaces="git" {public}')
        (self.keys / "allowed_signers").write_text("\n".join(signers) + "\n")
        self.heads: dict[str, str] = {}

    def git(self, *args: str, cwd: pathlib.Path) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, env=self.env, check=True, capture_output=True, text=True).stdout

    def sign(self, who: str, *args: str, cwd: pathlib.Path) -> None:
        self.git("-c", f"user.signingkey={self.keys / who}", "-c", f"user.email={who}@example.com",
                 "-c", f"user.name={who}", *args, cwd=cwd)

    def make(self, name: str) -> str:
        team = self.work / "team" / name
        write_product(team, name)
        self.git("init", "-q", cwd=team)
        self.git("add", "-A", cwd=team)
        self.git("commit", "-q", "-m", f"Orders {name}", "-m", "Change-Request: CHG-1", cwd=team)
        self.sign("release-manager", "tag", "-s", "-m", "Release v1.0.0", "v1.0.0", cwd=team)
        release = self.git("rev-parse", "refs/tags/v1.0.0", cwd=team).strip()
        self.sign("alice", "tag", "-s", "-m", "Approve v1.0.0 for prod", "approval/prod/v1.0.0/alice", release,
                  cwd=team)
        self.git("clone", "-q", "--bare", str(team), str(self.repo(name)), cwd=self.work)
        return self.git("rev-parse", "HEAD", cwd=team).strip()

    def repo(self, name: str) -> pathlib.Path:
        return self.work / "repos" / f"{name}.git"

    def make_all(self) -> None:
        (self.work / "repos").mkdir()
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for name, head in zip(self.names, pool.map(self.make, self.names)):
                self.heads[name] = head

    def config(self, emulator: str, concurrency: int, interval: str, mode: str = "audit",
               drift_interval: str = "10m", tag: str = "") -> pathlib.Path:
        """lakegate.yaml; `mode` `full` reads every product in full on every pass (as before issue 21:
        `driftInterval: 0s, auditLog: false`), `audit` checks the change log every `drift_interval`."""
        workspace = f"{{host: {emulator}, credentials: {{tokenEnv: BENCH_DATABRICKS_TOKEN}}}}"
        sync = ("driftInterval: 0s, auditLog: false" if mode == "full" else f"driftInterval: {drift_interval}")
        gates = (f"requiredTrailers: [{{key: Change-Request, pattern: 'CHG-\\d+'}}], "
                 f"allowedSigners: {self.keys / 'allowed_signers'}, requireSignedRelease: true, policySet: none")
        lines = [
            f"stateDir: {self.work / ('state' + tag)}",
            "listen: 127.0.0.1:0",
            f"poll: {{interval: {interval}, jitter: 0s}}",
            f"concurrency: {concurrency}",
            "api: {tokenEnv: BENCH_API_TOKEN}",
            "environments:",
            f"  dev: {{workspace: {workspace}, follows: branch, branch: main, sync: {{selfHeal: false, {sync}}}}}",
            f"  qa: {{workspace: {workspace}, follows: releases, sync: {{{sync}}}, gates: {{{gates}}}}}",
            f"  prod: {{workspace: {workspace}, follows: approvals, sync: {{{sync}}}, "
            f"gates: {{{gates}, quorum: 1, fourEyes: true}}}}",
            "products:",
        ]
        lines += [f"  - {{name: orders-{name}, repo: {self.repo(name)}}}" for name in self.names]
        path = self.work / f"lakegate{tag}.yaml"
        path.write_text("\n".join(lines) + "\n")
        return path

    def converged(self, statuses: list[dict]) -> int:
        """How many product × environment pairs run what they should."""
        done = 0
        for s in statuses:
            name = s["product"].removeprefix("orders-")
            if s["target"] == "dev":
                done += s.get("deployedCommit") == self.heads.get(name)
            else:
                done += s.get("deployedRelease") == "v1.0.0"
        return done


# MARK: processes


class Process:
    """A child process whose first stdout line is its URL; stderr goes to a log file."""

    def __init__(self, args: list[str], log_path: pathlib.Path, env: dict[str, str]):
        self.log_path = log_path
        self.stderr = open(log_path, "wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL,
                                        env=env)
        self.url = self.process.stdout.readline().decode().strip()
        if not self.url.startswith("http://"):
            self.process.kill()
            raise SystemExit(f"{args[0]} did not print its URL; see {log_path}")

    def proc_status(self) -> dict[str, int]:
        """VmRSS, VmHWM, RssAnon (heap, stacks) and RssFile (mapped files) in KiB."""
        values = {}
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0])
        return values

    def cpu_seconds(self) -> float:
        fields = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def metric_sum(text: str, name: str, label: str = "") -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in " {") and label in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


class Emulator:
    def __init__(self, url: str):
        self.url = url

    def stats(self) -> dict:
        return json.loads(http_get(self.url + "/_emulator/stats"))

    def requests(self) -> list[dict]:
        return json.loads(http_get(self.url + "/_emulator/requests", timeout=120))["requests"]


def endpoint(entry: dict) -> str:
    """A request's method and path with names and ids folded, e.g. `GET /api/2.1/unity-catalog/catalogs/*`."""
    parts = ["*" if re.search(r"[0-9%]", part) and not re.fullmatch(r"\d+\.\d+", part) else part
             for part in entry["path"].split("/")]
    return f"{entry['method']} {'/'.join(parts)}"


def breakdown(entries: list[dict], passes: int, top: int = 8) -> str:
    counts = collections.Counter(endpoint(e) for e in entries)
    return ", ".join(f"{name} {count / passes:.0f}" for name, count in counts.most_common(top))


# MARK: phases


def converge(server: Process, fixture: Fixture, emulator: Emulator, pairs: int, timeout: float) -> dict:
    done = 0
    while time.perf_counter() - server.started < timeout:
        if server.process.poll() is not None:
            raise SystemExit(f"lakegate serve exited with {server.process.returncode}; see {server.log_path}")
        statuses = json.loads(http_get(server.url + "/api/v1/status"))["products"]
        done = fixture.converged(statuses)
        if done == pairs:
            elapsed = time.perf_counter() - server.started
            outcomes = collections.Counter(s["outcome"] for s in statuses)
            return {"seconds": elapsed, "cpu": server.cpu_seconds(), "outcomes": dict(outcomes),
                    "requests": emulator.stats()["requests"], **server.proc_status()}
        time.sleep(0.25)
    failing = [f"{s['product']}/{s['target']}: {s['outcome']}: {s['message']}" for s in statuses
               if s["outcome"] not in ("applied", "noChange")][:5]
    raise SystemExit(f"not converged after {timeout:.0f} s: {done}/{pairs} deployed; e.g. {failing}")


def cycles(server: Process, emulator: Emulator, pairs: int, repositories: int, count: int, timeout: float) -> list[dict]:
    """Follows /metrics: a pass starts with its first ls-remote and ends with its last reconcile."""
    def sample() -> dict:
        text = http_get(server.url + "/metrics").decode()
        return {"t": time.perf_counter(), "listings": metric_sum(text, "lakegate_git_requests_total", 'type="ls-remote"'),
                "reconciles": metric_sum(text, "lakegate_reconciles_total"),
                "reconcile_seconds": metric_sum(text, "lakegate_reconcile_duration_seconds_sum")}

    results = []
    now = sample()
    deadline = time.perf_counter() + timeout
    # Wait for the end of the pass in flight, if any: reconciles and listings at whole passes.
    while (now["reconciles"] % pairs or now["listings"] % repositories) and time.perf_counter() < deadline:
        time.sleep(0.05)
        now = sample()
    while len(results) < count and time.perf_counter() < deadline:
        base = now
        while now["listings"] == base["listings"] and time.perf_counter() < deadline:
            time.sleep(0.05)
            now = sample()
        first = now
        cpu, requests_before = server.cpu_seconds(), emulator.stats()["requests"]
        listed = None
        while now["reconciles"] < base["reconciles"] + pairs and time.perf_counter() < deadline:
            time.sleep(0.05)
            now = sample()
            if listed is None and now["listings"] >= base["listings"] + repositories:
                listed = now
        cpu = server.cpu_seconds() - cpu
        stats = emulator.stats()
        status = server.proc_status()
        results.append({
            "seconds": now["t"] - first["t"], "listing": (listed or now)["t"] - first["t"], "cpu": cpu,
            "reconcile_mean": (now["reconcile_seconds"] - base["reconcile_seconds"]) / pairs,
            "requests": stats["requests"] - requests_before, "log_end": stats["requests"],
            "log_start": requests_before, **status})
        last = results[-1]
        log(f"no-change cycle {len(results)}: {last['seconds']:.2f} s (ls-remote of every repository "
            f"{last['listing']:.2f} s, mean reconcile {last['reconcile_mean']:.3f} s), {cpu:.2f} s CPU, "
            f"{last['requests']} API requests, VmRSS {status['VmRSS'] / 1024:.0f} MiB "
            f"(anonymous {status['RssAnon'] / 1024:.0f}, files {status['RssFile'] / 1024:.0f})")
    return results


def api(url: str, method: str, path: str, token: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def wait_for_drift_check(server: Process, timeout: float) -> None:
    """Until the first change-log check ran and its pass ended (it re-reads what Lakegate itself wrote)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        text = http_get(server.url + "/metrics").decode()
        if metric_sum(text, "lakegate_drift_checks_total") >= 1:
            return
        time.sleep(0.5)
    raise SystemExit("no drift check ran")


def out_of_band(server: Process, emulator: Emulator, fixture: Fixture, token: str, timeout: float) -> dict:
    """Changes the comment of one prod schema by hand; times until serve reverted it, and which catalogs it read
    meanwhile (the products it read again)."""
    name = fixture.names[0]
    path = f"/api/2.1/unity-catalog/schemas/bench_{name}_prod.orders"
    original = api(emulator.url, "GET", path, token).get("comment")
    before = emulator.stats()["requests"]
    started = time.perf_counter()
    api(emulator.url, "PATCH", path, token, {"comment": "changed by hand"})
    reverted = None
    while time.perf_counter() - started < timeout:
        statuses = json.loads(http_get(server.url + "/api/v1/status"))["products"]
        prod = next(s for s in statuses if s["product"] == f"orders-{name}" and s["target"] == "prod")
        if prod["outcome"] == "applied":
            reverted = time.perf_counter() - started
            break
        time.sleep(0.2)
    comment = api(emulator.url, "GET", path, token).get("comment")
    entries = emulator.requests()[before:]
    catalogs = {e["path"].rsplit("/", 1)[1] for e in entries
                if e["method"] == "GET" and e["path"].startswith("/api/2.1/unity-catalog/catalogs/")}
    return {"seconds": reverted, "reverted": comment == original, "catalogs_read": sorted(catalogs),
            "requests": len(entries) - 2}


def scenario(args, bin_dir: pathlib.Path, fixture: Fixture, mode: str, latency: int, processes: list) -> dict:
    """One run of serve against a fresh emulator: converge, no-change cycles, an out-of-band change in prod."""
    pairs = args.products * len(TARGETS)
    tag = f"-{mode}-{latency}"
    env = dict(fixture.env, BENCH_DATABRICKS_TOKEN="bench-" + os.urandom(8).hex(), BENCH_API_TOKEN=API_TOKEN)
    emulator_process = Process(
        [str(bin_dir / "lakegate-emulator"), "--port", "0", "--token", env["BENCH_DATABRICKS_TOKEN"],
         "--latency-ms", str(latency)], fixture.work / f"emulator{tag}.log", env)
    processes.append(emulator_process)
    emulator = Emulator(emulator_process.url)
    config = fixture.config(emulator.url, args.concurrency, args.interval, mode, args.drift_interval, tag)
    subprocess.run([str(bin_dir / "lakegate"), "config", "validate", "--config", str(config)], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    log(f"[{mode}, {latency} ms] lakegate serve: {pairs} pairs, concurrency {args.concurrency}")
    load_before = os.getloadavg()
    server = Process([str(bin_dir / "lakegate"), "serve", "--config", str(config)], fixture.work / f"serve{tag}.log",
                     env)
    processes.append(server)
    converged = converge(server, fixture, emulator, pairs, args.timeout)
    log(f"[{mode}, {latency} ms] converged in {converged['seconds']:.1f} s ({converged['cpu']:.1f} s CPU), "
        f"{converged['requests']} API requests")
    if mode == "audit":
        wait_for_drift_check(server, args.timeout)
    cycle_results = cycles(server, emulator, pairs, args.products, args.cycles, args.timeout)
    drift = out_of_band(server, emulator, fixture, env["BENCH_DATABRICKS_TOKEN"], args.timeout)
    log(f"[{mode}, {latency} ms] out-of-band change in prod: {drift}")
    entries = emulator.requests()
    cycle_entries = [e for c in cycle_results for e in entries[c["log_start"]:c["log_end"]]]
    server.stop()
    emulator_process.stop()
    return {"mode": mode, "latency": latency, "converged": converged, "cycles": cycle_results, "drift": drift,
            "cycle_breakdown": breakdown(cycle_entries, max(1, len(cycle_results))) if cycle_entries else "none",
            "load": (load_before, os.getloadavg())}


def rss_after_cycles(result: dict) -> str:
    """VmRSS of serve in MiB at convergence, then after each no-change cycle."""
    values = [result["converged"]["VmRSS"]] + [cycle["VmRSS"] for cycle in result["cycles"]]
    return " → ".join(f"{value / 1024:.0f}" for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bin_dir", type=pathlib.Path, help="folder with lakegate and lakegate-emulator")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--latencies", default="20,100", help="emulator latencies in ms, comma-separated")
    parser.add_argument("--modes", default="full,audit",
                        help="full: every pass reads everything (before issue 21); audit: the change log")
    parser.add_argument("--drift-interval", default="30s", help="sync.driftInterval in the audit mode")
    parser.add_argument("--concurrency", type=int, default=4, help="the controller's `concurrency` setting")
    parser.add_argument("--interval", default="2s", help="poll.interval between the no-change cycles")
    parser.add_argument("--cycles", type=int, default=5, help="no-change poll cycles to time")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for convergence")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (state, logs, repositories)")
    args = parser.parse_args()
    bin_dir = args.bin_dir.resolve()
    pairs = args.products * len(TARGETS)

    work = pathlib.Path(tempfile.mkdtemp(prefix="lakegate-bench-serve."))
    processes: list[Process] = []
    try:
        started = time.perf_counter()
        fixture = Fixture(work, args.products)
        fixture.make_all()
        log(f"{args.products} product repositories in {time.perf_counter() - started:.1f} s under {work}")
        results = [scenario(args, bin_dir, fixture, mode, int(latency), processes)
                   for latency in args.latencies.split(",") for mode in args.modes.split(",")]

        print(f"## bench-serve: {args.products} products × {len(TARGETS)} environments ({pairs} pairs), "
              f"concurrency {args.concurrency}, poll {args.interval}, audit mode driftInterval {args.drift_interval}\n")
        print("| latency | mode | converge from empty | no-change cycle: wall (median, max) | API requests per "
              "cycle (median, max) | out-of-band change in prod: reverted after | products read again |")
        print("|---|---|---|---|---|---|---|")
        for r in results:
            c, cy, d = r["converged"], r["cycles"], r["drift"]
            walls = [x["seconds"] for x in cy]
            requests = [x["requests"] for x in cy]
            print(f"| {r['latency']} ms | {r['mode']} | {c['seconds']:.1f} s, {c['cpu']:.1f} s CPU, "
                  f"{c['requests']} requests | {statistics.median(walls):.2f} s, {max(walls):.2f} s | "
                  f"{statistics.median(requests):.0f}, {max(requests)} | "
                  f"{'%.1f s' % d['seconds'] if d['seconds'] is not None else 'not reverted'}"
                  f"{'' if d['reverted'] else ' (comment NOT restored)'} | {len(d['catalogs_read'])} |")
        print()
        for r in results:
            print(f"- {r['latency']} ms, {r['mode']}: per-cycle requests {[x['requests'] for x in r['cycles']]}; "
                  f"by endpoint per cycle: {r['cycle_breakdown']}; load average "
                  f"{'/'.join(f'{x:.1f}' for x in r['load'][0])} → {'/'.join(f'{x:.1f}' for x in r['load'][1])}; "
                  f"catalogs read while the prod change was pending: {r['drift']['catalogs_read'][:4]}"
                  f"{' …' if len(r['drift']['catalogs_read']) > 4 else ''}; memory of serve: VmHWM "
                  f"{r['converged']['VmHWM'] / 1024:.0f} MiB at convergence, VmRSS after each cycle "
                  f"{rss_after_cycles(r)} MiB")
    finally:
        for process in reversed(processes):
            process.stop()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
