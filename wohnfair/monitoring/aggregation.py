"""Counting cases by documentation category, in the database.

The one rule of time: **a case counts by its first contact date**
(``Case.first_contact``), in every dimension. Incident dates can lie before
the first contact, a case can have several incidents and interventions; one
date per case keeps every table of one period about the same set of cases, so
that the tables of a dashboard can be read side by side and their buckets add
up.

Dimensions on the case itself (case type, channel, outcome, closing reason)
give each case at most one value. Dimensions of incidents (Merkmal,
Lebensbereich, Form, Ebene, type of Verursachende, district) and of
interventions may give a case several values: such a case counts once under
each of its values (never twice under the same one), so a table knows both
the number of distinct cases and the number of mentions (the sum of its
counts).

Everything is counted with ``GROUP BY`` in the database: one query per
dimension plus one query for the distinct cases of all incident dimensions
together; Python only sees the grouped rows (values × buckets), never cases.
``count_all`` reads the whole months of a period from the monthly summary
that ``summary.py`` keeps (changed months are rebuilt before they are read) and
counts the days of partial months at the edges on the spot; both count the few
rows involved in Python by the same rules, held to these queries by
``test_summary.py``. The queries here count everything when the summary is off
(``WOHNFAIR_STATISTICS_SUMMARY``).

Cases that are restricted (vertraulich) count too: a figure names no one. The
drill-down to the case list shows the counsellor only the cases they may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, get_args

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation
from wohnfair.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    Consent,
    ConsentPurpose,
    District,
    Incident,
    Intervention,
    Term,
    Vocabulary,
)

MAX_PERIOD_YEARS = 20

Granularity = Literal["month", "quarter", "year", "total"]
GRANULARITIES: tuple[str, ...] = get_args(Granularity)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """A span of first-contact dates, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise ValueError(gettext("Beginn und Ende des Zeitraums müssen Daten sein."))
        if self.end < self.start:
            raise ValueError(gettext("Das Ende des Zeitraums liegt vor dem Beginn."))
        if self.end >= _add_years(self.start, MAX_PERIOD_YEARS):
            raise ValueError(
                gettext("Der Zeitraum darf höchstens %(years)d Jahre umfassen.")
                % {"years": MAX_PERIOD_YEARS}
            )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class Filters:
    period: Period
    granularity: Granularity = "total"
    case_types: tuple[str, ...] = ()  # empty: all
    statuses: tuple[str, ...] = ()  # empty: all

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ValueError(
                gettext("Unbekannte Einteilung „%(value)s“.") % {"value": self.granularity}
            )
        for value in self.case_types:
            if value not in CaseType.values:
                raise ValueError(gettext("Unbekannte Fallart „%(value)s“.") % {"value": value})
        for value in self.statuses:
            if value not in CaseStatus.values:
                raise ValueError(gettext("Unbekannter Status „%(value)s“.") % {"value": value})


@dataclass(frozen=True)
class Dimension:
    """A category cases are counted by.

    ``multi``: a case may count under several values (Merkmale of one incident,
    several incidents or interventions).
    """

    code: str
    label: str | Promise
    vocabulary: str | None
    multi: bool
    source: Literal["case", "incident", "merkmal", "intervention"] = "case"
    # The column that holds the value, relative to the source row.
    column: str = ""


DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in [
        Dimension("merkmal", _("Merkmal"), Vocabulary.MERKMAL, True, "merkmal", "term_id"),
        Dimension(
            "lebensbereich",
            _("Lebensbereich"),
            Vocabulary.LEBENSBEREICH,
            True,
            "incident",
            "lebensbereich_id",
        ),
        Dimension("form", _("Form"), Vocabulary.FORM, True, "incident", "form_id"),
        Dimension("ebene", _("Ebene"), Vocabulary.EBENE, True, "incident", "ebene_id"),
        Dimension(
            "respondent_type",
            _("Art der Verursachenden"),
            Vocabulary.VERURSACHENDE,
            True,
            "incident",
            "respondent__kind_id",
        ),
        Dimension("district", _("Stadtbezirk"), None, True, "incident", "district_id"),
        Dimension("channel", _("Zugangsweg"), Vocabulary.CHANNEL, False, "case", "channel_id"),
        Dimension("case_type", _("Fallart"), None, False, "case", "case_type"),
        Dimension(
            "intervention_type",
            _("Intervention"),
            Vocabulary.INTERVENTION,
            True,
            "intervention",
            "kind_id",
        ),
        Dimension("outcome", _("Ergebnis"), Vocabulary.OUTCOME, False, "case", "outcome_id"),
        Dimension(
            "closing_reason",
            _("Abschlussgrund"),
            Vocabulary.CLOSING_REASON,
            False,
            "case",
            "closing_reason_id",
        ),
    ]
}

# Case list GET parameter per dimension (``cases.search.CaseFilterForm``).
DRILLDOWN_PARAMETERS = {
    "merkmal": "merkmal",
    "lebensbereich": "lebensbereich",
    "form": "form",
    "ebene": "ebene",
    "respondent_type": "verursacherart",
    "district": "bezirk",
    "channel": "zugang",
    "case_type": "typ",
    "intervention_type": "intervention",
    "outcome": "ergebnis",
    "closing_reason": "abschluss",
}


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    counts: dict[str, int]  # bucket -> count

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Table:
    dimension: Dimension
    filters: Filters
    buckets: list[str]
    rows: list[Row]
    cases: int  # distinct cases behind the table (with at least one value)
    # Distinct cases per bucket (a case has one first contact, so these add up to ``cases``).
    bucket_cases: dict[str, int] = field(default_factory=dict)

    @property
    def mentions(self) -> int:
        return sum(row.total for row in self.rows)

    def bucket_totals(self) -> dict[str, int]:
        """Mentions per bucket (the column sums)."""
        return {bucket: sum(row.counts[bucket] for row in self.rows) for bucket in self.buckets}


def get_dimension(code: str) -> Dimension:
    try:
        return DIMENSIONS[code]
    except KeyError:
        raise KeyError(gettext("Unbekannte Dimension „%(code)s“.") % {"code": code}) from None


# -- buckets -----------------------------------------------------------------------


def bucket_of(year: int, month: int, granularity: str) -> str:
    if granularity == "total":
        return ""
    if granularity == "year":
        return f"{year}"
    if granularity == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def buckets_for(filters: Filters) -> list[str]:
    """Every bucket of the period in order, empty ones included."""
    if filters.granularity == "total":
        return [""]
    seen: dict[str, None] = {}
    year, month = filters.period.start.year, filters.period.start.month
    while (year, month) <= (filters.period.end.year, filters.period.end.month):
        seen[bucket_of(year, month, filters.granularity)] = None
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return list(seen)


def bucket_label(bucket: str) -> str:
    """German reading of a bucket key: "2025", "3. Quartal 2025", "07/2025", "Summe"."""
    if bucket == "":
        return gettext("Zeitraum")
    if "-Q" in bucket:
        year, quarter = bucket.split("-Q")
        return gettext("%(quarter)s. Quartal %(year)s") % {"quarter": quarter, "year": year}
    if "-" in bucket:
        year, month = bucket.split("-")
        return f"{month}/{year}"
    return bucket


# -- querying ----------------------------------------------------------------------


def _case_condition(prefix: str, filters: Filters, organisation_ids: list[int], pooled: bool) -> Q:
    """The filter on cases, seen from a row whose path to the case is ``prefix``."""
    condition = Q(
        **{
            f"{prefix}organisation_id__in": organisation_ids,
            f"{prefix}first_contact__gte": filters.period.start,
            f"{prefix}first_contact__lte": filters.period.end,
        }
    )
    if filters.case_types:
        condition &= Q(**{f"{prefix}case_type__in": filters.case_types})
    if filters.statuses:
        condition &= Q(**{f"{prefix}status__in": filters.statuses})
    if pooled:
        condition &= pooled_condition(prefix)
    return condition


