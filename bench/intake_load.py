"""Load test of the reporting portal: real submissions over HTTP to gunicorn with two workers.

    .venv/bin/python bench/intake_load.py [--duration 60] [--clients 64] [--burst 200]

Creates the PostgreSQL database ``wohnfair_bench_intake`` on the server of
DATABASE_URL, migrates it, creates the cache table, loads the demo and starts
``gunicorn wohnfair.wsgi -w 2`` on 127.0.0.1 with ``bench.intake_settings``
(rate limits that never refuse but still count, a short minimum fill time, a
small proof of work; see there). Client threads of this process then act like
browsers (standard library only): each one opens the form (new cookies, CSRF
token, form token, signed start time), fetches a proof-of-work challenge and
solves it, waits the minimum fill time, posts the whole report (seven steps,
multipart, honeypot empty, consents) in one of the four languages and follows
the redirect to the confirmation page, which shows the reference and the
receipt code once. A report counts as confirmed when that page showed both.

Phases, each bounded in time:

1. baseline: ``GET /melden/`` from the same clients for a few seconds;
2. sustained: ``--clients`` reporters for ``--duration`` seconds; confirmed
   reports per second against the target of 50/s, and the stored rows against
   the confirmations;
3. burst: ``--burst`` reporters prepare their forms, then all post at once;
4. kill: like 2 for ``--kill-duration`` seconds, and half way through one
   gunicorn worker (not the master) is killed with SIGKILL. A reporter whose
   connection breaks sends the same form again, as a person would; every
   receipt must belong to a stored report, and no report may be stored twice.

After each phase the database is compared with what the clients saw: rows of
the phase's form tokens, receipts without a row, rows without a receipt,
reports stored twice (each report carries a unique marker in its description),
and for a sample the receipt code is checked against the stored hash. The
script also records how many used proof-of-work answers are still
remembered and tries to use one of them again, and compares the rate-limit
counters with the requests sent. It never fails because of a figure: read the
summary.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    ROOT,
    _Null,
    drop_database,
    percentile,
    recreate_database,
    server_url,
    step,
    with_database,
)

HOST = "127.0.0.1"
TARGET_PER_SECOND = 50.0
TIMEOUT = 60.0  # seconds for one HTTP request
RETRIES = 3  # sending the same request again after a broken connection
LANGUAGES = [("", "de"), ("/en", "en"), ("/tr", "tr"), ("/ar", "ar")]

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="submission_token" value="([^"]+)"')
STARTED_RE = re.compile(r'name="form_started" value="([^"]+)"')
CODE_RE = re.compile(r"data-receipt-code>(.*?)</p>", re.S)
REFERENCE_RE = re.compile(r'class="reference" dir="ltr">(M-\d{4}-[A-Z0-9]+)<')
ERROR_RE = re.compile(r'class="error-summary".*?</div>', re.S)
TAG_RE = re.compile(r"<[^>]+>")

# What a reporter may tell, varied by the number of the report.
SITUATIONS = [
    ["no_answer"],
    ["viewing_refused", "ad_excluded"],
    ["different_conditions"],
    ["landlord_harassment", "neighbour_harassment"],
    ["authority"],
]
PLACES = [
    ("44137", "Dortmund", "Innenstadt-West"),
    ("44787", "Bochum", ""),
    ("44866", "Bochum", "Wattenscheid"),
    ("50667", "Köln", ""),
    ("", "Dortmund", "Innenstadt-Nord"),
    ("99999", "", ""),
]
RESPONDENTS = ["housing_company", "private_landlord", "agent", "portal", "", "neighbour"]
GROUNDS = [["origin", "name"], ["religion"], ["income", "children"], ["disability"], []]


class Broken(Exception):
    """The connection broke (e.g. the worker died) and retries did not help."""


# HTTP as a browser does it --------------------------------------------------------------


class Browser:
    """One reporter: its own cookies, one connection per request (gunicorn's sync
    workers close every connection after the response anyway)."""

    def __init__(self, port: int, prefix: str, language: str) -> None:
        self.port = port
        self.prefix = prefix
        self.language = language
        self.cookies: dict[str, str] = {}
        self.requests = 0
        self.retries = 0
        self.resent: Counter[str] = Counter()  # "POST", "GET" of requests sent again

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, str]:
        """Status, headers and text; the same request again if the connection breaks."""
        last: Exception | None = None
        for attempt in range(RETRIES + 1):
            if attempt:
                self.retries += 1
                self.resent[method] += 1
                time.sleep(0.2 * attempt)
            try:
                return self._once(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                last = error
        raise Broken(f"{method} {path}: {type(last).__name__}: {last}")

    def _once(
        self, method: str, path: str, body: bytes | None, extra: dict[str, str] | None
    ) -> tuple[int, Any, str]:
        self.requests += 1
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            headers = {
                "Host": f"{HOST}:{self.port}",
                "User-Agent": "wohnfair-bench/1",
                "Accept": "text/html,application/json",
                "Accept-Language": self.language,
            }
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers.update(extra or {})
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            connection.close()


def multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    """The body a browser sends for the form (enctype multipart/form-data, no file chosen)."""
    boundary = "----wohnfairbench" + secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def report_fields(number: int, marker: str) -> list[tuple[str, str]]:
    """Steps 1–7 of a plausible report; every fourth asks for counselling with contact data."""
    rng = random.Random(number)  # noqa: S311 (benchmark data)
    postcode, city, district = PLACES[number % len(PLACES)]
    fields = [(name, value) for name in ["situations"] for value in SITUATIONS[number % 5]]
    fields += [
        (
            "description",
            "Nachdem ich meinen Namen genannt hatte, hieß es plötzlich, die Wohnung sei schon "
            f"vergeben. Eine Bekannte bekam am selben Tag einen Termin. [{marker}]",
        ),
        ("incident_date", (date.today() - timedelta(days=3 + number % 300)).isoformat()),
        ("postcode", postcode),
        ("city", city),
        ("district", district),
        ("respondent_kind", RESPONDENTS[number % len(RESPONDENTS)]),
        ("respondent_name", rng.choice(["Wohnbau Beispiel GmbH", "", "Herr M."])),
    ]
    if number % 2:
        fields.append(("date_is_approximate", "on"))
    fields += [("grounds", ground) for ground in GROUNDS[number % len(GROUNDS)]]
    counselling = number % 4 == 0
    fields.append(("wish", "counselling" if counselling else "document_only"))
    if number % 3 == 0:
        fields.append(("consent_publication", "on"))
    if counselling:
        fields += [
            ("contact_name", "Ayşe Beispiel"),
            ("contact_email", ""),
            ("contact_phone", "0231 123456"),
            ("preferred_language", rng.choice(["tr", "de", "ar", ""])),
            ("call_times", "nachmittags"),
            ("consent_counselling", "on"),
        ]
    else:
        fields += [
            ("contact_name", ""),
            ("contact_email", ""),
            ("contact_phone", ""),
            ("preferred_language", ""),
            ("call_times", ""),
        ]
    fields.append(("consent_statistics", "on"))
    return fields


@dataclass
class Outcome:
    kind: str  # "receipt" | "stored_no_code" | "error"
    token: str = ""
    marker: str = ""
    reference: str = ""
    code: str = ""
    detail: str = ""
    pow_challenge: str = ""
    pow_answer: str = ""
    post_ms: float = 0.0
    finished: float = 0.0
    requests: int = 0
    retries: int = 0
    posts: int = 0
    resent: Counter[str] = field(default_factory=Counter)


@dataclass
class Prepared:
    browser: Browser
    fields: list[tuple[str, str]]
    outcome: Outcome
    ready_at: float


def prepare(port: int, number: int, phase: str, min_fill: float) -> Prepared:
    """Open the form and solve a proof of work (what happens before the person presses send)."""
    from wohnfair.intake import spam

    prefix, language = LANGUAGES[number % len(LANGUAGES)]
    browser = Browser(port, prefix, language)
    marker = f"bench-{phase}-{number}-{secrets.token_hex(4)}"
    outcome = Outcome("error", marker=marker)
    status, _headers, page = browser.request("GET", f"{prefix}/melden/")
    opened = time.monotonic()
    if status != 200:
        raise RuntimeError(f"GET form {status}")
    csrf, token, started = CSRF_RE.search(page), TOKEN_RE.search(page), STARTED_RE.search(page)
    if not (csrf and token and started):
        raise RuntimeError("form without csrf, submission or start token")
    outcome.token = token.group(1)
    status, _headers, text = browser.request("GET", f"{prefix}/melden/pow/")
    if status != 200:
        raise RuntimeError(f"GET pow {status}")
    challenge = json.loads(text)
    outcome.pow_challenge = challenge["challenge"]
    outcome.pow_answer = spam.solve(challenge)
    fields = [
        ("csrfmiddlewaretoken", csrf.group(1)),
        ("submission_token", outcome.token),
        ("form_started", started.group(1)),
        ("pow", outcome.pow_answer),
        ("website", ""),
        *report_fields(number, marker),
    ]
    # The signed start is whole seconds, rounded down: waiting min_fill after the page
    # arrived is always enough.
    return Prepared(browser, fields, outcome, opened + min_fill + 0.02)


def send(prepared: Prepared, pow_answer: str | None = None) -> Outcome:
    """Post the report and open the confirmation page it leads to."""
    browser, outcome = prepared.browser, prepared.outcome
    fields = prepared.fields
    if pow_answer is not None:
        fields = [(k, pow_answer if k == "pow" else v) for k, v in fields]
    body, content_type = multipart(fields)
    origin = f"http://{HOST}:{browser.port}"
    headers = {
        "Content-Type": content_type,
        "Origin": origin,
        "Referer": f"{origin}{browser.prefix}/melden/",
    }
    try:
        began = time.perf_counter()
        before = browser.requests
        status, response_headers, page = browser.request(
            "POST", f"{browser.prefix}/melden/", body, headers
        )
        outcome.posts = browser.requests - before
        outcome.post_ms = (time.perf_counter() - began) * 1000
        if status == 302 and "/melden/bestaetigung/" in (response_headers["Location"] or ""):
            status, _headers, page = browser.request("GET", response_headers["Location"])
            code = CODE_RE.search(page)
            reference = REFERENCE_RE.search(page)
            if status == 200 and code and reference:
                outcome.kind = "receipt"
                outcome.code = "".join(
                    char for char in TAG_RE.sub("", code.group(1)) if char.isdigit()
                )
                outcome.reference = reference.group(1)
            elif status == 200 and reference:
                outcome.kind, outcome.reference = "stored_no_code", reference.group(1)
                outcome.detail = "confirmation without code"
            else:
                outcome.detail = f"confirmation {status}"
        elif status == 200 and (reference := REFERENCE_RE.search(page)):
            outcome.kind, outcome.reference = "stored_no_code", reference.group(1)
            outcome.detail = "already sent"
        else:
            summary = ERROR_RE.search(page)
            text = " ".join(TAG_RE.sub(" ", summary.group(0)).split()) if summary else ""
            outcome.detail = f"POST {status} {text}".strip()
    except Broken as error:
        outcome.detail = f"broken: {error}"
    outcome.requests, outcome.retries = browser.requests, browser.retries
    outcome.resent = browser.resent
    outcome.finished = time.monotonic()
    return outcome


def report_once(port: int, number: int, phase: str, min_fill: float) -> Outcome:
    try:
        prepared = prepare(port, number, phase, min_fill)
    except (Broken, RuntimeError, ValueError, KeyError) as error:
        return Outcome("error", detail=f"prepare: {error}", finished=time.monotonic())
    pause = prepared.ready_at - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    return send(prepared)


# Running phases ------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    began: float = 0.0
    stop_at: float = 0.0
    ended: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def receipts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "receipt"]


def run_for(
    seconds: float, clients: int, work: Callable[[int], Outcome], phase: Phase, server: Server
) -> None:
    """``clients`` threads start new work until ``seconds`` have passed, then finish it."""
    numbers = itertools.count()
    lock = threading.Lock()

    def loop() -> None:
        while time.monotonic() < phase.stop_at:
            with lock:
                number = next(numbers)
            outcome = work(number)
            with lock:
                phase.outcomes.append(outcome)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    meter = CpuMeter(server)
    phase.began = time.monotonic()
    phase.stop_at = phase.began + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 4 * TIMEOUT)
    phase.ended = time.monotonic()
    phase.cpu = meter.stop()


def rate(phase: Phase, warmup: float) -> tuple[float, int, float]:
    """Confirmed reports per second that finished between began+warmup and stop_at."""
    start = phase.began + warmup
    window = max(0.001, phase.stop_at - start)
    count = sum(1 for o in phase.receipts() if start <= o.finished <= phase.stop_at)
    return count / window, count, window


# Server and machine ---------------------------------------------------------------------


class Server:
    def __init__(
        self, port: int, env: dict[str, str], log: Path, database: str, threads: int = 0
    ) -> None:
        self.port = port
        self.database = database
        self.log = log
        self._log_handle = log.open("wb")
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "wohnfair.wsgi",
            "-w",
            "2",
            "-b",
            f"{HOST}:{port}",
        ]
        if threads:
            command += ["--threads", str(threads)]  # gthread workers
        self.command = " ".join(command[1:])
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=self._log_handle, stderr=subprocess.STDOUT
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.tail()}")
            try:
                status, _h, _t = Browser(self.port, "", "de")._once("GET", "/melden/", None, None)
                if status == 200 and len(self.workers()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {seconds} s:\n{self.tail()}")

    def workers(self) -> list[int]:
        master = self.process.pid
        try:
            text = Path(f"/proc/{master}/task/{master}/children").read_text()
            return [int(pid) for pid in text.split()]
        except OSError:
            found = []
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        stat = (entry / "stat").read_text()
                    except OSError:
                        continue
                    if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                        found.append(int(entry.name))
            return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_handle.close()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _ticks(pid: int) -> float:
    try:
        fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def _backends(database: str) -> list[int]:
    """PostgreSQL server processes serving ``database`` (their title names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:
                continue
            if title.startswith("postgres:") and f" {database} " in title:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """Where the machine's CPU went during a phase: this client, the gunicorn workers
    and the PostgreSQL backends of the bench database (processes alive at the start
    or the end; a killed worker's share is lost), and everything else: other work on
    the machine, which makes the figures noisy."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.began = time.monotonic()
        self.machine = _machine()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.client = usage.ru_utime + usage.ru_stime
        self.workers = {pid: _ticks(pid) for pid in server.workers()}
        self.backends = {pid: _ticks(pid) for pid in _backends(server.database)}

    def stop(self) -> dict[str, float]:
        busy, total = _machine()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wall_cpus = max(0.001, total - self.machine[1])
        workers = sum(
            _ticks(pid) - self.workers.get(pid, 0.0)
            for pid in set(self.server.workers()) | set(self.workers)
            if _ticks(pid)
        )
        backends = sum(
            _ticks(pid) - self.backends.get(pid, 0.0)
            for pid in set(_backends(self.server.database)) | set(self.backends)
            if _ticks(pid)
        )
        return {
            "gunicorn_seconds": workers,
            "postgres_seconds": backends,
            "postgres": backends / wall_cpus,
            "busy": (busy - self.machine[0]) / wall_cpus,
            "client": (usage.ru_utime + usage.ru_stime - self.client) / wall_cpus,
            "gunicorn": workers / wall_cpus,
        }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# Checking the database -------------------------------------------------------------------


@dataclass
class Check:
    flows: int
    receipts: int
    stored: int
    receipts_missing: int  # a receipt whose report is not in the database (or another one)
    stored_twice: int  # reports beyond one per form (same marker) or per token
    confirmed_twice: int  # one form confirmed more than once
    stored_without_receipt: int
    codes_checked: int
    codes_wrong: int
    errors: Counter[str]
    retried_flows: int
    resent: Counter[str]
    total_delta: int


def check(phase: Phase, total_before: int, code_sample: int) -> Check:
    from wohnfair.intake import receipts
    from wohnfair.intake.models import Report

    outcomes = phase.outcomes
    tokens = {o.token for o in outcomes if o.token}
    rows = list(
        Report.objects.unscoped("bench: compare with what the clients saw")
        .filter(submission_token__in=tokens)
        .values_list("submission_token", "reference", "receipt_hash", "description")
    )
    by_token = {token: (reference, digest) for token, reference, digest, _d in rows}
    markers = Counter(
        match.group(1)
        for *_rest, description in rows
        if (match := re.search(r"\[(bench-[^\]]+)\]", description or ""))
    )
    token_counts = Counter(token for token, *_rest in rows)
    stored_twice = sum(n - 1 for n in markers.values() if n > 1) + sum(
        n - 1 for n in token_counts.values() if n > 1
    )
    got = phase.receipts()
    confirmed_twice = len(got) - len({o.token for o in got})
    missing = [o for o in got if by_token.get(o.token, ("",))[0] != o.reference]
    receipt_tokens = {o.token for o in got}
    without = [token for token in by_token if token not in receipt_tokens]
    sample = [o for o in got if o.token in by_token][:code_sample]
    wrong = sum(1 for o in sample if not receipts.verify(o.code, by_token[o.token][1]))
    errors = Counter(
        re.sub(r"\d{2,}", "#", o.detail)[:110] for o in outcomes if o.kind != "receipt"
    )
    total_now = Report.objects.unscoped("bench: count").count()
    return Check(
        flows=len(outcomes),
        receipts=len(got),
        stored=len(rows),
        receipts_missing=len(missing),
        stored_twice=stored_twice,
        confirmed_twice=confirmed_twice,
        stored_without_receipt=len(without),
        codes_checked=len(sample),
        codes_wrong=wrong,
        errors=errors,
        retried_flows=sum(1 for o in outcomes if o.retries),
        resent=sum((o.resent for o in outcomes), Counter()),
        total_delta=total_now - total_before,
    )


def report_count() -> int:
    from wohnfair.intake.models import Report

    return Report.objects.unscoped("bench: count").count()


def print_check(result: Check) -> None:
    ratio = result.stored / result.receipts if result.receipts else float("nan")
    print(
        f"  forms sent {result.flows}, confirmed with receipt {result.receipts}, "
        f"stored {result.stored} (all new rows: {result.total_delta}); "
        f"stored/confirmed {ratio:.3f}"
    )
    print(
        f"  receipts without their report {result.receipts_missing}, stored twice "
        f"{result.stored_twice}, confirmed twice {result.confirmed_twice}, "
        f"stored without a receipt shown {result.stored_without_receipt}"
    )
    print(
        f"  receipt codes checked against the stored hash: {result.codes_checked}, "
        f"wrong {result.codes_wrong}; flows with a resent request {result.retried_flows} "
        f"(requests sent again after a broken connection: {dict(result.resent) or 0})"
    )
    for detail, count in result.errors.most_common(6):
        print(f"  not confirmed: {count} x {detail}")


def print_cpu(phase: Phase, per: str = "") -> None:
    cpu = phase.cpu
    done = len(phase.receipts())
    if cpu and per and done:
        worker_ms = cpu["gunicorn_seconds"] / done * 1000
        print(
            f"  CPU per {per}: gunicorn workers {worker_ms:.1f} ms, PostgreSQL "
            f"{cpu['postgres_seconds'] / done * 1000:.1f} ms; with all {os.cpu_count()} CPUs "
            f"for the workers at most {os.cpu_count() * 1000 / worker_ms:.0f} {per}s/s"
        )
    if cpu:
        other = cpu["busy"] - cpu["client"] - cpu["gunicorn"] - cpu["postgres"]
        print(
            f"  CPU of the machine ({os.cpu_count()} CPUs): busy {cpu['busy']:.0%}; "
            f"gunicorn workers {cpu['gunicorn']:.0%}, PostgreSQL (bench database) "
            f"{cpu['postgres']:.0%}, this client {cpu['client']:.0%}, "
            f"other processes and system {other:.0%}"
        )


def counters(scope: str) -> int:
    """The 'everyone' rate-limit counter of ``scope`` (this and the previous window)."""
    from wohnfair.intake import spam, state

    now = spam.current_window(scope)
    return sum(state.counted(spam.counter_key(scope, number, "all")) for number in (now - 1, now))


def state_rows() -> str:
    """Rows of the portal's short-lived state and of the database caches."""
    from django.db import connection

    from wohnfair.intake.models import PendingReceipt, RateCounter, UsedChallenge

    counts = [
        f"{model.__name__} {model.objects.count()}"
        for model in (RateCounter, UsedChallenge, PendingReceipt)
    ]
    with connection.cursor() as cursor:
        for table in ("wohnfair_cache", "wohnfair_onetime"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts.append(f"{table} {cursor.fetchone()[0]}")
    return ", ".join(counts)


def pow_claims_remembered(outcomes: list[Outcome]) -> tuple[int, int]:
    from wohnfair.intake import spam

    used = [o.pow_challenge for o in outcomes if o.kind == "receipt" and o.pow_challenge]
    remembered = sum(1 for challenge in used if spam.challenge_used(challenge))
    return remembered, len(used)


# The run ---------------------------------------------------------------------------------


def setup(database: str) -> str:
    """Like ``bench.setup_django``, with the cache tables (the one-time cache keeps the
    tokens of follow-up messages); returns the server URL."""
    url = server_url()
    recreate_database(url, database)
    os.environ["DATABASE_URL"] = with_database(url, database)
    os.environ["WOHNFAIR_DEBUG"] = "false"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    from django.core.management import call_command

    step("Migrating", lambda: call_command("migrate", verbosity=0))
    step("Creating the cache table", lambda: call_command("createcachetable", verbosity=0))
    step("Loading the demo", lambda: call_command("load_demo", verbosity=0, stdout=_Null()))
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of sustained load")
    parser.add_argument("--clients", type=int, default=64, help="concurrent reporters")
    parser.add_argument("--burst", type=int, default=200, help="reporters posting at once")
    parser.add_argument("--kill-duration", type=float, default=30, help="seconds of phase 4")
    parser.add_argument("--baseline", type=float, default=8, help="seconds of GET /melden/")
    parser.add_argument("--min-fill", type=int, default=1, help="minimum fill time (s)")
    parser.add_argument("--pow-max", type=int, default=1000, help="proof-of-work maxnumber")
    parser.add_argument("--code-sample", type=int, default=200, help="receipts checked by hash")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--threads", type=int, default=0, help="gunicorn --threads per worker (0: sync workers)"
    )
    parser.add_argument("--database", default="wohnfair_bench_intake")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    args.duration = min(max(args.duration, 5), 600)
    args.kill_duration = min(max(args.kill_duration, 6), 300)
    args.clients = min(max(args.clients, 1), 500)
    args.burst = min(max(args.burst, 1), 1000)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.intake_settings"
    os.environ["WOHNFAIR_ENV"] = "development"
    os.environ["WOHNFAIR_BENCH_MIN_FILL_SECONDS"] = str(args.min_fill)
    os.environ["WOHNFAIR_BENCH_POW_MAX_NUMBER"] = str(args.pow_max)
    workdir = Path(tempfile.mkdtemp(prefix="wohnfair-bench-intake-"))
    os.environ["WOHNFAIR_DATA_DIR"] = str(workdir)  # uploads (none here) stay out of var/

    url = setup(args.database)
    from django.conf import settings

    from wohnfair.intake import receipts

    print(
        f"Settings {os.environ['DJANGO_SETTINGS_MODULE']}: minimum fill "
        f"{settings.WOHNFAIR_INTAKE_MIN_FILL_SECONDS} s, proof of work up to "
        f"{settings.WOHNFAIR_POW_MAX_NUMBER}, rate limits counted but not refusing; "
        f"receipt hash {receipts.CURRENT}"
    )
    from django.db import connections

    connections.close_all()

    port = args.port or free_port()
    env = dict(os.environ, WOHNFAIR_DEBUG="false", PYTHONUNBUFFERED="1")
    server = Server(port, env, workdir / "gunicorn.log", args.database, args.threads)
    results: dict[str, Any] = {}
    try:
        step(f"Starting gunicorn {server.command}", server.wait_ready)
        print(f"  master {server.process.pid}, workers {server.workers()}")
        run_phases(args, server, results)
    finally:
        server.stop()
        crashes = 0
        if server.log.exists():
            crashes = server.log.read_text(errors="replace").count("Traceback")
            print(f"gunicorn log {server.log}: {crashes} tracebacks")
        if not (args.keep or crashes):
            shutil.rmtree(workdir, ignore_errors=True)
        if args.keep:
            print(f"Database {args.database} kept.")
        else:
            drop_database(url, args.database)
            print(f"Database {args.database} dropped.")
    summary(args, results)


def run_phases(args: argparse.Namespace, server: Server, results: dict[str, Any]) -> None:
    port = server.port

    # Warm both workers up (imports, templates, database connections).
    for number in range(4):
        report_once(port, 10_000_000 + number, "warmup", args.min_fill)

    # 1. Baseline --------------------------------------------------------------------
    print(f"\n1. Baseline: GET /melden/ with {args.clients} clients for {args.baseline:.0f} s")
    baseline = Phase("baseline")
    timings: list[float] = []
    statuses: Counter[int] = Counter()

    def view_form(number: int) -> Outcome:
        browser = Browser(port, "", "de")
        began = time.perf_counter()
        try:
            status, _h, _t = browser.request("GET", "/melden/")
        except Broken:
            status = 0
        timings.append((time.perf_counter() - began) * 1000)
        statuses[status] += 1
        return Outcome("receipt" if status == 200 else "error", finished=time.monotonic())

    run_for(args.baseline, args.clients, view_form, baseline, server)
    get_rate, get_count, window = rate(baseline, 1.0)
    results["get_rate"] = get_rate
    print(
        f"  {get_rate:.1f} requests/s ({get_count} in {window:.1f} s), "
        f"p50 {percentile(timings, 50):.0f} ms, p95 {percentile(timings, 95):.0f} ms, "
        f"statuses {dict(statuses)}"
    )
    print_cpu(baseline, "GET /melden/")

    # 2. Sustained ---------------------------------------------------------------------
    print(
        f"\n2. Sustained: {args.clients} reporters for {args.duration:.0f} s "
        f"(open form, proof of work, wait {args.min_fill} s, send, confirmation)"
    )
    submit_before, pow_before = counters("submit"), counters("pow")
    before = report_count()
    sustained = Phase("sustained")
    run_for(
        args.duration,
        args.clients,
        lambda n: report_once(port, n, "sustained", args.min_fill),
        sustained,
        server,
    )
    warmup = min(5.0, args.duration / 5)
    per_second, counted, window = rate(sustained, warmup)
    overall = len(sustained.receipts()) / max(0.001, sustained.ended - sustained.began)
    posts = [o.post_ms for o in sustained.outcomes if o.post_ms]
    results["rate"] = per_second
    print(
        f"  {per_second:.1f} confirmed reports/s ({counted} in the {window:.0f} s after "
        f"{warmup:.0f} s warm-up; {overall:.1f}/s over the whole phase including ramp and tail)"
    )
    if posts:
        print(
            f"  POST /melden/ (until the redirect): p50 {percentile(posts, 50):.0f} ms, "
            f"p95 {percentile(posts, 95):.0f} ms"
        )
    print_cpu(sustained, "confirmed report")
    result = check(sustained, before, args.code_sample)
    results["sustained"] = result
    print_check(result)
    sent_posts = sum(o.posts for o in sustained.outcomes)
    sent_pow = sum(1 for o in sustained.outcomes if o.pow_challenge)
    submit_counted = counters("submit") - submit_before
    pow_counted = counters("pow") - pow_before
    results["counters"] = (submit_counted, sent_posts, pow_counted, sent_pow)
    print(
        f"  rate-limit counters: submit counted {submit_counted} of {sent_posts} POSTs, "
        f"pow counted {pow_counted} of {sent_pow} challenges"
    )
    remembered, used = pow_claims_remembered(sustained.outcomes)
    results["pow_claims"] = (remembered, used)
    print(
        f"  used proofs of work still remembered: {remembered} of {used}; rows now: {state_rows()}"
    )
    results["replay"] = replay(port, sustained, args.min_fill)
    print(f"  an old proof of work used again for a new form: {results['replay']}")

    # 3. Burst -------------------------------------------------------------------------
    print(f"\n3. Burst: {args.burst} reporters prepare their forms, then all send at once")
    before = report_count()
    burst = Phase("burst")
    results["burst_info"] = run_burst(port, args, burst, server)
    print(results["burst_info"]["line"])
    print_cpu(burst, "confirmed report")
    result = check(burst, before, args.code_sample)
    results["burst"] = result
    print_check(result)

    # 4. Kill a worker -----------------------------------------------------------------
    print(
        f"\n4. Kill: {args.clients} reporters for {args.kill_duration:.0f} s, one gunicorn "
        f"worker gets SIGKILL after {args.kill_duration / 2:.0f} s"
    )
    before = report_count()
    kill = Phase("kill")
    killed: dict[str, Any] = {}

    def killer() -> None:
        while time.monotonic() < kill.began + args.kill_duration / 2:
            time.sleep(0.05)
        victim, doing = worker_in_transaction(server, seconds=min(5.0, args.kill_duration / 4))
        workers = server.workers()
        if victim is None:
            if not workers:
                killed["error"] = "no worker found"
                return
            victim, doing = workers[0], "no open transaction seen; killed anyway"
        # Only a child of the gunicorn master this script started, never the master.
        assert victim != server.process.pid and victim in workers
        os.kill(victim, signal.SIGKILL)
        killed.update(pid=victim, at=time.monotonic() - kill.began, workers=workers, doing=doing)

    kill.began = time.monotonic()  # for the killer; run_for sets it again a moment later
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    run_for(
        args.kill_duration,
        args.clients,
        lambda n: report_once(port, n, "kill", args.min_fill),
        kill,
        server,
    )
    thread.join(timeout=5)
    deadline = time.monotonic() + 30
    while len(server.workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    if "pid" in killed:
        print(
            f"  killed worker {killed['pid']} (of {killed['workers']}) at {killed['at']:.1f} s; "
            f"workers now {server.workers()}\n  the worker was: {killed['doing']}"
        )
    else:
        print(f"  no worker killed: {killed.get('error')}")
    kill_rate, counted, window = rate(kill, min(5.0, args.kill_duration / 5))
    print(f"  {kill_rate:.1f} confirmed reports/s during the phase ({counted} in {window:.0f} s)")
    print_cpu(kill)
    result = check(kill, before, args.code_sample)
    results["kill"] = result
    results["killed"] = killed
    print_check(result)


def _backend_ports(pid: int, server_port: int) -> set[int]:
    """Local ports of the worker's TCP connections to PostgreSQL (= client_port there)."""
    inodes = set()
    try:
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(descriptor)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return set()
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[9] in inodes and int(parts[2].rsplit(":", 1)[1], 16) == server_port:
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


def worker_in_transaction(server: Server, seconds: float) -> tuple[int | None, str]:
    """Watch pg_stat_activity for up to ``seconds`` until a worker's database
    connection is inside the transaction that stores a report (it has written, and its
    last statement touched the report or the audit log); (worker pid, what it did).

    Between seeing it and the SIGKILL a few milliseconds pass, so the transaction may
    have ended in between: the check after the phase does not rely on it."""
    from urllib.parse import urlsplit

    import psycopg

    url = os.environ["DATABASE_URL"]
    server_port = urlsplit(url).port or 5432
    deadline = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            for pid in server.workers():
                ports = _backend_ports(pid, server_port)
                if not ports:
                    continue
                row = connection.execute(
                    "SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                    "FROM pg_stat_activity WHERE datname = %s AND client_port = ANY(%s) "
                    "AND backend_xid IS NOT NULL AND state IN ('active', 'idle in transaction') "
                    "AND (query ILIKE '%%intake_report%%' OR query ILIKE '%%audit%%')",
                    [server.database, list(ports)],
                ).fetchone()
                if row is not None:
                    return pid, f"in a transaction ({row[0]}), last statement: {row[1]} ..."
            time.sleep(0.002)
    return None, ""


def replay(port: int, phase: Phase, min_fill: float) -> str:
    """Send a new form with the proof of work of a confirmed report of the phase
    (one whose use was forgotten, if there is one)."""
    from wohnfair.intake import spam
    from wohnfair.intake.models import Report

    used = [o for o in phase.receipts() if o.pow_answer]
    # Prefer an answer whose use is no longer recorded: that is the one at risk.
    forgotten = [o for o in used if not spam.challenge_used(o.pow_challenge)]
    first = (forgotten or used or [None])[0]
    if first is None:
        return "no confirmed report to take a proof of work from"
    try:
        prepared = prepare(port, 20_000_000, "replay", min_fill)
    except (Broken, RuntimeError) as error:
        return f"could not open a form: {error}"
    time.sleep(max(0.0, prepared.ready_at - time.monotonic()))
    outcome = send(prepared, pow_answer=first.pow_answer)
    stored = (
        Report.objects.unscoped("bench: replay").filter(submission_token=outcome.token).exists()
    )
    if outcome.kind == "receipt" or stored:
        return f"ACCEPTED (stored as {outcome.reference or '?'}): its use was no longer recorded"
    if "schon verwendet" in outcome.detail:
        return "refused as used"
    return f"refused ({outcome.detail[:160]})"


def run_burst(port: int, args: argparse.Namespace, phase: Phase, server: Server) -> dict[str, Any]:
    barrier = threading.Barrier(args.burst, timeout=120)
    lock = threading.Lock()
    released: list[float] = []

    def one(number: int) -> None:
        prepared: Prepared | None = None
        failure = ""
        try:
            prepared = prepare(port, number, "burst", args.min_fill)
        except (Broken, RuntimeError, ValueError, KeyError) as error:
            failure = f"prepare: {error}"
        if prepared is not None:
            time.sleep(max(0.0, prepared.ready_at - time.monotonic()))
        try:
            if barrier.wait() == 0:
                released.append(time.monotonic())
        except threading.BrokenBarrierError:
            failure = failure or "barrier broken"
        if prepared is None or failure:
            outcome = Outcome("error", detail=failure, finished=time.monotonic())
            if prepared is not None:
                outcome.token = prepared.outcome.token
        else:
            outcome = send(prepared)
        with lock:
            phase.outcomes.append(outcome)

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(args.burst)]
    meter = CpuMeter(server)
    phase.began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120 + 4 * TIMEOUT)
    phase.ended = phase.stop_at = time.monotonic()
    phase.cpu = meter.stop()
    start = released[0] if released else phase.began
    done = [o.finished for o in phase.receipts()]
    posts = [o.post_ms for o in phase.outcomes if o.post_ms]
    span = (max(done) - start) if done else float("nan")
    line = (
        f"  prepared in {start - phase.began:.1f} s; all {len(done)} confirmations within "
        f"{span:.1f} s after the release ({len(done) / span if done else 0:.1f}/s); POST "
        f"p50 {percentile(posts, 50) if posts else float('nan'):.0f} ms, "
        f"max {max(posts) if posts else float('nan'):.0f} ms"
    )
    return {"line": line, "span": span, "confirmed": len(done)}


