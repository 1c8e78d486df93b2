"""Reading the query parameters of the statistics API into ``Filters``.

Kept apart from the view so that the parameters, the OpenAPI schema and the
parser can be checked against each other without HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext as _

from wohnfair.cases.models import CaseStatus, CaseType
from wohnfair.monitoring.aggregation import DIMENSIONS, GRANULARITIES, Filters, Period

# Every query parameter the API reads; the schema test checks the schema against it.
PARAMETERS = ("dimension", "start", "end", "granularity", "case_type", "status", "organisation")
MAX_VALUES = 20


class ApiError(Exception):
    """An answer with a JSON error object: ``{"error": {"code", "message", "field"}}``."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, dict[str, str | None]]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


@dataclass(frozen=True)
class StatisticsQuery:
    dimensions: tuple[str, ...]
    filters: Filters
    organisation: str | None  # member code, for the network role


def _bad(code: str, message: str, field: str) -> ApiError:
    return ApiError(400, code, message, field)


def _date(params: QueryDict, name: str, default: date) -> date:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(
            "invalid_date",
            _("„%(value)s“ ist kein gültiges Datum (JJJJ-MM-TT).") % {"value": value[:40]},
            name,
        ) from None


def _values(params: QueryDict, name: str) -> list[str]:
    """A parameter given several times or as a comma-separated list."""
    values = [part.strip() for raw in params.getlist(name) for part in raw.split(",")]
    values = [value for value in values if value]
    if len(values) > MAX_VALUES:
        raise _bad("too_many_values", _("Zu viele Werte."), name)
    return list(dict.fromkeys(values))


def parse_query(params: QueryDict, today: date) -> StatisticsQuery:
    """Validate the query; raises ``ApiError`` (400) naming the first bad parameter."""
    for name in params:
        if name not in PARAMETERS:
            raise _bad(
                "unknown_parameter",
                _("Unbekannter Parameter „%(name)s“.") % {"name": name[:40]},
                name[:40],
            )
    dimensions = _values(params, "dimension") or list(DIMENSIONS)
    for dimension in dimensions:
        if dimension not in DIMENSIONS:
            raise _bad(
                "unknown_dimension",
                _("Unbekannte Dimension „%(value)s“. Erlaubt: %(allowed)s.")
                % {"value": dimension[:40], "allowed": ", ".join(DIMENSIONS)},
                "dimension",
            )
    start = _date(params, "start", date(today.year, 1, 1))
    end = _date(params, "end", date(today.year, 12, 31))
    try:
        period = Period(start, end)
    except ValueError as error:
        raise _bad("invalid_period", str(error), "end") from None
    granularity = params.get("granularity") or "total"
    if granularity not in GRANULARITIES:
        raise _bad(
            "unknown_granularity",
            _("Unbekannte Einteilung „%(value)s“. Erlaubt: %(allowed)s.")
            % {"value": granularity[:40], "allowed": ", ".join(GRANULARITIES)},
            "granularity",
        )
    case_types = _values(params, "case_type")
    for value in case_types:
        if value not in CaseType.values:
            raise _bad(
                "unknown_value",
                _("Unbekannte Fallart „%(value)s“. Erlaubt: %(allowed)s.")
                % {"value": value[:40], "allowed": ", ".join(CaseType.values)},
                "case_type",
            )
    statuses = _values(params, "status")
    for value in statuses:
        if value not in CaseStatus.values:
            raise _bad(
                "unknown_value",
                _("Unbekannter Status „%(value)s“. Erlaubt: %(allowed)s.")
                % {"value": value[:40], "allowed": ", ".join(CaseStatus.values)},
                "status",
            )
    organisation = (params.get("organisation") or "").strip().upper() or None
    filters = Filters(period, granularity, tuple(case_types), tuple(statuses))  # type: ignore[arg-type]
    return StatisticsQuery(tuple(dimensions), filters, organisation)
