"""The statistics dashboard over one million cases: ORM aggregation against raw SQL.

    .venv/bin/python bench/monitoring_dashboard.py [--cases 1000000] [--repeat 5] [--keep]

Creates the PostgreSQL database ``wohnfair_bench_monitoring`` next to
DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/postgres), migrates
it, loads the demo and adds four more offices to the demo network (ada.nrw).
Then ``generate_cases`` fills the network up to ``--cases`` cases: half for
the Planerladen (PL), the rest spread evenly over BO and the four new offices
(with Merkmale, incidents, interventions and, for 80 %, consent to statistics).

Measured, each as the median of ``--repeat`` timed runs after one warm-up,
over all five generated years with yearly buckets:

    office   count_all(filters, [PL])                    vs the raw GROUP BY queries
    office   count_all after one month became stale      (rebuilds that month first)
    office   count_all from the 15th of the second month (its days counted on the spot)
    office   GET /staff/statistik/?... as the PL lead     vs the raw GROUP BY queries
    network  count_all(filters, members, pooled=True)    vs the raw GROUP BY queries
             (consented or anonymised cases only)
    network  count_all(pooled) after one stale month per office
    network  count_all(pooled) from the 15th of the second month

``count_all`` answers from the monthly summary (``monitoring/summary.py``);
``rebuild_statistics`` builds it first (timed; generated cases mark their
months stale, cloned ones are written in SQL around every signal). With
``--live`` the live path (``WOHNFAIR_STATISTICS_SUMMARY=False``: the GROUP BY
queries through the ORM) is measured too, once per path (it takes about as
long as the raw SQL).

The raw SQL is written by hand: the same groupings, one query per dimension
plus the distinct-case queries, executed in the same run on the same
connection. Targets: ratio <= 1.5 and absolute time < 1 s. Prints the figures;
never fails on them.
"""

# ruff: noqa: S608 (raw SQL baseline: only our own table names are formatted in)
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import calibrate, database, staff_client, step

LEAD = "leitung@planerladen.example"
RATIO_TARGET = 1.5
ABSOLUTE_TARGET_MS = 1000.0
EXTRA_OFFICES = [
    ("K1", "Antidiskriminierungsbüro Köln"),
    ("E1", "Beratung Essen"),
    ("D1", "Servicestelle Düsseldorf"),
    ("MS", "Beratung Münster"),
]


def count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def add_offices() -> list[str]:
    """Four more offices in the demo network, each with a counsellor, districts, respondents."""
    from wohnfair.accounts.models import Membership, Organisation, Role, User
    from wohnfair.cases.models import District, Respondent, Term

    network = Organisation.objects.get(code="ADA")
    kinds = list(Term.objects.of("verursachende"))
    for code, name in EXTRA_OFFICES:
        office, _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": Organisation.Kind.OFFICE}
        )
        network.member_organisations.add(office)
        user = User.objects.filter(email=f"beratung@{code.lower()}.example").first()
        if user is None:
            user = User.objects.create_user(f"beratung@{code.lower()}.example", None)
        Membership.objects.get_or_create(
            user=user, organisation=office, defaults={"role": Role.COUNSELLOR}
        )
        for n in range(8):
            District.objects.get_or_create(organisation=office, name=f"Bezirk {n + 1}")
        for n, kind in enumerate(kinds * 2):
            Respondent.objects.of_organisation(office).get_or_create(
                organisation=office, kind=kind, name=f"Vermietung {code} {n}"
            )
    return ["PL", "BO", *(code for code, _ in EXTRA_OFFICES)]


