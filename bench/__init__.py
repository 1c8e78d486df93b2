"""Benchmarks run on demand (never by pytest): shared setup and measuring helpers.

Each benchmark creates its own PostgreSQL database next to the one that
``DATABASE_URL`` names, migrates it, loads the demo and drops it again at the
end (unless ``--keep``). See ``bench/README.md``.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"Benchmarks need PostgreSQL; DATABASE_URL is {url.split(':')[0]}.")
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(database: str) -> str:
    """Create ``database`` next to DATABASE_URL's, point Django at it, migrate, load the demo.

    Returns the server URL (for dropping the database later).
    """
    url = server_url()
    recreate_database(url, database)
    os.environ["DATABASE_URL"] = with_database(url, database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wohnfair.settings")
    # Measure like production: no debug toolbar of queries, no debug pages.
    os.environ["WOHNFAIR_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    # Static files are collected only for production; the pages do not need them here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()

    from django.core.management import call_command

    step("Migrating", lambda: call_command("migrate", verbosity=0))
    step("Creating cache tables", lambda: call_command("createcachetable", verbosity=0))
    step("Loading the demo", lambda: call_command("load_demo", verbosity=0, stdout=_Null()))
    return url


class _Null:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def step(label: str, action: Callable[[], Any]) -> Any:
    print(f"{label} ...", end=" ", flush=True)
    began = time.perf_counter()
    result = action()
    print(f"{time.perf_counter() - began:.1f} s", flush=True)
    return result


def staff_client(email: str) -> Any:
    """A test client, logged in as ``email`` with a satisfied second factor."""
    from django.test import Client

    from wohnfair.accounts.models import User

    user = User.objects.get(email=email)
    # "localhost" is an allowed host in development settings; no test environment
    # is set up, so that templates are not instrumented (that would skew timings).
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp", "id": 1},
    ]
    session.save()
    return client


@dataclass
class Timing:
    samples: list[float]  # milliseconds
    queries: int
    status: int
    db_ms: float = 0.0  # time spent in the database during the counted request

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def measure(client: Any, url: str, *, requests: int = 50, warmup: int = 5) -> Timing:
    """Warm up, count the queries of one request, then time ``requests`` requests (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            return Timing([math.nan], 0, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Count now: the next request clears the connection's query log.
    queries = len(captured)
    db_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    samples = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return Timing(samples, queries, 200, db_ms)


def calibrate(rounds: int = 15) -> float:
    """p50 in ms of a fixed piece of pure Python work: how busy the machine is right now.

    Other processes on the machine slow every request down; comparing this figure
    between the sizes of one run tells a slower machine from a slower page.
    """
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        sorted(str(number * 7919 % 100_003) for number in range(60_000))
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


@contextmanager
def database(name: str, keep: bool) -> Iterator[None]:
    url = setup_django(name)
    try:
        yield
    finally:
        if keep:
            print(f"Database {name} kept.")
        else:
            drop_database(url, name)
            print(f"Database {name} dropped.")
