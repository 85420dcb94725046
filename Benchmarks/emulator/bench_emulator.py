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


PAGE_TIMES: list[float] = []


def list_all(http: requests.Session, url: str, path: str, params: dict, key: str, token_param: str) -> tuple[int, int]:
    count = pages = 0
    token = None
    PAGE_TIMES.clear()
    while True:
        query = dict(params)
        if token:
            query[token_param] = token
        started = time.perf_counter()
        body = http.get(url + path, params=query).json()
        PAGE_TIMES.append(time.perf_counter() - started)
        pages += 1
        count += len(body.get(key, []))
        token = body.get("next_page_token")
        if not token:
            return count, pages


def page_spread() -> str:
    """Mean time of the first and the last five pages: equal when a page costs the same wherever it is."""
    first = sum(PAGE_TIMES[:5]) / len(PAGE_TIMES[:5]) * 1000
    last = sum(PAGE_TIMES[-5:]) / len(PAGE_TIMES[-5:]) * 1000
    return f"first 5 pages {first:.1f} ms/page, last 5 pages {last:.1f} ms/page"


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
              f"({listed / size * 1e6:6.1f} µs/table; {page_spread()})", flush=True)
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
              f"({listed / size * 1e6:6.1f} µs/job; {page_spread()})", flush=True)
    return rows


def bench_rps(url, seconds, limit, clients):
    """Simple GETs from `clients` threads, each with its own keep-alive connection, for at most
    `seconds` and `limit` requests in total."""
    import threading

    requests.post(url + "/_emulator/reset").raise_for_status()
    target = url + f"/api/2.0/sql/warehouses/{WAREHOUSE}"
    counts = [0] * clients
    deadline = time.perf_counter() + seconds

    def loop(i):
        with requests.Session() as http:
            while sum(counts) < limit and time.perf_counter() < deadline:
                if http.get(target).status_code != 200:
                    raise SystemExit("unexpected status")
                counts[i] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(counts)
    print(f"simple GET, {clients} client(s): {total} requests in {elapsed:.2f}s = {total / elapsed:,.0f} requests/s",
          flush=True)
    return total / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", default=".build/release", type=pathlib.Path)
    parser.add_argument("--seconds", default=5.0, type=float, help="time budget of the requests/s loop")
    parser.add_argument("--requests", default=20000, type=int, help="request budget of the requests/s loop")
    parser.add_argument("--only-rps", action="store_true", help="skip the listing benchmarks")
    parser.add_argument("--table-sizes", default="1000,5000,10000", help="comma-separated table counts")
    parser.add_argument("--job-sizes", default="100,500,1000", help="comma-separated job counts")
    args = parser.parse_args()
    process, url = start(args.bin_dir)
    try:
        if not args.only_rps:
            with requests.Session() as http:
                bench_tables(http, url, [int(n) for n in args.table_sizes.split(",")])
                bench_jobs(http, url, [int(n) for n in args.job_sizes.split(",")])
        for clients in (1, 4):
            bench_rps(url, args.seconds, args.requests, clients)
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
