"""The read-only statistics API (``/api/v1/statistics/``) and its schema.

Authentication by session (staff with an active membership) or by
``Authorization: Bearer <token>``. Office staff get their organisation's exact
counts; the network role gets pooled, suppressed figures exactly as the
network view shows them. Every answer is JSON, errors included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from wohnfair.accounts.access import ACCESS_ATTRIBUTE, mfa_satisfied, public
from wohnfair.accounts.models import Membership, Role
from wohnfair.monitoring.aggregation import Table, bucket_label, count_all
from wohnfair.monitoring.api_query import ApiError, StatisticsQuery, parse_query
from wohnfair.monitoring.api_schema import schema
from wohnfair.monitoring.network_figures import (
    LOCAL_ONLY_DIMENSIONS,
    POOLED_DIMENSIONS,
    network_figures,
)
from wohnfair.monitoring.pooling import column_members, members_of
from wohnfair.monitoring.suppression import Cell, SuppressedTable
from wohnfair.monitoring.tokens import API_ROLES, authenticate_token

logger = logging.getLogger(__name__)
ApiView = Callable[..., HttpResponse]


def json_error(error: ApiError) -> JsonResponse:
    response = JsonResponse(error.as_dict(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="wohnfair-statistics"'
    return response


def api_view(view: ApiView) -> ApiView:
    """GET only, JSON errors, never cached; the view authenticates itself."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = json_error(
                ApiError(405, "method_not_allowed", _("Die API kann nur lesen (GET)."))
            )
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = json_error(error)
            except Http404:
                response = json_error(ApiError(404, "not_found", _("Nicht gefunden.")))
            except Exception:
                logger.exception("statistics API failed")
                response = json_error(
                    ApiError(
                        500, "server_error", _("Interner Fehler. Bitte später erneut versuchen.")
                    )
                )
        add_never_cache_headers(response)
        return response

    setattr(wrapper, ACCESS_ATTRIBUTE, "api:session-or-token")
    return wrapper


def authenticate(request: HttpRequest) -> Membership:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        membership = authenticate_token(token.strip()) if scheme.lower() == "bearer" else None
        if membership is None:
            raise ApiError(
                401,
                "invalid_token",
                _("Der API-Schlüssel ist ungültig, abgelaufen oder widerrufen."),
            )
        return membership
    if not request.user.is_authenticated:
        raise ApiError(
            401,
            "not_authenticated",
            _("Anmeldung nötig: angemeldete Sitzung oder „Authorization: Bearer <Schlüssel>“."),
        )
    if settings.WOHNFAIR_REQUIRE_MFA and not mfa_satisfied(request):
        raise ApiError(
            401, "mfa_required", _("Die Sitzung ist nicht mit zweitem Faktor bestätigt.")
        )
    active: Membership | None = getattr(request, "membership", None)
    if active is None or active.role not in API_ROLES:
        raise ApiError(403, "forbidden", _("Ihre Rolle erlaubt keinen Zugriff auf die Statistik."))
    return active


# --- serialising ---------------------------------------------------------------------------


def _cell(cell: Cell) -> dict[str, Any]:
    return {"count": cell.value, "suppressed": cell.suppressed, "display": cell.display}


def _exact(value: int) -> Cell:
    return Cell(value, False, str(value))


def suppressed_json(table: SuppressedTable) -> dict[str, Any]:
    return {
        "label": str(table.dimension.label),
        "multi": table.dimension.multi,
        "buckets": [{"key": b, "label": bucket_label(b)} for b in table.buckets],
        "cases": _cell(table.cases),
        "mentions": _cell(table.total),
        "rows": [
            {
                "code": row.code,
                "label": row.label,
                "cells": [{"bucket": b, **_cell(c)} for b, c in row.cells.items()],
                "total": _cell(row.total),
            }
            for row in table.rows
        ],
        "column_totals": [{"bucket": b, **_cell(c)} for b, c in table.column_totals.items()],
    }


def exact_json(table: Table) -> dict[str, Any]:
    totals = table.bucket_totals()
    return {
        "label": str(table.dimension.label),
        "multi": table.dimension.multi,
        "buckets": [{"key": b, "label": bucket_label(b)} for b in table.buckets],
        "cases": _cell(_exact(table.cases)),
        "mentions": _cell(_exact(table.mentions)),
        "rows": [
            {
                "code": row.code,
                "label": row.label,
                "cells": [{"bucket": b, **_cell(_exact(n))} for b, n in row.counts.items()],
                "total": _cell(_exact(row.total)),
            }
            for row in table.rows
        ],
        "column_totals": [{"bucket": b, **_cell(_exact(n))} for b, n in totals.items()],
    }


