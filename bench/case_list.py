"""How the staff case list scales: 10k, 100k and 1M cases of one organisation.

    .venv/bin/python bench/case_list.py [--sizes 10000,100000,1000000] [--requests 50]

Creates the PostgreSQL database ``wohnfair_bench`` on the server of DATABASE_URL
(default: postgres://postgres@127.0.0.1:5432/postgres), migrates it and loads
the demo; then grows the Planerladen (PL) to each size with ``generate_cases``
(plus a tenth as many cases in Bochum, BO) and measures, as the PL lead,

    GET /staff/faelle/?status=open&seite=3
    GET /staff/faelle/?merkmal=ethnic_origin&lebensbereich=flat_search

in-process with the Django test client: 5 warm-up requests, then 50 timed
ones (p50/p95 in ms). Ratios are against the smallest size of the same run.
Targets: p95 at 1M at most 1.5 x p95 at 10k; p95 at 100k below 100 ms.
Prints the figures; never fails on them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Timing, calibrate, database, measure, staff_client, step

LEAD = "leitung@planerladen.example"
PAGES = {
    "offen, Seite 3": "/staff/faelle/?status=open&seite=3",
    "Merkmal + Lebensbereich": "/staff/faelle/?merkmal=ethnic_origin&lebensbereich=flat_search",
}
RATIO_TARGET = 1.5


def count(number: int) -> str:
    """10.000 rather than 10,000: the German way of writing large numbers."""
    return f"{number:,}".replace(",", ".")


P95_TARGET_100K = 100.0


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers, e.g. 10000,100000")
    return sizes


def grow(code: str, target: int, seed: int) -> tuple[int, float]:
    """Generate cases until ``code`` has ``target``; return (added, seconds)."""
    from django.core.management import call_command

    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case

    organisation = Organisation.objects.get(code=code)
    missing = target - Case.objects.of_organisation(organisation).count()
    if missing <= 0:
        return 0, 0.0
    began = time.perf_counter()
    call_command(
        "generate_cases", org=code, count=missing, seed=seed, batch=5000, stdout=sys.stdout
    )
    return missing, time.perf_counter() - began


def report_line(label: str, timing: Timing, baseline: Timing | None) -> str:
    if timing.status != 200:
        return f"    {label:26} HTTP {timing.status}"
    ratio = ""
    if baseline is not None and baseline.status == 200:
        ratio = f"  (p50 x{timing.p50 / baseline.p50:.2f}, p95 x{timing.p95 / baseline.p95:.2f})"
    return (
        f"    {label:26} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
        f"{timing.queries:3d} queries ({timing.db_ms:5.1f} ms in SQL){ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("10000,100000,1000000"))
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--database", default="wohnfair_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    results: dict[int, dict[str, Timing]] = {}
    machine: dict[int, float] = {}
    generation: list[tuple[int, float]] = []
    with database(args.database, args.keep):
        for number, size in enumerate(args.sizes):
            print(f"\n== {count(size)} cases for PL ==")
            added, seconds = grow("PL", size, seed=1000 + number)
            if added:
                generation.append((added, seconds))
            grow("BO", size // 10, seed=2000 + number)
            client = step("Logging in as the PL lead", lambda: staff_client(LEAD))
            machine[size] = calibrate()
            print(f"    machine check (fixed Python work): {machine[size]:.1f} ms")
            results[size] = {}
            for label, url in PAGES.items():
                results[size][label] = measure(
                    client, url, requests=args.requests, warmup=args.warmup
                )
                print(report_line(label, results[size][label], None), flush=True)

    print_summary(args.sizes, results, machine, generation)


def print_summary(
    sizes: list[int],
    results: dict[int, dict[str, Timing]],
    machine: dict[int, float],
    generation: list[tuple[int, float]],
) -> None:
    smallest, largest = sizes[0], sizes[-1]
    print(f"\n== Summary (ratios against {count(smallest)} cases, same run) ==")
    for size in sizes:
        slower = machine[size] / machine[smallest]
        print(f"  {count(size):>9} cases (machine check x{slower:.2f})")
        for label in PAGES:
            print(report_line(label, results[size][label], results[smallest][label]))
    if generation:
        print("\n  generate_cases:")
        for added, seconds in generation:
            rate = added / seconds if seconds else 0
            print(f"    {count(added):>9} cases in {seconds:6.1f} s = {rate:6.0f} cases/s")
    print()
    for label in PAGES:
        base, top = results[smallest][label], results[largest][label]
        if len(sizes) > 1 and base.status == top.status == 200:
            ratio = top.p95 / base.p95
            verdict = "ok" if ratio <= RATIO_TARGET else "MISSED"
            print(
                f"  {label}: p95 {count(largest)}/{count(smallest)} = {ratio:.2f} "
                f"(target <= {RATIO_TARGET}) {verdict}"
            )
            slower = machine[largest] / machine[smallest]
            if abs(slower - 1) > 0.15:
                print(
                    f"    (the machine check took x{slower:.2f} as long at {count(largest)}; "
                    f"allowing for that: {ratio / slower:.2f}. Run again on a quiet machine.)"
                )
        if 100_000 in results and results[100_000][label].status == 200:
            p95 = results[100_000][label].p95
            verdict = "ok" if p95 < P95_TARGET_100K else "MISSED"
            print(f"  {label}: p95 at 100.000 = {p95:.1f} ms (target < 100 ms) {verdict}")


if __name__ == "__main__":
    main()
