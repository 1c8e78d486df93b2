"""Figures beyond one office: the network's pooled tables and public tables.

A network's table adds up the consented or anonymised cases of its member
organisations in this installation and the counts it imported from members
that run elsewhere (``PoolImport``). It is then suppressed with the network's
k (never lower than any member's k).

Imported cells that the source withheld stay unknown: the combined cell, and
every total it is part of unless the source published that total, is shown as
withheld ("×"). Showing more withheld cells than the plan asks for never helps
an attacker: it only removes equations.

Per-organisation columns are counted as one more table (codes × member
columns plus a hidden column for everyone else) and suppressed on their own;
where the main table withholds a row total (or the grand total) the columns
withhold that row (or their totals) too, so that the two tables together
never tell more than each alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext as _

from wohnfair.accounts.models import Organisation
from wohnfair.cases.models import CaseType, Term
from wohnfair.monitoring.aggregation import (
    DIMENSIONS,
    Filters,
    Row,
    Table,
    count_all,
)
from wohnfair.monitoring.models import PoolCount, PoolImport
from wohnfair.monitoring.pooling import (
    SCHEMA,
    VERSION,
    column_members,
    members_of,
    network_min_cell,
    policy_for,
    rebucket,
)
from wohnfair.monitoring.suppression import SECONDARY_MARK, Cell, SuppressedTable, suppress

# Districts are each office's own list (their codes are local ids): they are
# never pooled across organisations nor exchanged between installations.
LOCAL_ONLY_DIMENSIONS = frozenset({"district"})
POOLED_DIMENSIONS = tuple(code for code in DIMENSIONS if code not in LOCAL_ONLY_DIMENSIONS)
ROW_TOTAL = "*"  # PoolCount.bucket of a row total; PoolCount.code of a column total
CASES = ""  # PoolCount.code and bucket of the number of cases
WITHHELD = Cell(None, True, SECONDARY_MARK)


@dataclass
class OrganisationColumns:
    organisations: list[Organisation]
    cells: dict[str, dict[str, Cell]]  # row code -> organisation code -> cell
    totals: dict[str, Cell]  # organisation code -> cell


@dataclass
class Figures:
    """Everything a network or public page shows for one set of filters."""

    organisation: Organisation
    filters: Filters
    k: int
    tables: dict[str, SuppressedTable]
    columns: dict[str, OrganisationColumns] = field(default_factory=dict)
    imports: list[PoolImport] = field(default_factory=list)
    skipped_imports: list[tuple[PoolImport, str]] = field(default_factory=list)


# --- imported counts -----------------------------------------------------------------------


@dataclass
class _Imported:
    """Imported counts of one dimension, already in the requested buckets."""

    cells: dict[tuple[str, str], int | None] = field(default_factory=dict)
    row_totals: dict[str, int | None] = field(default_factory=dict)
    bucket_totals: dict[str, int | None] = field(default_factory=dict)
    total: int | None = 0
    cases: int | None = 0


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def usable_imports(
    network: Organisation, filters: Filters
) -> tuple[list[PoolImport], list[tuple[PoolImport, str]]]:
    """Imports that fit the filters whole, and the others with the reason."""
    candidates = PoolImport.objects.of_organisation(network).filter(
        period_end__gte=filters.period.start, period_start__lte=filters.period.end
    )
    used: list[PoolImport] = []
    skipped: list[tuple[PoolImport, str]] = []
    for record in candidates.order_by("source_code", "period_start"):
        if filters.case_types or filters.statuses:
            reason = _("importierte Zahlen lassen sich nicht nach Fallart oder Status filtern")
            skipped.append((record, reason))
        elif record.period_start < filters.period.start or record.period_end > filters.period.end:
            reason = _("der Zeitraum des Imports liegt nicht ganz im gewählten Zeitraum")
            skipped.append((record, reason))
        elif rebucket(_first_bucket(record), record.granularity, filters.granularity) is None:
            reason = _("der Import ist gröber eingeteilt als die gewählte Einteilung")
            skipped.append((record, reason))
        else:
            used.append(record)
    return used, skipped


def _first_bucket(record: PoolImport) -> str:
    start = record.period_start
    return {
        "total": "",
        "year": f"{start.year}",
        "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
        "month": f"{start.year}-{start.month:02d}",
    }[record.granularity]


def imported_counts(records: Sequence[PoolImport], filters: Filters) -> dict[str, _Imported]:
    result: dict[str, _Imported] = defaultdict(_Imported)
    granularity_of = {record.pk: record.granularity for record in records}
    # Per import, a total stays unknown (None) until the file published it.
    per_import: dict[tuple[int, str], _Imported] = defaultdict(lambda: _Imported(total=None))
    for cell in PoolCount.objects.filter(pool_import__in=records).order_by("pk"):
        part = per_import[(cell.pool_import_id, cell.dimension)]
        source = granularity_of[cell.pool_import_id]
        if cell.code == CASES and cell.bucket == CASES:
            part.cases = cell.count
        elif cell.code == ROW_TOTAL and cell.bucket == ROW_TOTAL:
            part.total = cell.count
        elif cell.bucket == ROW_TOTAL:
            part.row_totals[cell.code] = cell.count
        elif cell.code == ROW_TOTAL:
            target = rebucket(cell.bucket, source, filters.granularity)
            if target is not None:
                previous = part.bucket_totals.get(target, 0)
                part.bucket_totals[target] = _add(previous, cell.count)
        else:
            target = rebucket(cell.bucket, source, filters.granularity)
            if target is not None:
                previous = part.cells.get((cell.code, target), 0)
                part.cells[(cell.code, target)] = _add(previous, cell.count)
    for (_pk, dimension), part in per_import.items():
        merged = result[dimension]
        for key, value in part.cells.items():
            merged.cells[key] = _add(merged.cells.get(key, 0), value)
        codes = {code for code, _bucket in part.cells}
        buckets = {bucket for _code, bucket in part.cells}
        for code in codes:
            merged.row_totals[code] = _add(
                merged.row_totals.get(code, 0), part.row_totals.get(code)
            )
        for bucket in buckets:
            merged.bucket_totals[bucket] = _add(
                merged.bucket_totals.get(bucket, 0), part.bucket_totals.get(bucket)
            )
        merged.total = _add(merged.total, part.total)
        merged.cases = _add(merged.cases, part.cases)
    return result


# --- combining and suppressing -------------------------------------------------------------


def _label(dimension: str, code: str) -> str:
    vocabulary = DIMENSIONS[dimension].vocabulary
    if vocabulary is not None:
        term = Term.objects.filter(vocabulary=vocabulary, code=code).first()
        return term.display_label if term else code
    if dimension == "case_type" and code in CaseType.values:
        return str(CaseType(code).label)
    return code


def combine(table: Table, imported: _Imported | None, k: int) -> SuppressedTable:
    """Local table plus imported counts, suppressed with ``k``."""
    if imported is None or (not imported.cells and imported.cases == 0):
        return suppress(table, k)
    rows = [Row(row.code, row.label, dict(row.counts)) for row in table.rows]
    by_code = {row.code: row for row in rows}
    unknown: set[tuple[str, str]] = set()
    for (code, bucket), value in imported.cells.items():
        if bucket not in table.buckets:
            continue
        if code not in by_code:
            label = _label(table.dimension.code, code)
            by_code[code] = Row(code, label, dict.fromkeys(table.buckets, 0))
            rows.append(by_code[code])
        if value is None:
            unknown.add((code, bucket))
        else:
            by_code[code].counts[bucket] += value
    cases = table.cases + (imported.cases or 0)
    shown = suppress(replace(table, rows=rows, cases=cases), k)
    # The plan counted withheld imported cells as 0; totals show the true sums
    # (local plus what the source published), or stay withheld where unknown.
    local_rows = {row.code: row.total for row in table.rows}
    local_buckets = table.bucket_totals()
    imported_buckets = {b for _c, b in imported.cells}
    shown_rows = [
        replace(
            row,
            cells={
                bucket: WITHHELD if (row.code, bucket) in unknown else cell
                for bucket, cell in row.cells.items()
            },
            total=_true(
                row.total,
                local_rows.get(row.code, 0),
                imported.row_totals.get(row.code, 0)
                if row.code in {c for c, _b in imported.cells}
                else 0,
            ),
        )
        for row in shown.rows
    ]
    return replace(
        shown,
        rows=shown_rows,
        column_totals={
            bucket: _true(
                cell,
                local_buckets.get(bucket, 0),
                imported.bucket_totals.get(bucket) if bucket in imported_buckets else 0,
            )
            for bucket, cell in shown.column_totals.items()
        },
        total=_true(shown.total, table.mentions, imported.total),
        cases=WITHHELD if imported.cases is None else shown.cases,
    )


def _true(planned: Cell, local: int, imported: int | None) -> Cell:
    if planned.suppressed:
        return planned
    if imported is None:
        return WITHHELD
    value = local + imported
    return Cell(value, False, str(value))


def organisation_columns(
    members: list[Organisation],
    shown_members: list[Organisation],
    filters: Filters,
    main: dict[str, SuppressedTable],
    k: int,
) -> dict[str, OrganisationColumns]:
    """Suppressed period totals per member that allows a column of its own."""
    if not shown_members:
        return {}
    total_filters = replace(filters, granularity="total")
    per_org = {org.code: count_all(total_filters, [org], pooled=True) for org in shown_members}
    others = [org for org in members if org not in shown_members]
    rest = count_all(total_filters, others, pooled=True) if others else None
    result = {}
    for dimension, table in main.items():
        buckets = [org.code for org in shown_members] + ["_rest"]
        rows = []
        for row in table.rows:
            counts = {
                org.code: _row_total(per_org[org.code][dimension], row.code)
                for org in shown_members
            }
            counts["_rest"] = _row_total(rest[dimension], row.code) if rest else 0
            rows.append(Row(row.code, row.label, counts))
        column_table = Table(
            table.dimension, total_filters, buckets, rows, sum(r.total for r in rows)
        )
        shown = suppress(column_table, k)
        cells = {
            row.code: {
                org.code: WITHHELD if main_row.total.suppressed else row.cells[org.code]
                for org in shown_members
            }
            for row, main_row in zip(shown.rows, table.rows, strict=True)
        }
        totals = {
            org.code: WITHHELD if table.total.suppressed else shown.column_totals[org.code]
            for org in shown_members
        }
        result[dimension] = OrganisationColumns(shown_members, cells, totals)
    return result


def _row_total(table: Table, code: str) -> int:
    return next((row.total for row in table.rows if row.code == code), 0)


def network_figures(
    network: Organisation,
    filters: Filters,
    dimensions: Sequence[str] = POOLED_DIMENSIONS,
    *,
    with_columns: bool = True,
) -> Figures:
    """The network's pooled, suppressed tables (with imports and member columns)."""
    members = members_of(network)
    k = network_min_cell(network)
    local = count_all(filters, members, pooled=True)
    used, skipped = usable_imports(network, filters)
    imported = imported_counts(used, filters)
    tables = {d: combine(local[d], imported.get(d), k) for d in dimensions}
    figures = Figures(network, filters, k, tables, imports=used, skipped_imports=skipped)
    if with_columns:
        figures.columns = {
            d: c
            for d, c in organisation_columns(
                members, column_members(network), filters, tables, k
            ).items()
            if d in dimensions
        }
    return figures


