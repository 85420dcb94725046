#!/usr/bin/env python3
"""Benchmark for several `lakegate serve` replicas on PostgreSQL state (issue 17), beside one on SQLite.

The bench-serve fixture (bench_serve.py: N product repositories shaped like Examples/orders, dev/qa/prod with
signed releases and approvals) against `lakegate-emulator --latency-ms L`, run in three set-ups one after the other,
each from an empty workspace and empty state: 1 replica on SQLite, 1 replica on PostgreSQL, R replicas on
PostgreSQL. PostgreSQL is a throwaway server from Debian's packages (initdb in a temp dir, as in the tests).

  converge     time from starting the replicas until every pair is deployed (the union of their /api/v1/status)
  no-change    after convergence, a window of W seconds of back-to-back passes: one cycle is the time the whole
               cluster takes to reconcile every pair once (W × pairs / reconciles in the window)
  CPU          per replica and per cycle (from /proc), and per cycle for the whole cluster
  DB per cycle PostgreSQL transactions per cycle (pg_stat_database.xact_commit; each statement outside a
               transaction is one), and rows read

Usage: .venv/bin/python Benchmarks/serve/bench_replicas.py BIN_DIR [--products 200] [--replicas 3]
       [--latency-ms 20] [--concurrency 4] [--window 60]
Prints a Markdown table on stdout and progress on stderr.
"""

import argparse
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "Tests" / "python"))
import bench_serve  # noqa: E402
from bench_serve import API_TOKEN, Emulator, Fixture, Process, http_get, log, metric_sum  # noqa: E402
from conftest import PostgresServer  # noqa: E402


def statuses(replicas: list[Process]) -> list[dict]:
    merged = {}
    for replica in replicas:
        for status in json.loads(http_get(replica.url + "/api/v1/status"))["products"]:
            merged[(status["product"], status["target"])] = status
    return list(merged.values())


def reconciles(replicas: list[Process]) -> float:
    return sum(metric_sum(http_get(r.url + "/metrics").decode(), "lakegate_reconciles_total") for r in replicas)


def run(setup: str, count: int, args, fixture: Fixture, bin_dir: pathlib.Path, postgres: PostgresServer | None,
        work: pathlib.Path) -> dict:
    pairs = args.products * 3
    env = dict(fixture.env, BENCH_DATABRICKS_TOKEN="bench-token", BENCH_API_TOKEN=API_TOKEN)
    emulator_process = Process([str(bin_dir / "lakegate-emulator"), "--port", "0", "--token", "bench-token",
                                "--latency-ms", str(args.latency_ms)], work / f"emulator-{setup}.log", env)
    emulator = Emulator(emulator_process.url)
    base = fixture.config(emulator.url, args.concurrency, "1s").read_text()
    database = None
    if postgres:
        url = postgres.database()
        database = url.rsplit("/", 1)[1]
        base += f"state: {{url: '{url}', leaseDuration: 15s}}\n"
        env.update(postgres.env())
    replicas: list[Process] = []
    try:
        started = time.perf_counter()
        for index in range(count):
            config = work / f"{setup}-{index}.yaml"
            config.write_text(base.replace(f"stateDir: {work / 'state'}", f"stateDir: {work / f'{setup}-state-{index}'}"))
            replicas.append(Process([str(bin_dir / "lakegate"), "serve", "--config", str(config)],
                                    work / f"{setup}-serve-{index}.log", dict(env, LAKEGATE_REPLICA_ID=f"r{index}")))
        while fixture.converged(statuses(replicas)) < pairs:
            if time.perf_counter() - started > args.timeout:
                raise SystemExit(f"{setup}: not converged after {args.timeout:.0f} s")
            time.sleep(0.5)
        converge = time.perf_counter() - started
        converge_cpu = [r.cpu_seconds() for r in replicas]
        log(f"{setup}: converged in {converge:.1f} s, CPU {['%.1f' % c for c in converge_cpu]}")

        def db() -> tuple[int, int]:
            if not postgres:
                return (0, 0)
            row = postgres.psql(database, "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database "
                                          f"WHERE datname = '{database}'").split("|")
            return int(row[0]), int(row[1])

        time.sleep(5)  # past the passes that finished convergence
        r0, c0, d0, t0 = reconciles(replicas), [r.cpu_seconds() for r in replicas], db(), time.perf_counter()
        time.sleep(args.window)
        r1, c1, d1, t1 = reconciles(replicas), [r.cpu_seconds() for r in replicas], db(), time.perf_counter()
        cycles = (r1 - r0) / pairs
        result = {
            "setup": setup, "replicas": count, "converge": converge, "converge_cpu": converge_cpu,
            "cycle": (t1 - t0) / cycles if cycles else float("inf"), "cycles": cycles,
            "cpu_per_cycle": [(b - a) / cycles for a, b in zip(c0, c1)] if cycles else [],
            "xacts_per_cycle": (d1[0] - d0[0]) / cycles if cycles and postgres else None,
            "rows_per_cycle": (d1[1] - d0[1]) / cycles if cycles and postgres else None,
        }
        log(f"{setup}: {cycles:.1f} cycles in {t1 - t0:.0f} s → {result['cycle']:.2f} s per cycle")
        return result
    finally:
        for replica in replicas:
            replica.stop()
        emulator_process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bin_dir", type=pathlib.Path)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--window", type=float, default=60, help="seconds of no-change passes to measure")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    bin_dir = args.bin_dir.resolve()
    work = pathlib.Path(tempfile.mkdtemp(prefix="lakegate-bench-replicas."))
    postgres = PostgresServer()
    try:
        load = os.getloadavg()
        fixture = Fixture(work, args.products)
        fixture.make_all()
        results = [run("sqlite", 1, args, fixture, bin_dir, None, work),
                   run("postgres", 1, args, fixture, bin_dir, postgres, work),
                   run(f"postgres-{args.replicas}", args.replicas, args, fixture, bin_dir, postgres, work)]
        print(f"## bench-replicas: {args.products * 3} pairs, {args.latency_ms} ms latency, concurrency "
              f"{args.concurrency} per replica (load average before {'/'.join(f'{x:.1f}' for x in load)})\n")
        print("| | " + " | ".join(f"{r['replicas']} × {r['setup'].split('-')[0]}" for r in results) + " |")
        print("|---|" + "---|" * len(results))
        print("| converge from empty (wall) | " + " | ".join(f"{r['converge']:.1f} s" for r in results) + " |")
        print("| CPU to converge, per replica | " + " | ".join(
            " / ".join(f"{c:.1f}" for c in r["converge_cpu"]) + " s" for r in results) + " |")
        print("| no-change cycle (wall) | " + " | ".join(f"{r['cycle']:.2f} s" for r in results) + " |")
        print("| CPU per no-change cycle, per replica | " + " | ".join(
            " / ".join(f"{c:.2f}" for c in r["cpu_per_cycle"]) + " s" for r in results) + " |")
        print("| DB transactions per no-change cycle | " + " | ".join(
            "n/a (SQLite)" if r["xacts_per_cycle"] is None else f"{r['xacts_per_cycle']:.0f}" for r in results) + " |")
        print("| DB rows read per no-change cycle | " + " | ".join(
            "n/a (SQLite)" if r["rows_per_cycle"] is None else f"{r['rows_per_cycle']:.0f}" for r in results) + " |")
    finally:
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
