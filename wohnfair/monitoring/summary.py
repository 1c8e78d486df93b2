"""Pre-counted monthly figures, so that the dashboard need not count every case.

Every case counts by its first-contact month, so the figures of one
organisation and month are additive over any period of whole months, the
distinct cases per dimension value included. ``MonthlyCount`` holds them per
organisation, month, case type, status and whether the case qualifies for
pooled figures; ``count_all`` (``aggregation.py``) sums them for the whole
months of a period; the days of partial months at its edges are counted on the
spot by ``summary_cells``, the function that also rebuilds months.

Freshness is exact, never "as of last night": every change to counted case
data writes a ``StaleMonth`` row for the (organisation, month) it touches
(``signals.py``: model signals, and ``cases.signals.cases_changed`` for bulk
writes). Before reading, ``refresh`` rebuilds the stale months of the
requested organisations in the period, each with ``rebuild_month``: it reads
the month's cases, incidents, Merkmale and interventions once and counts them
by the rules of the live count (``aggregation.py``); the tests hold both to the
same figures. Only figures that changed are written. The periodic job
``refresh_statistics`` rebuilds stale months every minute, so that a read
rarely has to wait for a rebuild.

Concurrency: a rebuild locks the organisation's row, reads the ``StaleMonth``
rows of its months, rebuilds and deletes exactly the rows it read. A change
committed while it runs wrote a row it did not read, so the month stays
stale; a second rebuild waits for the lock and then finds nothing left to do.

``settings.WOHNFAIR_STATISTICS_SUMMARY = False`` counts everything live.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from wohnfair.accounts.models import Organisation
from wohnfair.cases.models import Case, Consent, ConsentPurpose, Incident, Intervention
from wohnfair.monitoring.aggregation import (
    DIMENSIONS,
    Counts,
    Dimension,
    DistinctCounts,
    Filters,
    Period,
    bucket_of,
)
from wohnfair.monitoring.models import MonthlyCount, StaleMonth


def enabled() -> bool:
    return bool(settings.WOHNFAIR_STATISTICS_SUMMARY)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _next_month(month: date) -> date:
    return _add_months(month, 1)


def _last_day(month: date) -> date:
    return _next_month(month) - timedelta(days=1)


# -- marking and rebuilding ----------------------------------------------------------


def mark_months(cells: Iterable[tuple[int | None, date | None]]) -> None:
    """Record that the cases of these (organisation id, day in month) changed."""
    months = sorted(
        {(org, month_of(day)) for org, day in cells if org is not None and day is not None}
    )
    StaleMonth.objects.bulk_create(
        [StaleMonth(organisation_id=org, month=month) for org, month in months]
    )


def _reads(organisation_id: int, period: Period) -> list[tuple[QuerySet[Any], list[Dimension]]]:
    """The incidents and the interventions of the organisation's cases in the period (the
    same managers as the live count), each with the dimensions read from it. A row's
    first field names its case, then one field per dimension: incidents come with their
    Merkmale joined (a row per Merkmal, or one without), which the counting by distinct
    (case, value) pairs takes in its stride."""
    in_period = {
        "case__organisation_id": organisation_id,
        "case__first_contact__gte": period.start,
        "case__first_contact__lte": period.end,
    }
    of_incidents = [d for d in DIMENSIONS.values() if d.source in ("incident", "merkmal")]
    of_interventions = [d for d in DIMENSIONS.values() if d.source == "intervention"]
    columns = ["merkmale" if d.source == "merkmal" else d.column for d in of_incidents]
    return [
        (
            Incident.objects.filter(**in_period).values_list("case_id", *columns),
            of_incidents,
        ),
        (
            Intervention.objects.filter(**in_period).values_list(
                "case_id", *[d.column for d in of_interventions]
            ),
            of_interventions,
        ),
    ]


# One figure of the summary: (month, case type, status, pooled, dimension, value).
Cell = tuple[date, str, str, bool, str, str]


def summary_cells(organisation_id: int, period: Period) -> dict[Cell, int]:
    """The figures of the cases with first contact in ``period``, counted like the live
    queries: whole months for the summary, the days at the edges of a period for reads.

    The rows of a few months are few, but the live ``GROUP BY`` queries would
    each join a whole table of incidents or consents (14 queries, each with the
    pooled test as a subquery). Here each source is read once, by the index on
    organisation and first contact (four queries: cases, consents, incidents with
    their Merkmale, interventions), and counted in Python with the rules of
    ``aggregation.py``: a case once per value of a dimension, distinct cases per
    dimension with any value (value ""). ``test_summary.py`` holds the result to
    the live count on random cases and after every kind of change.
    """
    reason = "statistics: counting the figures of one organisation"
    cases = Case.objects.unscoped(reason).filter(
        organisation_id=organisation_id,
        first_contact__gte=period.start,
        first_contact__lte=period.end,
    )
    consented = set(
        Consent.objects.filter(
            case__in=cases.values("pk"),
            purpose=ConsentPurpose.STATISTICS,
            withdrawn_on__isnull=True,
        ).values_list("case_id", flat=True)
    )
    # Every case gets the number of its (month, case type, status, pooled) group: small
    # integers hash faster than those tuples, which counting does once per mention.
    groups: dict[tuple[date, str, str, bool], int] = {}
    group_of: dict[int, int] = {}
    on_case = [d for d in DIMENSIONS.values() if d.source == "case"]
    mentions: dict[str, list[tuple[int, Any]]] = {d.code: [] for d in on_case}
    for case_id, first_contact, case_type, status, anonymised_at, *values in cases.values_list(
        "pk", "first_contact", "case_type", "status", "anonymised_at", *[d.column for d in on_case]
    ).order_by():
        pooled = anonymised_at is not None or case_id in consented
        group = groups.setdefault((month_of(first_contact), case_type, status, pooled), len(groups))
        group_of[case_id] = group
        for dimension, value in zip(on_case, values, strict=True):
            if value is not None:
                mentions[dimension.code].append((group, value))
    by_group: dict[str, Counter[tuple[int, Any]]] = {
        code: Counter(pairs) for code, pairs in mentions.items()
    }
    with_any: dict[str, Counter[int]] = {}
    for rows, dimensions in _reads(organisation_id, period):
        fetched = list(rows.order_by())
        for index, dimension in enumerate(dimensions, start=1):
            # A case counts once per value (a case added meanwhile, missing from
            # group_of, not at all: it marked its month stale again) ...
            pairs = {
                (row[0], row[index])
                for row in fetched
                if row[index] is not None and row[0] in group_of
            }
            by_group[dimension.code] = Counter((group_of[case], value) for case, value in pairs)
            # ... and once among the cases with any value.
            with_any[dimension.code] = Counter(group_of[case] for case in {c for c, _ in pairs})
    key_of = {group: key for key, group in groups.items()}
    counted: dict[Cell, int] = {}
    for code, counts in by_group.items():
        for (group, value), n in counts.items():
            counted[(*key_of[group], code, str(value))] = n
    for code, counts in with_any.items():
        for group, n in counts.items():
            counted[(*key_of[group], code, "")] = n
    return counted


def rebuild_months(organisation_id: int, first: date, last: date) -> int:
    """Recount the months ``first`` to ``last`` of one organisation if any is stale.

    One transaction; the organisation's row is locked (``FOR NO KEY UPDATE``:
    cases can still be added) so that rebuilds of one organisation run one
    after the other. Only figures that differ are written (after one edit,
    a handful). Returns the number of stale months found (0: nothing changed
    since the last rebuild, or another process rebuilt them meanwhile). To
    force a rebuild, ``mark_months`` first.
    """
    first, last = month_of(first), month_of(last)
    with transaction.atomic():
        list(
            Organisation.objects.select_for_update(no_key=True)
            .filter(pk=organisation_id)
            .values_list("pk")
        )
        changes = list(
            StaleMonth.objects.filter(
                organisation_id=organisation_id, month__gte=first, month__lte=last
            ).values_list("pk", "month")
        )
        if not changes:
            return 0
        stored = MonthlyCount.objects.filter(
            organisation_id=organisation_id, month__gte=first, month__lte=last
        )
        fresh = summary_cells(organisation_id, Period(first, _last_day(last)))
        gone, changed = [], []
        for pk, *cell, cases in stored.values_list(
            "pk", "month", "case_type", "status", "pooled", "dimension", "value", "cases"
        ).order_by():
            n = fresh.pop(tuple(cell), 0)  # type: ignore[call-overload]
            if n == 0:
                gone.append(pk)
            elif n != cases:
                changed.append(MonthlyCount(pk=pk, cases=n))
        for start in range(0, len(gone), 1000):  # the parameters of one statement are limited
            MonthlyCount.objects.filter(pk__in=gone[start : start + 1000]).delete()
        MonthlyCount.objects.bulk_update(changed, ["cases"], batch_size=1000)
        MonthlyCount.objects.bulk_create(
            [
                MonthlyCount(
                    organisation_id=organisation_id,
                    month=month,
                    case_type=case_type,
                    status=status,
                    pooled=pooled,
                    dimension=dimension,
                    value=value,
                    cases=n,
                )
                for (month, case_type, status, pooled, dimension, value), n in fresh.items()
            ],
            batch_size=1000,
        )
        StaleMonth.objects.filter(pk__in=[pk for pk, _ in changes]).delete()
    return len({month for _, month in changes})


def rebuild_month(organisation_id: int, month: date) -> bool:
    """Recount one organisation's month if it is stale (see ``rebuild_months``)."""
    return rebuild_months(organisation_id, month, month) > 0