def office_figures(
    organisation: Organisation, filters: Filters, dimensions: Sequence[str] = POOLED_DIMENSIONS
) -> Figures:
    """One office's pooled, suppressed tables (public statistics, exchange export)."""
    k = policy_for(organisation).min_cell
    local = count_all(filters, [organisation], pooled=True)
    return Figures(organisation, filters, k, {d: suppress(local[d], k) for d in dimensions})


def public_figures(organisation: Organisation, year: int) -> Figures:
    filters = Filters(period=_year(year), granularity="total")
    if organisation.is_network:
        return network_figures(organisation, filters, with_columns=False)
    return office_figures(organisation, filters)


def _year(year: int):  # type: ignore[no-untyped-def]
    from wohnfair.monitoring.aggregation import Period

    return Period(date(year, 1, 1), date(year, 12, 31))


# --- the exchange format -------------------------------------------------------------------


def exchange_vocabularies() -> dict[str, set[str]]:
    """The codes an exchange file may use, per dimension (retired terms included)."""
    result: dict[str, set[str]] = {}
    for code in POOLED_DIMENSIONS:
        vocabulary = DIMENSIONS[code].vocabulary
        if vocabulary is not None:
            result[code] = set(Term.objects.of(vocabulary).values_list("code", flat=True))
        elif code == "case_type":
            result[code] = set(CaseType.values)
    return result