def grow(codes: list[str], total: int) -> None:
    from django.core.management import call_command

    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case

    shares = {"PL": total // 2}
    rest = total - shares["PL"]
    for code in codes[1:]:
        shares[code] = rest // (len(codes) - 1)
    for seed, code in enumerate(codes):
        organisation = Organisation.objects.get(code=code)
        missing = shares[code] - Case.objects.of_organisation(organisation).count()
        if missing > 0:
            print(f"  {code}: {count(missing)} cases")
            call_command(
                "generate_cases",
                org=code,
                count=missing,
                seed=3000 + seed,
                batch=5000,
                verbosity=0,
            )


# -- the raw SQL baseline ---------------------------------------------------------------


def raw_queries(pooled: bool) -> list[str]:
    """The dashboard's groupings written by hand (PostgreSQL).

    Parameters: %(orgs)s, %(start)s, %(end)s. Only table and column names of our
    own models are formatted into the text (S608 does not apply).
    """
    from wohnfair.cases.models import Case, Consent, Incident, Intervention, Respondent

    case = Case._meta.db_table
    incident = Incident._meta.db_table
    merkmale = Incident.merkmale.through._meta.db_table
    intervention = Intervention._meta.db_table
    respondent = Respondent._meta.db_table
    consent = Consent._meta.db_table
    where = (
        "c.organisation_id = ANY(%(orgs)s) AND c.first_contact >= %(start)s "
        "AND c.first_contact <= %(end)s"
    )
    if pooled:
        where += (
            f" AND (c.anonymised_at IS NOT NULL OR EXISTS (SELECT 1 FROM {consent} s "
            "WHERE s.case_id = c.id AND s.purpose = 'statistics' AND s.withdrawn_on IS NULL))"
        )
    year = "EXTRACT(YEAR FROM c.first_contact)"
    queries = []
    for column in ("case_type", "channel_id", "outcome_id", "closing_reason_id"):
        queries.append(
            f"SELECT c.{column}, {year}, COUNT(*) FROM {case} c "
            f"WHERE {where} AND c.{column} IS NOT NULL GROUP BY 1, 2"
        )
    for column in ("lebensbereich_id", "form_id", "ebene_id", "district_id"):
        queries.append(
            f"SELECT i.{column}, {year}, COUNT(DISTINCT c.id) FROM {incident} i "
            f"JOIN {case} c ON c.id = i.case_id WHERE {where} AND i.{column} IS NOT NULL "
            "GROUP BY 1, 2"
        )
    queries.append(
        f"SELECT r.kind_id, {year}, COUNT(DISTINCT c.id) FROM {incident} i "
        f"JOIN {case} c ON c.id = i.case_id JOIN {respondent} r ON r.id = i.respondent_id "
        f"WHERE {where} GROUP BY 1, 2"
    )
    queries.append(
        f"SELECT {year}, "
        + ", ".join(
            f"COUNT(DISTINCT c.id) FILTER (WHERE i.{column} IS NOT NULL)"
            for column in (
                "lebensbereich_id",
                "form_id",
                "ebene_id",
                "district_id",
                "respondent_id",
            )
        )
        + f" FROM {incident} i JOIN {case} c ON c.id = i.case_id WHERE {where} GROUP BY 1"
    )
    for select in ("m.term_id, ", ""):
        queries.append(
            f"SELECT {select}{year}, COUNT(DISTINCT c.id) FROM {merkmale} m "
            f"JOIN {incident} i ON i.id = m.incident_id JOIN {case} c ON c.id = i.case_id "
            f"WHERE {where} GROUP BY {'1, 2' if select else '1'}"
        )
    for select in ("v.kind_id, ", ""):
        queries.append(
            f"SELECT {select}{year}, COUNT(DISTINCT c.id) FROM {intervention} v "
            f"JOIN {case} c ON c.id = v.case_id WHERE {where} GROUP BY {'1, 2' if select else '1'}"
        )
    return queries


def run_raw(queries: list[str], params: dict[str, Any]) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query, params)
            rows += len(cursor.fetchall())
    return rows


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, list[float]]:
    action()  # warm-up
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), samples