# The most months one rebuild reads at once: it holds their rows in memory (a year of
# the largest office in the bench, 85,000 cases, takes a few dozen MB).
SPAN_MONTHS = 12


def refresh(
    organisation_ids: Sequence[int], first: date | None = None, last: date | None = None
) -> int:
    """Rebuild the stale months of these organisations (between ``first`` and ``last``):
    stale months less than ``SPAN_MONTHS`` apart are rebuilt together."""
    stale = StaleMonth.objects.filter(organisation_id__in=organisation_ids)
    if first is not None:
        stale = stale.filter(month__gte=month_of(first))
    if last is not None:
        stale = stale.filter(month__lte=month_of(last))
    months: dict[int, list[date]] = defaultdict(list)
    for org, month in sorted(set(stale.values_list("organisation_id", "month"))):
        months[org].append(month)
    rebuilt = 0
    for org, stale_months in months.items():
        start = 0
        while start < len(stale_months):
            limit = _add_months(stale_months[start], SPAN_MONTHS)
            end = start
            while end + 1 < len(stale_months) and stale_months[end + 1] < limit:
                end += 1
            rebuilt += rebuild_months(org, stale_months[start], stale_months[end])
            start = end + 1
    return rebuilt


def refresh_stale() -> int:
    """Rebuild every stale month of every organisation; returns the months rebuilt."""
    organisation_ids = sorted(set(StaleMonth.objects.values_list("organisation_id", flat=True)))
    return refresh(organisation_ids) if organisation_ids else 0