def summary(args: argparse.Namespace, results: dict[str, Any]) -> None:
    print("\nSummary")
    if "rate" in results:
        per_second = results["rate"]
        verdict = "met" if per_second >= TARGET_PER_SECOND else "NOT met"
        print(
            f"  sustained: {per_second:.1f} confirmed reports/s = "
            f"{per_second / TARGET_PER_SECOND:.2f} x the target of {TARGET_PER_SECOND:.0f}/s "
            f"({verdict}); {per_second / results['get_rate']:.3f} x the rate of GET /melden/ "
            f"({results['get_rate']:.0f}/s)"
        )
    for name in ("sustained", "burst", "kill"):
        result: Check | None = results.get(name)
        if result is None:
            continue
        ratio = result.stored / result.receipts if result.receipts else float("nan")
        sound = (
            result.receipts_missing == 0
            and result.stored_twice == 0
            and result.confirmed_twice == 0
            and result.codes_wrong == 0
        )
        equal = result.stored == result.receipts
        print(
            f"  {name}: stored/confirmed {result.stored}/{result.receipts} = {ratio:.3f}"
            f"{' (equal)' if equal else ''}; every receipt stored, none twice: "
            f"{'yes' if sound else 'NO'}; not confirmed {result.flows - result.receipts} "
            f"of {result.flows}"
        )
    if "counters" in results:
        submit_counted, posts, pow_counted, pows = results["counters"]
        remembered, used = results["pow_claims"]
        print(
            f"  rate-limit counters: {submit_counted}/{posts} POSTs and {pow_counted}/{pows} "
            f"challenges counted; used proofs of work remembered {remembered}/{used}; "
            f"replay of an old proof of work: {results['replay']}"
        )


if __name__ == "__main__":
    main()
