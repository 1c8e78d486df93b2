"""The annual report PDF over 100,000 cases: counting, HTML and PDF rendering.

    .venv/bin/python bench/monitoring_report.py [--count 100000] [--repeat 3]

Creates the PostgreSQL database ``wohnfair_bench_report`` on the server of
DATABASE_URL, migrates it, loads the demo and grows the Planerladen (PL) with
``manage.py generate_cases --org PL --count 100000`` (first contacts spread
over the five years before today). Then, as the task would, it creates an
annual report with narrative texts and runs ``reports.generate_report`` (the
function the background task calls) end to end, for

    - the period that covers every generated case (five years up to today),
    - the last full calendar year,

and prints the split: counting (``count_all`` + goals + milestones), HTML
rendering, PDF rendering (WeasyPrint), encrypting and storing. The baseline is
the dashboard's raw ``GROUP BY`` queries (``bench/monitoring_dashboard.py``)
for the same period, measured in the same run. Target: the whole report in
under 10 seconds. Prints the figures; never fails on them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import calibrate, database, step

TARGET_SECONDS = 10.0
LEAD = "leitung@planerladen.example"


def count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def grow(total: int) -> int:
    from django.core.management import call_command

    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case

    organisation = Organisation.objects.get(code="PL")
    missing = total - Case.objects.of_organisation(organisation).count()
    if missing > 0:
        call_command("generate_cases", org="PL", count=missing, seed=4242, batch=5000, verbosity=0)
    return Case.objects.of_organisation(organisation).count()


def make_report(start: date, end: date, title: str) -> Any:
    from wohnfair.accounts.models import Organisation, User
    from wohnfair.monitoring import reports
    from wohnfair.monitoring.demo import NARRATIVE

    organisation = Organisation.objects.get(code="PL")
    lead = User.objects.get(email=LEAD)
    report = reports.create_report(
        organisation,
        by=lead,
        kind="annual",
        title=title,
        period_start=start,
        period_end=end,
    )
    reports.save_narrative(report, by=lead, texts=NARRATIVE)
    return report


def run_once(report: Any) -> tuple[float, Any]:
    from wohnfair.monitoring import reports

    timings = reports.Timings()
    began = time.perf_counter()
    ok = reports.generate_report(report, timings=timings)
    total = time.perf_counter() - began
    if not ok:
        raise SystemExit(f"report generation failed: {report.error}")
    return total, timings


def raw_baseline(start: date, end: date, repeat: int) -> tuple[float, int]:
    """Median ms of the dashboard's hand-written GROUP BY queries for the period."""
    from bench.monitoring_dashboard import raw_queries, run_raw
    from wohnfair.accounts.models import Organisation

    organisation = Organisation.objects.get(code="PL")
    queries = raw_queries(False)
    params = {"orgs": [organisation.pk], "start": start, "end": end}
    run_raw(queries, params)  # warm-up
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        run_raw(queries, params)
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), len(queries)


def cases_in(start: date, end: date) -> int:
    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case

    organisation = Organisation.objects.get(code="PL")
    return (
        Case.objects.of_organisation(organisation)
        .filter(first_contact__gte=start, first_contact__lte=end)
        .count()
    )


def measure(label: str, start: date, end: date, repeat: int) -> float:
    from wohnfair.monitoring import reports

    print(f"\n== {label}: {start} – {end}, {count(cases_in(start, end))} cases ==", flush=True)
    raw_ms, raw_n = raw_baseline(start, end, max(repeat, 5))
    print(f"    raw SQL GROUP BY baseline: {raw_ms:8.1f} ms ({raw_n} queries, median)")
    report = make_report(start, end, f"Bench {label}")
    # The first PDF of a process loads WeasyPrint and the fonts (a worker does that once).
    warm, _ = run_once(report)
    print(f"    warm-up run (not counted): {warm:6.2f} s", flush=True)
    totals = []
    for run in range(repeat):
        total, timings = run_once(report)
        totals.append(total)
        counting_ms = timings.counting * 1000
        print(
            f"    run {run + 1}: total {total:6.2f} s = counting {counting_ms:7.1f} ms "
            f"(x{counting_ms / raw_ms:.2f} of raw SQL) + HTML {timings.html * 1000:6.1f} ms "
            f"+ PDF {timings.pdf * 1000:7.1f} ms + storing {timings.storing * 1000:5.1f} ms "
            f"({count(report.file_size or 0)} bytes)",
            flush=True,
        )
    median = statistics.median(totals)
    verdict = "ok" if median < TARGET_SECONDS else "MISSED"
    print(f"    median total {median:.2f} s (target < {TARGET_SECONDS:.0f} s) {verdict}")
    reports.delete_report(report, by=None)
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="wohnfair_bench_report")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with database(args.database, args.keep):
        from django.utils import timezone

        total = step(f"Generating cases for PL (to {count(args.count)})", lambda: grow(args.count))
        print(f"    PL has {count(total)} cases")
        print(f"    machine check (fixed Python work): {calibrate():.1f} ms")
        today = timezone.localdate()
        results = {
            "all generated cases": measure(
                "all generated cases", date(today.year - 5, 1, 1), today, args.repeat
            ),
            "last full year": measure(
                "last full year",
                date(today.year - 1, 1, 1),
                date(today.year - 1, 12, 31),
                args.repeat,
            ),
        }
        print("\n== Summary ==")
        for label, seconds in results.items():
            verdict = "ok" if seconds < TARGET_SECONDS else "MISSED"
            print(f"  {label:22} {seconds:6.2f} s (target < {TARGET_SECONDS:.0f} s) {verdict}")


if __name__ == "__main__":
    main()