def _envelope(
    membership: Membership, query: StatisticsQuery, scope: str, k: int | None
) -> dict[str, Any]:
    filters = query.filters
    return {
        "organisation": {
            "code": membership.organisation.code,
            "name": membership.organisation.name,
        },
        "scope": scope,
        "pooled": k is not None,
        "min_cell": k,
        "period": {
            "start": filters.period.start.isoformat(),
            "end": filters.period.end.isoformat(),
        },
        "granularity": filters.granularity,
        "filters": {"case_type": list(filters.case_types), "status": list(filters.statuses)},
    }


# --- views ---------------------------------------------------------------------------------


@api_view
def statistics(request: HttpRequest) -> HttpResponse:
    membership = authenticate(request)
    query = parse_query(request.GET, date.today())
    if membership.role == Role.NETWORK_ANALYST:
        return JsonResponse(network_statistics(membership, query, request.GET))
    organisation = membership.organisation
    if query.organisation and query.organisation != organisation.code.upper():
        raise ApiError(
            403,
            "forbidden",
            _("Sie können nur die Zahlen Ihrer eigenen Organisation abfragen."),
            "organisation",
        )
    tables = count_all(query.filters, [organisation])
    body = _envelope(membership, query, "organisation", None)
    body["dimensions"] = {d: exact_json(tables[d]) for d in query.dimensions}
    return JsonResponse(body)


def network_statistics(
    membership: Membership, query: StatisticsQuery, params: Any
) -> dict[str, Any]:
    network = membership.organisation
    if not network.is_network:
        raise ApiError(403, "forbidden", _("Ihre Organisation ist kein Netzwerk."))
    dimensions = query.dimensions if params.get("dimension") else POOLED_DIMENSIONS
    for dimension in dimensions:
        if dimension in LOCAL_ONLY_DIMENSIONS:
            raise ApiError(
                400,
                "dimension_not_pooled",
                _("„%(dim)s“ wird nicht über Organisationen hinweg gezählt.") % {"dim": dimension},
                "dimension",
            )
    member = None
    if query.organisation:
        member = next(
            (m for m in members_of(network) if m.code.upper() == query.organisation), None
        )
        if member is None:
            raise ApiError(
                404,
                "not_found",
                _("Keine Mitgliedsorganisation mit diesem Kürzel."),
                "organisation",
            )
        if member not in column_members(network):
            raise ApiError(
                403,
                "not_permitted",
                _("Diese Organisation erlaubt keine eigene Spalte in der Netzwerkstatistik."),
                "organisation",
            )
        if query.filters.granularity != "total":
            raise ApiError(
                400,
                "invalid_granularity",
                _("Zahlen einer einzelnen Organisation gibt es nur für den ganzen Zeitraum."),
                "granularity",
            )
    figures = network_figures(
        network, query.filters, dimensions, with_columns=bool(query.organisation)
    )
    body = _envelope(membership, query, "network", figures.k)
    if query.organisation and member is not None:
        body["scope"] = "member"
        body["member"] = {"code": member.code, "name": member.name}
        body["dimensions"] = {
            d: {
                "label": str(table.dimension.label),
                "multi": table.dimension.multi,
                "rows": [
                    {
                        "code": row.code,
                        "label": row.label,
                        "total": _cell(figures.columns[d].cells[row.code][member.code]),
                    }
                    for row in table.rows
                ],
                "mentions": _cell(figures.columns[d].totals[member.code]),
            }
            for d, table in figures.tables.items()
        }
    else:
        body["dimensions"] = {d: suppressed_json(t) for d, t in figures.tables.items()}
        body["imports"] = [
            {
                "source": r.source_code,
                "start": r.period_start.isoformat(),
                "end": r.period_end.isoformat(),
            }
            for r in figures.imports
        ]
    return body


@public
def openapi_schema(request: HttpRequest) -> HttpResponse:
    return JsonResponse(schema(request.build_absolute_uri("/api/v1/")))


@api_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise ApiError(404, "not_found", _("Diesen Endpunkt gibt es nicht."))