def queries_of(action: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def line(label: str, ms: float, baseline: float | None, queries: int) -> str:
    ratio = f"  x{ms / baseline:.2f} of raw SQL" if baseline else ""
    verdict = ""
    if baseline:
        ok = ms / baseline <= RATIO_TARGET and ms < ABSOLUTE_TARGET_MS
        verdict = "  ok" if ok else "  MISSED"
    return f"    {label:44} {ms:8.1f} ms  {queries:3d} queries{ratio}{verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="wohnfair_bench_monitoring")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by an earlier --keep run"
    )
    parser.add_argument(
        "--clone", action="store_true", help="with --reuse: copy cases in SQL up to --cases"
    )
    parser.add_argument(
        "--live", action="store_true", help="also time the live count (slow: once per path)"
    )
    args = parser.parse_args()

    if args.reuse:
        reuse_database(args.database)
        codes = add_offices()
        if args.clone:
            step(f"Cloning generated cases up to {count(args.cases)}", lambda: clone(args.cases))
            step("ANALYZE", analyse)
        step("rebuild_statistics (every month)", rebuild)
        measure_all(codes, args.repeat, args.live)
        return
    with database(args.database, args.keep):
        codes = step("Adding offices to the network", add_offices)
        began = time.perf_counter()
        print(f"Generating {count(args.cases)} cases ...")
        grow(codes, args.cases)
        print(f"  done in {time.perf_counter() - began:.0f} s")
        step("ANALYZE", analyse)
        step("rebuild_statistics (every month)", rebuild)
        measure_all(codes, args.repeat, args.live)


