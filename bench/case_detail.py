"""How the case page scales with its content: 5 against 200 incidents and notes.

    .venv/bin/python bench/case_detail.py [--large 200] [--requests 30] [--background 10000]

Creates the PostgreSQL database ``wohnfair_bench_detail`` on the server of
DATABASE_URL, migrates it, loads the demo and ``--background`` synthetic cases,
then opens two cases of the Planerladen through the normal services: one with
5 incidents and 5 notes, one with 200 of each. As the PL lead it measures
``GET /staff/faelle/<number>/`` for both: the number of database queries (one
request, CaptureQueriesContext) and p50/p95 of the timed requests after a
warm-up. The query count should not grow with the content (no N+1); the time
may grow with the HTML that is rendered, but not steeply.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import Timing, database, measure, staff_client, step

COUNSELLOR = "beratung@planerladen.example"
LEAD = "leitung@planerladen.example"


def build_case(entries: int, seed: int) -> str:
    """A PL case with ``entries`` incidents and as many notes; returns its number."""
    from django.utils import timezone

    from wohnfair.accounts.models import Organisation, User
    from wohnfair.cases import services
    from wohnfair.cases.models import District, Respondent, Term

    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    organisation = Organisation.objects.get(code="PL")
    counsellor = User.objects.get(email=COUNSELLOR)
    districts = list(District.objects.filter(organisation=organisation))
    respondents = list(Respondent.objects.of_organisation(organisation))

    def terms(vocabulary: str) -> list[Term]:
        return list(Term.objects.of(vocabulary))

    merkmale, areas, forms, evidence = (
        terms("merkmal"),
        terms("lebensbereich"),
        terms("form"),
        terms("evidence"),
    )

    def incident(day: date) -> services.IncidentData:
        return services.IncidentData(
            date=day,
            lebensbereich=rng.choice(areas),
            merkmale=rng.sample(merkmale, 2),
            description="Die Hausverwaltung lehnte erneut ab; die Begründung wechselte wieder.",
            district=rng.choice(districts),
            form=rng.choice(forms),
            respondent=rng.choice(respondents) if respondents else None,
            evidence=rng.sample(evidence, 2),
        )

    start = timezone.localdate() - timedelta(days=entries + 30)
    case = services.open_case(
        organisation=organisation,
        opened_by=counsellor,
        case_type="beratung",
        first_contact=start,
        channel=Term.objects.get(vocabulary="channel", code="walk_in"),
        person=services.PersonData(name="Leyla Benali", email="leyla.benali@post.example"),
        incident=incident(start),
        consents=["counselling", "statistics"],
    )
    for index in range(1, entries):
        services.add_incident(case, incident(start + timedelta(days=index)), by=counsellor)
    for index in range(entries):
        services.add_note(
            case, f"Gespräch {index + 1}: Stand besprochen, nächste Schritte.", by=counsellor
        )
    return case.number


def line(label: str, timing: Timing) -> str:
    return (
        f"  {label:22} {timing.queries:3d} queries ({timing.db_ms:5.1f} ms in SQL)  "
        f"p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--background", type=int, default=10_000)
    parser.add_argument("--database", default="wohnfair_bench_detail")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with database(args.database, args.keep):
        from django.core.management import call_command

        if args.background:
            step(
                f"Generating {args.background} background cases",
                lambda: call_command(
                    "generate_cases", org="PL", count=args.background, seed=5, verbosity=0
                ),
            )
        small = step(
            f"Case with {args.small} incidents and notes", lambda: build_case(args.small, 1)
        )
        large = step(
            f"Case with {args.large} incidents and notes", lambda: build_case(args.large, 2)
        )
        client = staff_client(LEAD)
        results = {}
        for label, number, size in [("small", small, args.small), ("large", large, args.large)]:
            timing = measure(
                client, f"/staff/faelle/{number}/", requests=args.requests, warmup=args.warmup
            )
            if timing.status != 200:
                raise SystemExit(f"GET /staff/faelle/{number}/ answered HTTP {timing.status}")
            results[label] = timing
            print(line(f"{size} incidents + notes", timing), flush=True)

    base, big = results["small"], results["large"]
    print(f"\n== Case page, {args.large} against {args.small} incidents and notes ==")
    print(line(f"{args.small} incidents + notes", base))
    print(line(f"{args.large} incidents + notes", big))
    print(
        f"  ratio: queries x{big.queries / max(base.queries, 1):.2f}, "
        f"p50 x{big.p50 / base.p50:.2f}, p95 x{big.p95 / base.p95:.2f}"
    )
    verdict = "constant (no N+1)" if big.queries == base.queries else "GROWS with the content"
    print(f"  query count: {verdict}")


if __name__ == "__main__":
    main()
