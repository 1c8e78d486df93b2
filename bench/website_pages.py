"""Throughput of public website pages for anonymous visitors, with and without the page cache.

    .venv/bin/python bench/website_pages.py [--duration 10] [--clients 8]

Creates the PostgreSQL database ``wohnfair_bench_website`` on the server of
DATABASE_URL, migrates it, creates the cache tables, loads the demo and starts
``gunicorn wohnfair.wsgi -w 2`` on 127.0.0.1 with ``bench.website_settings`` (the
project's settings and URLs plus ``/bench/bare/``, a view returning 1 KB). Client
threads of this process (standard library ``http.client``, one connection object
each, re-opened when gunicorn's sync workers close it; no cookies, like a first
visit) then request, each for ``--duration`` seconds:

1. with the page cache on (warmed up): the bare view, the start page and a news page;
2. after restarting gunicorn with ``WOHNFAIR_PAGE_CACHE=false``: the same three.

It prints requests per second, p50 and p95 in milliseconds and where the CPU
went, and the ratios against the targets: a cached page at least 0.5 times the
bare view's throughput, and at least 5 times the same page without the cache.
It never fails because of a figure: read the summary.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import drop_database, percentile, step
from bench.intake_load import HOST, CpuMeter, Server, free_port, setup

TIMEOUT = 30.0
CACHE_HEADER = "X-Wohnfair-Cache"


@dataclass
class Run:
    label: str
    path: str
    samples: list[float] = field(default_factory=list)  # ms of successful requests
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)  # X-Wohnfair-Cache values seen
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0


def hammer(port: int, run: Run, clients: int, seconds: float, server: Server) -> Run:
    """``clients`` threads request ``run.path`` as fast as answers come for ``seconds``."""
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def loop() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        headers = {"Host": f"{HOST}:{port}", "User-Agent": "wohnfair-bench/1"}
        samples, statuses, cache, errors = [], {}, {}, 0
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                connection.request("GET", run.path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                continue
            elapsed = (time.perf_counter() - began) * 1000
            statuses[response.status] = statuses.get(response.status, 0) + 1
            marker = response.getheader(CACHE_HEADER) or "-"
            cache[marker] = cache.get(marker, 0) + 1
            if response.status == 200:
                samples.append(elapsed)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        connection.close()
        with lock:
            run.samples.extend(samples)
            run.errors += errors
            for key, value in statuses.items():
                run.statuses[key] = run.statuses.get(key, 0) + value
            for key, value in cache.items():
                run.cache[key] = run.cache.get(key, 0) + value

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    meter = CpuMeter(server)
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * TIMEOUT)
    run.seconds = time.monotonic() - began
    run.cpu = meter.stop()
    return run


class PageServer(Server):
    """gunicorn as in the intake benchmark, ready when the bare view answers."""

    def wait_ready(self, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.tail()}")
            connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            try:
                connection.request("GET", "/bench/bare/", headers={"Host": f"{HOST}:{self.port}"})
                if connection.getresponse().status == 200 and len(self.workers()) == 2:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds} s:\n{self.tail()}")


def news_path() -> str:
    from wohnfair.website.models import NewsPage

    page = NewsPage.objects.live().public().filter(locale__language_code="de").first()
    if page is None:
        raise SystemExit("The demo has no published German news page.")
    return str(page.url)


def print_run(run: Run) -> None:
    p50 = percentile(run.samples, 50) if run.samples else float("nan")
    p95 = percentile(run.samples, 95) if run.samples else float("nan")
    cpu = run.cpu
    print(
        f"  {run.label:28} {run.rate:8.1f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"statuses {run.statuses} cache {run.cache} errors {run.errors}"
    )
    print(
        f"  {'':28} CPU: gunicorn {cpu.get('gunicorn', 0):.0%}, postgres "
        f"{cpu.get('postgres', 0):.0%}, client {cpu.get('client', 0):.0%}, machine busy "
        f"{cpu.get('busy', 0):.0%} (of all cores)"
    )


def measure(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, label: str, paths: dict[str, str]
) -> dict[str, Run]:
    port = free_port()
    server = PageServer(port, env, workdir / f"gunicorn-{label}.log", args.database)
    runs: dict[str, Run] = {}
    try:
        step(f"Starting gunicorn ({label})", server.wait_ready)
        # Warm up: imports, templates, connections, and (cache on) the stored pages.
        for path in paths.values():
            hammer(port, Run("warm-up", path), 2, args.warmup, server)
        for name, path in paths.items():
            runs[name] = hammer(
                port, Run(f"{name} ({label})", path), args.clients, args.duration, server
            )
            print_run(runs[name])
    finally:
        server.stop()
        log = server.log.read_text(errors="replace") if server.log.exists() else ""
        if "Traceback" in log:
            print(f"  gunicorn log {server.log} shows {log.count('Traceback')} tracebacks")
    return runs


def ratio(a: Run, b: Run) -> float:
    return a.rate / b.rate if b.rate else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per URL")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--database", default="wohnfair_bench_website")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    args.duration = min(max(args.duration, 2), 120)
    args.warmup = min(max(args.warmup, 0.5), 30)
    args.clients = min(max(args.clients, 1), 64)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.website_settings"
    os.environ["WOHNFAIR_ENV"] = "development"
    workdir = Path(tempfile.mkdtemp(prefix="wohnfair-bench-website-"))
    os.environ["WOHNFAIR_DATA_DIR"] = str(workdir)
    os.environ.setdefault("WOHNFAIR_LOG_LEVEL", "WARNING")  # no line per demo page
    url = setup(args.database)
    paths = {"bare view 1 KB": "/bench/bare/", "start page": "/", "news page": news_path()}
    print(f"URLs: {paths}; {args.clients} clients, {args.duration:.0f} s each")

    from django.db import connections

    connections.close_all()
    base_env = dict(os.environ, WOHNFAIR_DEBUG="false", PYTHONUNBUFFERED="1")
    results: dict[str, dict[str, Run]] = {}
    try:
        print("Page cache on:")
        results["on"] = measure(
            args, {**base_env, "WOHNFAIR_PAGE_CACHE": "true"}, workdir, "cache on", paths
        )
        print("Page cache off:")
        results["off"] = measure(
            args, {**base_env, "WOHNFAIR_PAGE_CACHE": "false"}, workdir, "cache off", paths
        )
    finally:
        if args.keep:
            print(f"Database {args.database} and logs in {workdir} kept.")
        else:
            drop_database(url, args.database)
            shutil.rmtree(workdir, ignore_errors=True)
            print(f"Database {args.database} dropped.")
    summary(results)


def summary(results: dict[str, dict[str, Any]]) -> None:
    on, off = results.get("on", {}), results.get("off", {})
    bare = on.get("bare view 1 KB")
    if not bare:
        return
    print("\nSummary (targets: cached page >= 0.5 x bare view, >= 5 x the same page uncached)")
    for name in ("start page", "news page"):
        cached, uncached = on.get(name), off.get(name)
        if not (cached and uncached):
            continue
        vs_bare, vs_uncached = ratio(cached, bare), ratio(cached, uncached)
        print(
            f"  {name:11} cached {cached.rate:7.1f}/s, uncached {uncached.rate:7.1f}/s, bare "
            f"{bare.rate:7.1f}/s: {vs_bare:.2f} x bare ({'met' if vs_bare >= 0.5 else 'MISSED'}), "
            f"{vs_uncached:.1f} x uncached ({'met' if vs_uncached >= 5 else 'MISSED'})"
        )
    control = off.get("bare view 1 KB")
    if control:
        print(
            f"  bare view in the second server: {control.rate:.1f}/s "
            f"({ratio(control, bare):.2f} x the first: how steady the machine was)"
        )


if __name__ == "__main__":
    main()
