#!/usr/bin/env python3
"""Benchmark for lakegate-emulator: listing 1k/5k/10k tables and 100/500/1000 jobs page by page,
and requests per second for a simple GET with no injected latency.

Usage: Benchmarks/emulator/bench_emulator.py [--bin-dir .build/release] [--seconds 5]
Needs `requests` (the test virtualenv has it: .venv/bin/python Benchmarks/emulator/bench_emulator.py).
"""

import argparse
import pathlib
import subprocess
import time

import requests

WAREHOUSE = "a1b2c3d4e5f60001"


def start(bin_dir: pathlib.Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [str(bin_dir / "lakegate-emulator"), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    url = process.stdout.readline().decode().strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit("the emulator did not start")
    return process, url


def sql(http: requests.Session, url: str, statement: str) -> None:
    response = http.post(url + "/api/2.0/sql/statements", json={"statement": statement, "warehouse_id": WAREHOUSE})
    response.raise_for_status()
    state = response.json()["status"]["state"]
    if state != "SUCCEEDED":
        raise SystemExit(f"{statement}: {response.json()['status']}")


def list_all(http: requests.Session, url: str, path: str, params: dict, key: str, token_param: str) -> tuple[int, int]:
    count = pages = 0
    token = None
    while True:
        query = dict(params)
        if token:
            query[token_param] = token
        body = http.get(url + path, params=query).json()
        pages += 1
        count += len(body.get(key, []))
        token = body.get("next_page_token")
        if not token:
            return count, pages


def bench_tables(http, url, sizes):
    rows = []
    for size in sizes:
        http.post(url + "/_emulator/reset").raise_for_status()
        http.post(url + "/api/2.1/unity-catalog/catalogs", json={"name": "bench"}).raise_for_status()
        http.post(url + "/api/2.1/unity-catalog/schemas", json={"name": "s", "catalog_name": "bench"}).raise_for_status()
        started = time.perf_counter()
        for i in range(size):
            sql(http, url, f"CREATE TABLE bench.s.t{i:05d} (id BIGINT NOT NULL, name STRING COMMENT 'n', amount DECIMAL(10,2))")
        created = time.perf_counter() - started
        started = time.perf_counter()
        count, pages = list_all(
            http,
            url,
            "/api/2.1/unity-catalog/tables",
            {"catalog_name": "bench", "schema_name": "s", "max_results": 100},
            "tables",
            "page_token",
        )
        listed = time.perf_counter() - started
        assert count == size, (count, size)
        rows.append((size, pages, created, listed))
        print(f"tables {size:>6}: created in {created:6.2f}s, listed {count} in {pages} pages in {listed:6.3f}s "
              f"({listed / size * 1e6:6.1f} µs/table)", flush=True)
    return rows


def bench_jobs(http, url, sizes):
    rows = []
    for size in sizes:
        http.post(url + "/_emulator/reset").raise_for_status()
        for i in range(size):
            http.post(url + "/api/2.2/jobs/create", json={
                "name": f"job-{i:05d}", "tags": {"managed-by": "lakegate"},
                "tasks": [{"task_key": "t1", "notebook_task": {"notebook_path": "/Shared/nb"}}],
            }).raise_for_status()
        started = time.perf_counter()
        count, pages = list_all(http, url, "/api/2.2/jobs/list", {"limit": 100}, "jobs", "page_token")
        listed = time.perf_counter() - started
        assert count == size, (count, size)
        rows.append((size, pages, listed))
        print(f"jobs   {size:>6}: listed {count} in {pages} pages in {listed:6.3f}s "
              f"({listed / size * 1e6:6.1f} µs/job)", flush=True)
    return rows


def bench_rps(http, url, seconds, limit):
    http.post(url + "/_emulator/reset").raise_for_status()
    target = url + f"/api/2.0/sql/warehouses/{WAREHOUSE}"
    http.get(target).raise_for_status()
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while count < limit and time.perf_counter() < deadline:
        response = http.get(target)
        if response.status_code != 200:
            raise SystemExit(f"unexpected status {response.status_code}")
        count += 1
    elapsed = time.perf_counter() - started
    print(f"simple GET: {count} requests in {elapsed:.2f}s = {count / elapsed:,.0f} requests/s "
          "(one keep-alive connection, sequential)", flush=True)
    return count / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", default=".build/release", type=pathlib.Path)
    parser.add_argument("--seconds", default=5.0, type=float, help="time budget of the requests/s loop")
    parser.add_argument("--requests", default=20000, type=int, help="request budget of the requests/s loop")
    args = parser.parse_args()
    process, url = start(args.bin_dir)
    try:
        with requests.Session() as http:
            bench_tables(http, url, [1000, 5000, 10000])
            bench_jobs(http, url, [100, 500, 1000])
            bench_rps(http, url, args.seconds, args.requests)
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