def rebuild_all(organisation_ids: Sequence[int] | None = None) -> int:
    """Rebuild every month of these organisations (all: None) that has cases or figures.

    The safety net for changes that bypassed every signal (raw SQL); returns
    the number of months rebuilt.
    """
    cases = Case.objects.unscoped("statistics: rebuilding the monthly summary")
    counted = MonthlyCount.objects.all()
    if organisation_ids is not None:
        cases = cases.filter(organisation_id__in=organisation_ids)
        counted = counted.filter(organisation_id__in=organisation_ids)
    cells = set(
        cases.annotate(_month=TruncMonth("first_contact"))
        .values_list("organisation_id", "_month")
        .distinct()
        .order_by()
    )
    cells |= set(counted.values_list("organisation_id", "month").distinct().order_by())
    mark_months(cells)
    if organisation_ids is None:
        organisation_ids = sorted({org for org, _ in cells})
    return refresh(organisation_ids)


# -- reading --------------------------------------------------------------------------


def split_period(period: Period) -> tuple[tuple[date, date] | None, list[Period]]:
    """(first and last whole month, or None) and the partial months at the edges."""
    first = month_of(period.start)
    if period.start != first:
        first = _next_month(first)
    last = month_of(period.end)
    if period.end != _last_day(last):
        last = date(last.year - (last.month == 1), (last.month - 2) % 12 + 1, 1)
    if first > last:
        return None, [period]
    edges = []
    if period.start < first:
        edges.append(Period(period.start, first - timedelta(days=1)))
    if _last_day(last) < period.end:
        edges.append(Period(_next_month(last), period.end))
    return (first, last), edges