def reuse_database(name: str) -> None:
    """Point Django at a database kept by an earlier run (``--keep``); no migrate, no demo."""
    import os
    import warnings

    from bench import ROOT, server_url, with_database

    os.environ["DATABASE_URL"] = with_database(server_url(), name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wohnfair.settings")
    os.environ["WOHNFAIR_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


CLONE_OFFSET = 10_000_000


def clone(target: int) -> None:
    """Copy the generated cases in SQL until the network holds about ``target`` cases.

    ``generate_cases`` writes about 100-400 cases/s on a busy machine; a million
    would take hours. Copies keep every statistical column and link (incidents,
    Merkmale, interventions, consents) with ids shifted by a fixed offset; copy 1
    to 4 go to PL, the rest round-robin to the other offices. Districts and
    respondents of copies stay those of the original (PL's): for timing that
    makes no difference.
    """
    from django.db import connection, transaction

    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case, Consent, Incident, Intervention

    originals = Case.objects.unscoped("bench").filter(id__lt=CLONE_OFFSET).count()
    copies = max(0, target // max(originals, 1) - 1)
    others = list(
        Organisation.objects.filter(code__in=["BO", *(c for c, _ in EXTRA_OFFICES)])
        .order_by("code")
        .values_list("id", flat=True)
    )
    pl = Organisation.objects.get(code="PL").pk
    tables = [
        (Case, {"id": "id + {off}", "number": "number || '-k{k}'", "organisation_id": "{org}"}),
        (Incident, {"id": "id + {off}", "case_id": "case_id + {off}"}),
        (
            Incident.merkmale.through,
            {"id": "id + {off}", "incident_id": "incident_id + {off}"},
        ),
        (Intervention, {"id": "id + {off}", "case_id": "case_id + {off}"}),
        (Consent, {"id": "id + {off}", "case_id": "case_id + {off}"}),
    ]
    for k in range(1, copies + 1):
        organisation = pl if k <= 4 else others[(k - 5) % len(others)]
        offset = k * CLONE_OFFSET
        with transaction.atomic(), connection.cursor() as cursor:
            for model, changed in tables:
                columns = [f.column for f in model._meta.local_concrete_fields]
                expressions = [
                    changed.get(column, column).format(off=offset, k=k, org=organisation)
                    for column in columns
                ]
                table = model._meta.db_table
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(expressions)} FROM {table} WHERE id < {CLONE_OFFSET}"
                )
        print(f"  copy {k}/{copies}", flush=True)


def rebuild() -> None:
    """Build the monthly summary from scratch (cloned cases were written around the signals)."""
    from django.core.management import call_command

    call_command("rebuild_statistics")
    analyse()


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_all(codes: list[str], repeat: int, with_live: bool) -> None:
    from django.db.models import Min
    from django.test import override_settings
    from django.utils import timezone

    from wohnfair.accounts.models import Organisation
    from wohnfair.cases.models import Case
    from wohnfair.monitoring.aggregation import Filters, Period, count_all
    from wohnfair.monitoring.summary import mark_months

    today = timezone.localdate()
    start = date(today.year - 5, 1, 1)
    filters = Filters(Period(start, today), "year")
    offices = list(Organisation.objects.filter(code__in=codes).order_by("code"))
    # From the 15th of the second month with cases: the days before it hold cases, so the
    # rest of that month is counted on the spot (the same cases as the raw SQL but 2 weeks).
    earliest = (
        Case.objects.unscoped("bench")
        .filter(organisation__in=offices)
        .aggregate(first=Min("first_contact"))["first"]
    )
    cut = (earliest.replace(day=1) + timedelta(days=32)).replace(day=15)
    cut_filters = Filters(Period(cut, today), "year")
    office = next(o for o in offices if o.code == "PL")
    total = Case.objects.unscoped("bench").filter(organisation__in=offices).count()
    in_office = Case.objects.of_organisation(office).count()
    # A month inside the period, as a counsellor's edit of one case makes it stale.
    edited = date(today.year - 2, 6, 1)
    print(f"\n== {count(total)} cases in the network, {count(in_office)} in PL ==")
    print(f"    period {start} – {today}, yearly buckets; median of {repeat} runs")
    print(f"    machine check (fixed Python work): {calibrate():.1f} ms")

    params_office = {"orgs": [office.pk], "start": start, "end": today}
    params_network = {"orgs": [o.pk for o in offices], "start": start, "end": today}

    client = staff_client(LEAD)
    url = f"/staff/statistik/?von={start.isoformat()}&bis={today.isoformat()}&einteilung=year"

    def view() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    results = []
    paths = [
        ("office (PL)", [office], False, raw_queries(False), params_office),
        (
            "network (ADA, pooled: consented or anonymised cases)",
            offices,
            True,
            raw_queries(True),
            params_network,
        ),
    ]
    for label, organisations, pooled, raw, params in paths:
        short = "office" if len(organisations) == 1 else "network"
        print(f"\n  {label}:")
        raw_ms, _ = timed(lambda raw=raw, params=params: run_raw(raw, params), repeat)
        print(line("raw SQL GROUP BY", raw_ms, None, len(raw)))

        def summary(organisations: list[Any] = organisations, pooled: bool = pooled) -> Any:
            return count_all(filters, organisations, pooled=pooled)

        summary_ms, _ = timed(summary, repeat)
        print(line("count_all (summary)", summary_ms, raw_ms, queries_of(summary)))
        results.append((f"{short} count_all", summary_ms, raw_ms))

        def after_change(organisations: list[Any] = organisations, pooled: bool = pooled) -> float:
            mark_months([(o.pk, edited) for o in organisations])  # not timed
            began = time.perf_counter()
            count_all(filters, organisations, pooled=pooled)
            return (time.perf_counter() - began) * 1000

        after_change()  # warm-up
        stale_ms = statistics.median(after_change() for _ in range(repeat))
        print(line(f"count_all, {len(organisations)} month(s) stale", stale_ms, raw_ms, 0))
        results.append((f"{short} after a change", stale_ms, raw_ms))

        def mid_month(organisations: list[Any] = organisations, pooled: bool = pooled) -> Any:
            # The days of the first month are counted on the spot, the rest is read.
            return count_all(cut_filters, organisations, pooled=pooled)

        edge_ms, _ = timed(mid_month, repeat)
        print(line(f"count_all, period from {cut}", edge_ms, raw_ms, queries_of(mid_month)))
        results.append((f"{short} from the 15th", edge_ms, raw_ms))
        if short == "office":
            view_ms, _ = timed(view, repeat)
            print(line("GET /staff/statistik/ (test client)", view_ms, raw_ms, queries_of(view)))
            results.append(("office view", view_ms, raw_ms))
        if with_live:
            with override_settings(WOHNFAIR_STATISTICS_SUMMARY=False):
                began = time.perf_counter()
                count_all(filters, organisations, pooled=pooled)
                live_ms = (time.perf_counter() - began) * 1000
            print(line("count_all live (no summary), 1 run", live_ms, raw_ms, 0))
            results.append((f"{short} live", live_ms, raw_ms))

    print("\n== Summary ==")
    for label, ms, raw in results:
        ratio = ms / raw
        print(
            f"  {label:24} {ms:9.1f} ms  raw {raw:9.1f} ms  ratio {ratio:.3f} "
            f"(<= {RATIO_TARGET}: {'ok' if ratio <= RATIO_TARGET else 'MISSED'}; "
            f"< 1 s: {'ok' if ms < ABSOLUTE_TARGET_MS else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