def pooled_condition(prefix: str = "") -> Q:
    """Whether a case counts in pooled figures: consent to anonymised statistics that is
    not withdrawn, or anonymised by retention (the summary stores this per case too)."""
    consents = Consent.objects.filter(
        case_id=OuterRef(f"{prefix}id" if prefix else "id"),
        purpose=ConsentPurpose.STATISTICS,
        withdrawn_on__isnull=True,
    )
    return Q(**{f"{prefix}anonymised_at__isnull": False}) | Exists(consents)


def _source(
    dimension: Dimension, filters: Filters, organisation_ids: list[int], pooled: bool
) -> tuple[QuerySet[Any], str]:
    """Rows to group and the path from them to the case."""
    if dimension.source == "case":
        reason = "statistics: counted over the organisations the caller passes"
        return Case.objects.unscoped(reason).filter(
            _case_condition("", filters, organisation_ids, pooled)
        ), ""
    if dimension.source == "incident":
        return Incident.objects.filter(
            _case_condition("case__", filters, organisation_ids, pooled)
        ), "case__"
    if dimension.source == "intervention":
        return Intervention.objects.filter(
            _case_condition("case__", filters, organisation_ids, pooled)
        ), "case__"
    through = Incident.merkmale.through
    return through.objects.filter(
        _case_condition("incident__case__", filters, organisation_ids, pooled)
    ), "incident__case__"


def _bucket_fields(prefix: str, granularity: str) -> dict[str, Any]:
    if granularity == "total":
        return {}
    fields: dict[str, Any] = {"_year": ExtractYear(f"{prefix}first_contact")}
    if granularity != "year":
        fields["_month"] = ExtractMonth(f"{prefix}first_contact")
    return fields


GroupKeys = Callable[[str], dict[str, Any]]


def grouped_rows(
    dimension: Dimension,
    filters: Filters,
    organisation_ids: list[int],
    pooled: bool,
    keys: GroupKeys,
) -> QuerySet[Any]:
    """The GROUP BY query of one dimension: rows of ``_value``, the grouping ``keys``
    (built from the path to the case) and ``_n``, the distinct cases."""
    rows, prefix = _source(dimension, filters, organisation_ids, pooled)
    fields = keys(prefix)
    case_id = f"{prefix}id" if prefix else "id"
    # A case counts once per value: distinct case ids unless one row is one case.
    counted = Count(case_id, distinct=dimension.source != "case")
    return (
        rows.filter(**{f"{dimension.column}__isnull": False})
        .annotate(_value=F(dimension.column), **fields)
        .values("_value", *fields)
        .annotate(_n=counted)
        .order_by()
    )


def distinct_rows(
    dimensions: Sequence[Dimension],
    filters: Filters,
    organisation_ids: list[int],
    pooled: bool,
    keys: GroupKeys,
) -> list[dict[str, Any]]:
    """Distinct cases with any value, ``_n_<code>`` per dimension (all of one source),
    grouped by ``keys``: one query with one filtered ``COUNT(DISTINCT case)`` each."""
    rows, prefix = _source(dimensions[0], filters, organisation_ids, pooled)
    fields = keys(prefix)
    case_id = f"{prefix}id" if prefix else "id"
    aggregates = {
        f"_n_{d.code}": Count(case_id, distinct=True, filter=Q(**{f"{d.column}__isnull": False}))
        for d in dimensions
    }
    if not fields:  # values() without fields would group by every column
        return [rows.order_by().aggregate(**aggregates)]
    return list(rows.annotate(**fields).values(*fields).annotate(**aggregates).order_by())