def _cell_json(cell: Cell, **key: str) -> dict[str, object]:
    if cell.suppressed:
        return {**key, "count": None, "suppressed": True}
    return {**key, "count": cell.value}


def exchange_document(organisation: Organisation, filters: Filters) -> dict[str, object]:
    """The organisation's pooled, suppressed figures in the exchange format."""
    figures = office_figures(organisation, filters, tuple(exchange_vocabularies()))
    dimensions: dict[str, object] = {}
    for code, table in figures.tables.items():
        dimensions[code] = {
            "cases": None if table.cases.suppressed else table.cases.value,
            "cells": [
                _cell_json(cell, code=row.code, bucket=bucket)
                for row in table.rows
                for bucket, cell in row.cells.items()
            ],
            "totals": {
                "rows": [_cell_json(row.total, code=row.code) for row in table.rows],
                "buckets": [
                    _cell_json(cell, bucket=bucket) for bucket, cell in table.column_totals.items()
                ],
                "all": None if table.total.suppressed else table.total.value,
                **({"all_suppressed": True} if table.total.suppressed else {}),
            },
        }
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "organisation": {"code": organisation.code, "name": organisation.name},
        "period": {
            "start": filters.period.start.isoformat(),
            "end": filters.period.end.isoformat(),
        },
        "granularity": filters.granularity,
        "min_cell": figures.k,
        "dimensions": dimensions,
    }
