"""The statistics exchange format: export of pooled, suppressed counts, and
their validated import by a network (see ``docs/statistics-exchange.md``).

An office whose network runs another installation exports its figures as one
JSON document; the network imports it. Only what may leave the office is in
the file: cases that consented to anonymised statistics or are anonymised,
with every cell between 1 and k−1 suppressed together with the cells that
would give it away. An import is all or nothing: one bad cell refuses the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wohnfair.accounts.models import Organisation, User
from wohnfair.audit.services import log_action
from wohnfair.monitoring.models import PoolCount, PoolImport, StatisticsPolicy

SCHEMA = "wohnfair-statistics"
VERSION = 1
MAX_BYTES = 2 * 1024 * 1024
MAX_CELLS = 50_000
MAX_YEARS = 20
GRANULARITIES = ("total", "month", "quarter", "year")
BUCKET_PATTERNS = {
    "total": re.compile(r"^$"),
    "year": re.compile(r"^(\d{4})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
ORGANISATION_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


class PoolingError(ValueError):
    """A file that cannot be imported; the message is for the user (German)."""


@dataclass(frozen=True)
class Cell:
    code: str
    bucket: str
    count: int | None  # None: suppressed at the source


@dataclass
class DimensionCounts:
    cases: int | None
    cells: list[Cell] = field(default_factory=list)
    # Published totals (None: withheld); absent keys were not in the file.
    row_totals: dict[str, int | None] = field(default_factory=dict)
    bucket_totals: dict[str, int | None] = field(default_factory=dict)
    has_total: bool = False
    total: int | None = None


@dataclass
class Exchange:
    """A validated exchange document."""

    organisation_code: str
    organisation_name: str
    start: date
    end: date
    granularity: str
    min_cell: int
    dimensions: dict[str, DimensionCounts]

    @property
    def cell_count(self) -> int:
        return sum(len(counts.cells) for counts in self.dimensions.values())

    @property
    def suppressed_count(self) -> int:
        return sum(
            1 for counts in self.dimensions.values() for c in counts.cells if c.count is None
        )


# --- policies ------------------------------------------------------------------------------

DEFAULT_MIN_CELL = 5


def policy_for(organisation: Organisation) -> StatisticsPolicy:
    """The organisation's policy, or the defaults (unsaved) when it has none."""
    policy = StatisticsPolicy.objects.filter(organisation=organisation).first()
    return policy or StatisticsPolicy(organisation=organisation)


def members_of(network: Organisation) -> list[Organisation]:
    return list(network.member_organisations.order_by("name"))


def network_min_cell(network: Organisation) -> int:
    """The network's k: its own setting, never lower than any member's."""
    members = members_of(network)
    values = dict(
        StatisticsPolicy.objects.filter(organisation__in=[network, *members]).values_list(
            "organisation_id", "min_cell"
        )
    )
    return max(values.get(org.pk, DEFAULT_MIN_CELL) for org in [network, *members])


def column_members(network: Organisation) -> list[Organisation]:
    """Members that allow the network to show their figures in a column of their own."""
    allowed = set(
        StatisticsPolicy.objects.filter(
            organisation__in=members_of(network), show_in_network_columns=True
        ).values_list("organisation_id", flat=True)
    )
    return [org for org in members_of(network) if org.pk in allowed]


# --- periods and buckets -------------------------------------------------------------------


def period_error(start: date, end: date) -> str | None:
    """Why a period is impossible, or None."""
    if end < start:
        return _("Das Ende des Zeitraums liegt vor dem Beginn.")
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = date(start.year + MAX_YEARS, 3, 1)
    if end >= limit:
        return _("Der Zeitraum darf höchstens 20 Jahre umfassen.")
    return None


def bucket_range(bucket: str, granularity: str) -> tuple[date, date] | None:
    """First and last day of a bucket, or None when it does not fit the granularity."""
    match = BUCKET_PATTERNS[granularity].match(bucket)
    if match is None:
        return None
    if granularity == "total":
        return date.min, date.max
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        return None
    if granularity == "year":
        return date(year, 1, 1), date(year, 12, 31)
    if granularity == "quarter":
        first = (int(match.group(2)) - 1) * 3 + 1
        return date(year, first, 1), _month_end(year, first + 2)
    month = int(match.group(2))
    return date(year, month, 1), _month_end(year, month)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def rebucket(bucket: str, source: str, target: str) -> str | None:
    """The bucket of ``target`` granularity that contains ``bucket``; None if finer.

    Imported counts come in the source's granularity and can only be added up
    into the same or a coarser one (months into quarters, never years into months).
    """
    if source == target:
        return bucket
    rank = {"month": 0, "quarter": 1, "year": 2, "total": 3}
    if rank[target] < rank[source]:
        return None
    if target == "total":
        return ""
    bounds = bucket_range(bucket, source)
    if bounds is None:
        return None
    first = bounds[0]
    if target == "year":
        return f"{first.year}"
    return f"{first.year}-Q{(first.month - 1) // 3 + 1}"