def _grouped_counts(
    dimension: Dimension, filters: Filters, organisation_ids: list[int], pooled: bool
) -> dict[Any, dict[str, int]]:
    """value -> bucket -> distinct cases, one GROUP BY query."""
    grouped = grouped_rows(
        dimension,
        filters,
        organisation_ids,
        pooled,
        lambda prefix: _bucket_fields(prefix, filters.granularity),
    )
    result: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in grouped:
        bucket = bucket_of(row.get("_year", 0), row.get("_month", 1), filters.granularity)
        result[row["_value"]][bucket] += row["_n"]
    return result


def _distinct_cases(
    dimensions: Sequence[Dimension],
    filters: Filters,
    organisation_ids: list[int],
    pooled: bool,
) -> dict[str, dict[str, int]]:
    """dimension code -> bucket -> distinct cases with any value.

    For dimensions of one source this is a single query with one filtered
    ``COUNT(DISTINCT case)`` per dimension.
    """
    result: dict[str, dict[str, int]] = {}
    by_source: dict[str, list[Dimension]] = defaultdict(list)
    for dimension in dimensions:
        by_source[dimension.source].append(dimension)
    for group in by_source.values():
        grouped = distinct_rows(
            group,
            filters,
            organisation_ids,
            pooled,
            lambda prefix: _bucket_fields(prefix, filters.granularity),
        )
        for d in group:
            result[d.code] = defaultdict(int)
        for row in grouped:
            bucket = bucket_of(row.get("_year", 0), row.get("_month", 1), filters.granularity)
            for d in group:
                result[d.code][bucket] += row[f"_n_{d.code}"]
    return result