def _widen(
    whole: tuple[date, date] | None, edges: list[Period], organisation_ids: list[int]
) -> tuple[tuple[date, date] | None, list[Period]]:
    """Take a partial month at an edge from the summary when the days of that month
    outside the period hold no case (typically: a period that ends today)."""
    if whole is None or not edges:
        return whole, edges
    first, last = whole
    cases = Case.objects.unscoped("statistics: counted over the organisations the caller passes")
    cases = cases.filter(organisation_id__in=organisation_ids)
    kept = []
    for edge in edges:
        if edge.end < first:  # the start of the period cuts a month
            month = month_of(edge.start)
            outside = Period(month, edge.start - timedelta(days=1))
        else:
            month = month_of(edge.end)
            outside = Period(edge.end + timedelta(days=1), _last_day(month))
        if cases.filter(first_contact__range=(outside.start, outside.end)).exists():
            kept.append(edge)
        elif month < first:
            first = month
        else:
            last = month
    return (first, last), kept


def _value(dimension: Dimension, text: str) -> Any:
    return text if dimension.code == "case_type" else int(text)


def counts(
    dimensions: Sequence[Dimension], filters: Filters, organisation_ids: list[int], pooled: bool
) -> tuple[Counts, DistinctCounts]:
    """What ``aggregation.live_counts`` returns: whole months from the summary, the days
    at the edges of the period counted by ``summary_cells``."""
    result: dict[str, dict[Any, dict[str, int]]] = {
        d.code: defaultdict(lambda: defaultdict(int)) for d in dimensions
    }
    distinct: dict[str, dict[str, int]] = {
        d.code: defaultdict(int) for d in dimensions if d.source != "case"
    }

    def add(code: str, value: str, month: date, n: int) -> None:
        bucket = bucket_of(month.year, month.month, filters.granularity)
        dimension = DIMENSIONS[code]
        if value == "":
            if code in distinct:
                distinct[code][bucket] += n
        else:
            result[code][_value(dimension, value)][bucket] += n

    whole, edges = _widen(*split_period(filters.period), organisation_ids)
    if whole is not None:
        first, last = whole
        refresh(organisation_ids, first, last)
        cells = MonthlyCount.objects.filter(
            organisation_id__in=organisation_ids,
            month__gte=first,
            month__lte=last,
            dimension__in=[d.code for d in dimensions],
        )
        if filters.case_types:
            cells = cells.filter(case_type__in=filters.case_types)
        if filters.statuses:
            cells = cells.filter(status__in=filters.statuses)
        if pooled:
            cells = cells.filter(pooled=True)
        keys = ["dimension", "value"] + ([] if filters.granularity == "total" else ["month"])
        for row in cells.values(*keys).annotate(_n=Sum("cases")).order_by():
            add(row["dimension"], row["value"], row.get("month") or first, row["_n"])
    # The days of partial months at the edges: counted for the moment, the same way.
    wanted = {d.code for d in dimensions}
    for edge in edges:
        for organisation_id in organisation_ids:
            for cell, n in summary_cells(organisation_id, edge).items():
                month, case_type, status, is_pooled, code, value = cell
                if (
                    code in wanted
                    and (not filters.case_types or case_type in filters.case_types)
                    and (not filters.statuses or status in filters.statuses)
                    and (is_pooled or not pooled)
                ):
                    add(code, value, month, n)
    plain_counts = {
        code: {value: dict(buckets) for value, buckets in values.items()}
        for code, values in result.items()
    }
    return plain_counts, {code: dict(buckets) for code, buckets in distinct.items()}