# --- validation ----------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _date(value: Any, label: str) -> date:
    if not isinstance(value, str):
        raise PoolingError(_("%(label)s fehlt oder ist kein Datum.") % {"label": label})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PoolingError(
            _("%(label)s ist kein gültiges Datum (JJJJ-MM-TT).") % {"label": label}
        ) from None


def parse_exchange(raw: bytes | str, vocabularies: Mapping[str, set[str]]) -> Exchange:
    """Validate an exchange document; ``vocabularies`` maps each dimension to its codes.

    Raises ``PoolingError`` with a German message at the first problem.
    """
    if len(raw) > MAX_BYTES:
        raise PoolingError(
            _("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise PoolingError(_("Die Datei ist kein gültiges JSON.")) from None
    if not isinstance(document, dict):
        raise PoolingError(_("Die Datei enthält kein JSON-Objekt."))
    if document.get("schema") != SCHEMA:
        raise PoolingError(
            _("Die Datei ist kein Wohnfair-Statistikaustausch (schema „%(schema)s“ erwartet).")
            % {"schema": SCHEMA}
        )
    if document.get("version") != VERSION:
        raise PoolingError(
            _("Die Schema-Version %(version)s wird nicht unterstützt (erwartet: %(expected)s).")
            % {"version": document.get("version"), "expected": VERSION}
        )
    organisation = document.get("organisation")
    if not isinstance(organisation, dict):
        raise PoolingError(_("Die Angabe der Organisation fehlt."))
    code, name = organisation.get("code"), organisation.get("name")
    if not isinstance(code, str) or not ORGANISATION_CODE.match(code):
        raise PoolingError(_("Das Kürzel der Organisation fehlt oder ist ungültig."))
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise PoolingError(_("Der Name der Organisation fehlt oder ist zu lang."))
    period = document.get("period")
    if not isinstance(period, dict):
        raise PoolingError(_("Der Zeitraum fehlt."))
    start = _date(period.get("start"), _("Der Beginn des Zeitraums"))
    end = _date(period.get("end"), _("Das Ende des Zeitraums"))
    if problem := period_error(start, end):
        raise PoolingError(problem)
    granularity = document.get("granularity")
    if granularity not in GRANULARITIES:
        raise PoolingError(
            _("Unbekannte Auflösung „%(value)s“ (erlaubt: total, month, quarter, year).")
            % {"value": granularity}
        )
    min_cell: Any = document.get("min_cell")
    if not _is_int(min_cell) or not 2 <= min_cell <= 50:
        raise PoolingError(_("min_cell muss eine ganze Zahl zwischen 2 und 50 sein."))
    dimensions = document.get("dimensions")
    if not isinstance(dimensions, dict) or not dimensions:
        raise PoolingError(_("Die Datei enthält keine Dimensionen."))
    parsed: dict[str, DimensionCounts] = {}
    total_cells = 0
    for dimension, content in dimensions.items():
        if dimension not in vocabularies:
            raise PoolingError(_("Unbekannte Dimension „%(dim)s“.") % {"dim": dimension})
        parsed[dimension] = _parse_dimension(
            dimension, content, vocabularies[dimension], granularity, start, end, min_cell
        )
        total_cells += len(parsed[dimension].cells)
        if total_cells > MAX_CELLS:
            raise PoolingError(_("Die Datei enthält zu viele Zellen."))
    return Exchange(code.upper(), name.strip(), start, end, granularity, min_cell, parsed)


def _parse_dimension(
    dimension: str,
    content: Any,
    codes: set[str],
    granularity: str,
    start: date,
    end: date,
    min_cell: int,
) -> DimensionCounts:
    where = {"dim": dimension}
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        raise PoolingError(_("Dimension „%(dim)s“: die Liste „cells“ fehlt.") % where)
    cases: Any = content.get("cases")
    if cases is not None and (not _is_int(cases) or cases < 0):
        raise PoolingError(
            _("Dimension „%(dim)s“: die Zahl der Fälle muss eine nicht negative ganze Zahl sein.")
            % where
        )
    if _is_int(cases) and 0 < cases < min_cell:
        raise PoolingError(
            _("Dimension „%(dim)s“: die Zahl der Fälle hätte unterdrückt sein müssen.") % where
        )
    seen: set[tuple[str, str]] = set()
    cells: list[Cell] = []
    for raw_cell in content["cells"]:
        if not isinstance(raw_cell, dict):
            raise PoolingError(_("Dimension „%(dim)s“: eine Zelle ist kein Objekt.") % where)
        code, bucket, count = (
            raw_cell.get("code"),
            raw_cell.get("bucket", ""),
            raw_cell.get("count"),
        )
        cell_where = {**where, "code": code, "bucket": bucket}
        if not isinstance(code, str) or code not in codes:
            raise PoolingError(_("Dimension „%(dim)s“: unbekannter Code „%(code)s“.") % cell_where)
        if not isinstance(bucket, str):
            raise PoolingError(_("Dimension „%(dim)s“: ungültiger Zeitabschnitt.") % where)
        bounds = bucket_range(bucket, granularity)
        if bounds is None or (granularity != "total" and (bounds[1] < start or bounds[0] > end)):
            raise PoolingError(
                _(
                    "Dimension „%(dim)s“, Code „%(code)s“: der Zeitabschnitt „%(bucket)s“ "
                    "passt nicht zu Auflösung und Zeitraum."
                )
                % cell_where
            )
        if (code, bucket) in seen:
            raise PoolingError(
                _("Dimension „%(dim)s“: die Zelle „%(code)s“ %(bucket)s kommt doppelt vor.")
                % cell_where
            )
        seen.add((code, bucket))
        _check_count(raw_cell, count, min_cell, cell_where)
        cells.append(Cell(code, bucket, count))
    parsed = DimensionCounts(cases=cases, cells=cells)
    totals = content.get("totals")
    if totals is not None:
        _parse_totals(parsed, totals, codes, granularity, min_cell, where)
    return parsed


def _check_count(raw: dict[str, Any], count: Any, min_cell: int, where: dict[str, Any]) -> None:
    if count is None:
        if raw.get("suppressed") is not True:
            raise PoolingError(_("Dimension „%(dim)s“, Code „%(code)s“: Zahl fehlt.") % where)
    elif not _is_int(count):
        raise PoolingError(
            _("Dimension „%(dim)s“, Code „%(code)s“: die Zahl ist keine ganze Zahl.") % where
        )
    elif count < 0:
        raise PoolingError(
            _("Dimension „%(dim)s“, Code „%(code)s“: negative Zahlen sind nicht erlaubt.") % where
        )
    elif 0 < count < min_cell:
        raise PoolingError(
            _(
                "Dimension „%(dim)s“, Code „%(code)s“: die Zahl %(count)s ist kleiner als "
                "min_cell und hätte unterdrückt sein müssen."
            )
            % {**where, "count": count}
        )


def _parse_totals(
    parsed: DimensionCounts,
    totals: Any,
    codes: set[str],
    granularity: str,
    min_cell: int,
    where: dict[str, Any],
) -> None:
    """Row totals, bucket totals and the grand total the source published."""
    if (
        not isinstance(totals, dict)
        or not isinstance(totals.get("rows", []), list)
        or not isinstance(totals.get("buckets", []), list)
    ):
        raise PoolingError(_("Dimension „%(dim)s“: „totals“ ist ungültig.") % where)
    for entry in totals.get("rows", []):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or code not in codes or code in parsed.row_totals:
            raise PoolingError(
                _("Dimension „%(dim)s“: ungültige Zeilensumme „%(code)s“.")
                % {**where, "code": code}
            )
        _check_count(entry, entry.get("count"), min_cell, {**where, "code": code})
        parsed.row_totals[code] = entry.get("count")
    for entry in totals.get("buckets", []):
        bucket = entry.get("bucket") if isinstance(entry, dict) else None
        if (
            not isinstance(bucket, str)
            or bucket_range(bucket, granularity) is None
            or bucket in parsed.bucket_totals
        ):
            raise PoolingError(_("Dimension „%(dim)s“: ungültige Spaltensumme.") % where)
        _check_count(entry, entry.get("count"), min_cell, {**where, "code": bucket})
        parsed.bucket_totals[bucket] = entry.get("count")
    if "all" in totals:
        marker = {"suppressed": totals.get("all_suppressed")}
        _check_count(marker, totals["all"], min_cell, {**where, "code": "all"})
        parsed.has_total, parsed.total = True, totals["all"]
    # Totals are all or nothing: a partial set would add up to wrong sums.
    if (
        set(parsed.row_totals) != {cell.code for cell in parsed.cells}
        or set(parsed.bucket_totals) != {cell.bucket for cell in parsed.cells}
        or not parsed.has_total
    ):
        raise PoolingError(
            _("Dimension „%(dim)s“: „totals“ muss jede Zeile, jede Spalte und „all“ enthalten.")
            % where
        )
    # Where every part is shown, the published total must be their sum.
    known: dict[str, list[int | None]] = {}
    for cell in parsed.cells:
        known.setdefault(cell.code, []).append(cell.count)
    for code, total in parsed.row_totals.items():
        parts = known.get(code, [])
        if total is not None and None not in parts and sum(parts) != total:  # type: ignore[arg-type]
            raise PoolingError(
                _("Dimension „%(dim)s“, Code „%(code)s“: die Summe passt nicht zu den Zellen.")
                % {**where, "code": code}
            )


# --- import --------------------------------------------------------------------------------


def import_exchange(network: Organisation, exchange: Exchange, *, by: User) -> PoolImport:
    """Store a validated document for ``network``; all or nothing."""
    if not network.is_network:
        raise PoolingError(_("Nur ein Netzwerk kann Zahlen importieren."))
    if network.member_organisations.filter(code__iexact=exchange.organisation_code).exists():
        raise PoolingError(
            _(
                "%(code)s ist Mitglied des Netzwerks in dieser Installation; ihre Zahlen werden "
                "bereits direkt gezählt und dürfen nicht zusätzlich importiert werden."
            )
            % {"code": exchange.organisation_code}
        )
    duplicate = _(
        "Für %(code)s ist der Zeitraum %(start)s bis %(end)s bereits importiert "
        "oder überschneidet sich mit einem Import. Es wurde nichts importiert."
    ) % {
        "code": exchange.organisation_code,
        "start": exchange.start.strftime("%d.%m.%Y"),
        "end": exchange.end.strftime("%d.%m.%Y"),
    }
    existing = PoolImport.objects.of_organisation(network).filter(
        source_code=exchange.organisation_code,
        period_start__lte=exchange.end,
        period_end__gte=exchange.start,
    )
    if existing.exists():
        raise PoolingError(duplicate)
    try:
        with transaction.atomic():
            record = PoolImport.objects.create(
                organisation=network,
                source_code=exchange.organisation_code,
                source_name=exchange.organisation_name,
                period_start=exchange.start,
                period_end=exchange.end,
                schema_version=VERSION,
                granularity=exchange.granularity,
                min_cell=exchange.min_cell,
                imported_by=by,
            )
            rows = []
            for dim, counts in exchange.dimensions.items():
                rows.append(_pool_count(record, dim, "", "", counts.cases))
                rows += [
                    _pool_count(record, dim, code, "*", value)
                    for code, value in counts.row_totals.items()
                ]
                rows += [
                    _pool_count(record, dim, "*", bucket, value)
                    for bucket, value in counts.bucket_totals.items()
                ]
                if counts.has_total:
                    rows.append(_pool_count(record, dim, "*", "*", counts.total))
            rows += [
                PoolCount(
                    pool_import=record,
                    dimension=dim,
                    code=cell.code,
                    bucket=cell.bucket,
                    count=cell.count,
                )
                for dim, counts in exchange.dimensions.items()
                for cell in counts.cells
            ]
            PoolCount.objects.bulk_create(rows, batch_size=2000)
    except IntegrityError:
        # Another upload of the same period won the race; the constraint refused this one.
        raise PoolingError(duplicate) from None
    log_action(
        by,
        network,
        "monitoring.pool_imported",
        record,
        source=exchange.organisation_code,
        cells=exchange.cell_count,
    )
    return record


def _pool_count(record: PoolImport, dimension: str, code: str, bucket: str, count: int | None):  # type: ignore[no-untyped-def]
    return PoolCount(pool_import=record, dimension=dimension, code=code, bucket=bucket, count=count)