def _terms_of(dimensions: Sequence[Dimension]) -> dict[str, list[Term]]:
    """The terms of every vocabulary the dimensions need, in one query."""
    vocabularies = {d.vocabulary for d in dimensions if d.vocabulary is not None}
    terms: dict[str, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(vocabulary__in=vocabularies).order_by(
        "vocabulary", "order", "code"
    ):
        terms[term.vocabulary].append(term)
    return terms


def _row_keys(
    dimension: Dimension,
    organisations: Sequence[Organisation],
    counted: Iterable[Any],
    terms: dict[str, list[Term]],
) -> list[tuple[Any, str, str]]:
    """(value as grouped, stable code, label) for every row of the table, in order.

    Vocabulary dimensions list every active term (zeros included, so tables of
    different periods and offices line up) and retired terms that still count.
    """
    counted = set(counted)
    if dimension.vocabulary is not None:
        return [
            (t.id, t.code, t.display_label)
            for t in terms.get(dimension.vocabulary, [])
            if t.is_active or t.id in counted
        ]
    if dimension.code == "case_type":
        return [(value, value, str(label)) for value, label in CaseType.choices]
    if dimension.code == "district":
        several = len(organisations) > 1
        districts = (
            District.objects.filter(organisation__in=organisations)
            .filter(Q(is_active=True) | Q(id__in=counted))
            .select_related("organisation")
            .order_by("organisation__code", "name")
        )
        return [
            (d.id, str(d.id), f"{d.name} ({d.organisation.code})" if several else d.name)
            for d in districts
        ]
    raise AssertionError(dimension.code)


def _table(
    dimension: Dimension,
    filters: Filters,
    organisations: Sequence[Organisation],
    counts: dict[Any, dict[str, int]],
    bucket_cases: dict[str, int] | None,
    terms: dict[str, list[Term]],
) -> Table:
    buckets = buckets_for(filters)
    rows = [
        Row(code, label, {bucket: counts.get(value, {}).get(bucket, 0) for bucket in buckets})
        for value, code, label in _row_keys(dimension, organisations, counts, terms)
    ]
    if bucket_cases is None:  # one value per case: the column sums are the cases
        per_bucket = {bucket: sum(row.counts[bucket] for row in rows) for bucket in buckets}
    else:
        per_bucket = {bucket: bucket_cases.get(bucket, 0) for bucket in buckets}
    return Table(dimension, filters, buckets, rows, sum(per_bucket.values()), per_bucket)


def count(
    dimension: str,
    filters: Filters,
    organisations: Sequence[Organisation],
    *,
    pooled: bool = False,
) -> Table:
    """Count the cases of ``organisations`` by ``dimension``.

    ``pooled``: only cases whose person consented to anonymised statistics (and
    has not withdrawn) or that retention has anonymised, for network and public
    figures.
    """
    return _count_many([get_dimension(dimension)], filters, organisations, pooled)[dimension]


def count_all(
    filters: Filters, organisations: Sequence[Organisation], *, pooled: bool = False
) -> dict[str, Table]:
    """Every dimension, in the order of ``DIMENSIONS``."""
    return _count_many(list(DIMENSIONS.values()), filters, organisations, pooled)


def _count_many(
    dimensions: list[Dimension],
    filters: Filters,
    organisations: Sequence[Organisation],
    pooled: bool,
) -> dict[str, Table]:
    from wohnfair.monitoring import summary

    organisation_ids = [organisation.pk for organisation in organisations]
    if summary.enabled():
        counts, distinct = summary.counts(dimensions, filters, organisation_ids, pooled)
    else:
        counts, distinct = live_counts(dimensions, filters, organisation_ids, pooled)
    terms = _terms_of(dimensions)
    return {
        d.code: _table(d, filters, organisations, counts[d.code], distinct.get(d.code), terms)
        for d in dimensions
    }


Counts = dict[str, dict[Any, dict[str, int]]]  # dimension -> value -> bucket -> cases
DistinctCounts = dict[str, dict[str, int]]  # dimension -> bucket -> cases with any value


def live_counts(
    dimensions: Sequence[Dimension], filters: Filters, organisation_ids: list[int], pooled: bool
) -> tuple[Counts, DistinctCounts]:
    """Count from the case tables with ``GROUP BY`` (one query per dimension plus one
    per source for the distinct cases)."""
    multi = [d for d in dimensions if d.source != "case"]
    distinct = _distinct_cases(multi, filters, organisation_ids, pooled) if multi else {}
    counts = {d.code: _grouped_counts(d, filters, organisation_ids, pooled) for d in dimensions}
    return counts, distinct


# -- drill-down --------------------------------------------------------------------


def can_drill_down(dimension: str, filters: Filters) -> bool:
    """Whether the case list can show exactly the cases behind a figure."""
    return (
        dimension in DRILLDOWN_PARAMETERS
        and len(filters.case_types) <= 1
        and len(filters.statuses) <= 1
    )


def case_list_query(
    dimension: str, code: str, filters: Filters, bucket: str = ""
) -> dict[str, str]:
    """GET parameters of the case list (``cases:list``) for one figure.

    ``bucket`` narrows the period to one column of the table.
    """
    get_dimension(dimension)
    start, end = _bucket_span(bucket, filters.period)
    params = {"von": start.isoformat(), "bis": end.isoformat(), "alle": "on"}
    if len(filters.case_types) == 1:
        params["typ"] = filters.case_types[0]
    if len(filters.statuses) == 1:
        params["status"] = filters.statuses[0]
    params[DRILLDOWN_PARAMETERS[dimension]] = code
    return params


def _bucket_span(bucket: str, period: Period) -> tuple[date, date]:
    if not bucket:
        return period.start, period.end
    if "-Q" in bucket:
        year, quarter = (int(part) for part in bucket.split("-Q"))
        start = date(year, 3 * quarter - 2, 1)
        months = 3
    elif "-" in bucket:
        year, month = (int(part) for part in bucket.split("-"))
        start, months = date(year, month, 1), 1
    else:
        start, months = date(int(bucket), 1, 1), 12
    next_month = start.month - 1 + months
    end = date(start.year + next_month // 12, next_month % 12 + 1, 1) - timedelta(days=1)
    return max(start, period.start), min(end, period.end)
