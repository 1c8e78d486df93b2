"""Pre-counted monthly figures, so that the dashboard need not count every case.

Every case counts by its first-contact month, so the figures of one
organisation and month are additive over any period of whole months, the
distinct cases per dimension value included. ``MonthlyCount`` holds them per
organisation, month, case type, status and whether the case qualifies for
pooled figures; ``count_all`` (``aggregation.py``) sums them for the whole
months of a period and counts the days of partial months at its edges live.

Freshness is exact, never "as of last night": every change to counted case
data writes a ``StaleMonth`` row for the (organisation, month) it touches
(``signals.py``: model signals, and ``cases.signals.cases_changed`` for bulk
writes). Before reading, ``refresh`` rebuilds the stale months of the
requested organisations in the period, each with ``rebuild_month``: the same
``GROUP BY`` queries as the live count (``aggregation.grouped_rows`` and
``distinct_rows``), restricted to that month, so there is one definition of
what counts.

Concurrency: a rebuild locks the organisation's row, reads the ``StaleMonth``
rows of its months, rebuilds and deletes exactly the rows it read. A change
committed while it runs wrote a row it did not read, so the month stays
stale; a second rebuild waits for the lock and then finds nothing left to do.

``settings.WOHNFAIR_STATISTICS_SUMMARY = False`` counts everything live.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth

from wohnfair.accounts.models import Organisation
from wohnfair.cases.models import Case
from wohnfair.monitoring.aggregation import (
    DIMENSIONS,
    Counts,
    Dimension,
    DistinctCounts,
    Filters,
    Period,
    bucket_of,
    distinct_rows,
    grouped_rows,
    live_counts,
    pooled_condition,
)
from wohnfair.monitoring.models import MonthlyCount, StaleMonth


def enabled() -> bool:
    return bool(settings.WOHNFAIR_STATISTICS_SUMMARY)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


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


def _summary_rows(organisation_id: int, first: date, last: date) -> list[MonthlyCount]:
    """The figures of the months ``first`` to ``last``: the live queries grouped by month."""
    filters = Filters(Period(first, _last_day(last)))
    orgs = [organisation_id]
    these_cases = Q(
        case__organisation_id=organisation_id,
        case__first_contact__gte=filters.period.start,
        case__first_contact__lte=filters.period.end,
    )

    def _summary_keys(prefix: str) -> dict[str, Any]:
        pooled = pooled_condition(prefix, among=these_cases)
        return {
            "_month": TruncMonth(f"{prefix}first_contact"),
            "_case_type": F(f"{prefix}case_type"),
            "_status": F(f"{prefix}status"),
            "_pooled": ExpressionWrapper(pooled, output_field=BooleanField()),
        }

    def cell(row: dict[str, Any], dimension: str, value: str, cases: int) -> MonthlyCount:
        return MonthlyCount(
            organisation_id=organisation_id,
            month=row["_month"],
            case_type=row["_case_type"],
            status=row["_status"],
            pooled=bool(row["_pooled"]),
            dimension=dimension,
            value=value,
            cases=cases,
        )

    cells = []
    by_source: dict[str, list[Dimension]] = defaultdict(list)
    for dimension in DIMENSIONS.values():
        for row in grouped_rows(dimension, filters, orgs, False, _summary_keys):
            cells.append(cell(row, dimension.code, str(row["_value"]), row["_n"]))
        if dimension.source != "case":
            by_source[dimension.source].append(dimension)
    for group in by_source.values():
        for row in distinct_rows(group, filters, orgs, False, _summary_keys):
            for dimension in group:
                if row[f"_n_{dimension.code}"]:
                    cells.append(cell(row, dimension.code, "", row[f"_n_{dimension.code}"]))
    return cells


def rebuild_months(organisation_id: int, first: date, last: date) -> int:
    """Recount the months ``first`` to ``last`` of one organisation if any is stale.

    One transaction; the organisation's row is locked (``FOR NO KEY UPDATE``:
    cases can still be added) so that rebuilds of one organisation run one
    after the other. Returns the number of stale months found (0: nothing
    changed since the last rebuild, or another process rebuilt them meanwhile).
    To force a rebuild, ``mark_months`` first.
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
        MonthlyCount.objects.filter(
            organisation_id=organisation_id, month__gte=first, month__lte=last
        ).delete()
        MonthlyCount.objects.bulk_create(
            _summary_rows(organisation_id, first, last), batch_size=1000
        )
        StaleMonth.objects.filter(pk__in=[pk for pk, _ in changes]).delete()
    return len({month for _, month in changes})


def rebuild_month(organisation_id: int, month: date) -> bool:
    """Recount one organisation's month if it is stale (see ``rebuild_months``)."""
    return rebuild_months(organisation_id, month, month) > 0


# Above this many stale months of one organisation, one rebuild of the whole span (the
# live queries once, grouped by month) is cheaper than one rebuild per month.
SPAN_REBUILD = 6


def refresh(
    organisation_ids: Sequence[int], first: date | None = None, last: date | None = None
) -> int:
    """Rebuild the stale months of these organisations (between ``first`` and ``last``)."""
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
        if len(stale_months) > SPAN_REBUILD:
            rebuilt += rebuild_months(org, stale_months[0], stale_months[-1])
        else:
            rebuilt += sum(rebuild_month(org, month) for month in stale_months)
    return rebuilt


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
    """What ``aggregation.live_counts`` returns, from the summary for whole months."""
    result: dict[str, dict[Any, dict[str, int]]] = {
        d.code: defaultdict(lambda: defaultdict(int)) for d in dimensions
    }
    distinct: dict[str, dict[str, int]] = {
        d.code: defaultdict(int) for d in dimensions if d.source != "case"
    }
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
            month = row.get("month") or first
            bucket = bucket_of(month.year, month.month, filters.granularity)
            dimension = DIMENSIONS[row["dimension"]]
            if row["value"] == "":
                if dimension.code in distinct:
                    distinct[dimension.code][bucket] += row["_n"]
            else:
                result[dimension.code][_value(dimension, row["value"])][bucket] += row["_n"]
    for edge in edges:
        edge_counts, edge_distinct = live_counts(
            dimensions, replace(filters, period=edge), organisation_ids, pooled
        )
        for code, values in edge_counts.items():
            for value, buckets in values.items():
                for bucket, n in buckets.items():
                    result[code][value][bucket] += n
        for code, buckets in edge_distinct.items():
            for bucket, n in buckets.items():
                distinct[code][bucket] += n
    plain_counts = {
        code: {value: dict(buckets) for value, buckets in values.items()}
        for code, values in result.items()
    }
    return plain_counts, {code: dict(buckets) for code, buckets in distinct.items()}
