"""`make bench`: requests per second and latency of kyodo's public pages, served the way
`make run` serves them (gunicorn, SQLite in WAL mode, demo data), loaded from 127.0.0.1 only.

Each page is requested by CONCURRENCY keep-alive clients for DURATION seconds after a short
warm-up; the run stops by itself. The load generator shares the machine's cores with the
server, so the figures are a floor, comparable between runs on the same machine.

The other tables follow, each from its own script beside this one; the site search over
100,000 documents (bench/search.py) runs on SQLite, and on PostgreSQL too when
BENCH_SEARCH_POSTGRESQL is set (through scripts/with-postgres).
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import breakout  # bench/breakout.py, beside this file

DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
PAGES = [
    ("開催結果 (published results)", "/meetings/1/"),
    ("会員一覧 (member list)", "/networks/kagoshima/members/"),
    ("ホーム (home)", "/"),
    ("月のカレンダー (month calendar)", "/calendar/"),
    ("行事・会議 (calendar entry)", "/calendar/entries/1/"),
]
KYODO = [sys.executable, "-m", "kyodo"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(port: int, path: str, seconds: float) -> tuple[int, int, list[float]]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors, latencies


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="kyodo-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"KYODO_VAR_DIR": str(var), "PORT": str(port)}
    for command in (
        ["migrate", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["load_demo"],
    ):
        subprocess.run([*KYODO, *command], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kyodo.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", WORKERS, "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        for label, path in PAGES:
            load(port, path, 1.0)  # warm-up
            count, errors, latencies = load(port, path, DURATION)
            quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
            rows.append(
                (label, path, count / DURATION, quantiles[49] * 1000, quantiles[94] * 1000, errors)
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nkyodo bench — gunicorn {WORKERS} workers, SQLite, {CONCURRENCY} clients, "
          f"{DURATION:.0f} s per page, {os.cpu_count()} cores\n")  # fmt: skip
    print("| page | path | requests/s | p50 ms | p95 ms | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for label, path, rps, p50, p95, errors in rows:
        print(f"| {label} | `{path}` | {rps:.0f} | {p50:.1f} | {p95:.1f} | {errors} |")
    breakout.print_table()
    print("\n| operation | data | time | SQL queries |")
    print("| --- | --- | ---: | ---: |")
    sys.stdout.flush()
    bench = Path(__file__).parent
    subprocess.run([sys.executable, str(bench / "surveys.py")], env=env, check=True)
    subprocess.run([sys.executable, str(bench / "calendar_feed.py")], env=env, check=True)
    subprocess.run([sys.executable, str(bench / "annual_pdf.py")], env=env, check=True)
    subprocess.run([sys.executable, str(bench / "search.py")], env=env, check=True)
    if os.environ.get("BENCH_SEARCH_POSTGRESQL"):
        # The same search bench on a throwaway PostgreSQL server; doubles its few minutes.
        with_postgres = bench.parent / "scripts" / "with-postgres"
        subprocess.run(
            [str(with_postgres), sys.executable, str(bench / "search.py"), "--postgresql"],
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
