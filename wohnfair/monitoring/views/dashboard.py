"""The statistics dashboard of an organisation and its CSV/XLSX exports.

Figures here are the organisation's own, unsuppressed and for its counsellors
and lead only; each figure links to the matching case list (which shows each
user only the cases they may see). Pooled figures live in the network view.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.lib.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, to_csv, to_xlsx
from wohnfair.monitoring import aggregation
from wohnfair.monitoring.aggregation import DIMENSIONS, Filters, Table, bucket_label
from wohnfair.monitoring.charts import BarChart, horizontal_bars, truncate
from wohnfair.monitoring.forms import StatisticsFilterForm, default_filters, filters_from, query_of


@dataclass(frozen=True)
class Figure:
    value: int
    href: str  # "" without drill-down


@dataclass(frozen=True)
class RowView:
    code: str
    label: str
    cells: list[Figure]
    total: Figure


@dataclass(frozen=True)
class TableView:
    table: Table
    buckets: list[str]  # labels of the bucket columns ([] for the whole period)
    rows: list[RowView]
    bucket_totals: list[int]
    bucket_cases: list[int]
    chart: BarChart
    export_query: str


def _href(dimension: str, code: str, filters: Filters, bucket: str, drill: bool) -> str:
    if not drill:
        return ""
    query = aggregation.case_list_query(dimension, code, filters, bucket)
    return f"{reverse('cases:list')}?{urlencode(query)}"


def table_view(table: Table) -> TableView:
    filters = table.filters
    code = table.dimension.code
    drill = aggregation.can_drill_down(code, filters)
    by_bucket = filters.granularity != "total"
    buckets = table.buckets if by_bucket else []
    rows = [
        RowView(
            row.code,
            row.label,
            [
                Figure(
                    row.counts[b], _href(code, row.code, filters, b, drill and row.counts[b] > 0)
                )
                for b in buckets
            ],
            Figure(row.total, _href(code, row.code, filters, "", drill and row.total > 0)),
        )
        for row in table.rows
    ]
    totals = table.bucket_totals()
    export = urlencode([("dimension", code), *query_of(filters)])
    return TableView(
        table=table,
        buckets=[bucket_label(b) for b in buckets],
        rows=rows,
        bucket_totals=[totals[b] for b in buckets],
        bucket_cases=[table.bucket_cases.get(b, 0) for b in buckets],
        chart=horizontal_bars([(truncate(r.label), r.total, str(r.total)) for r in table.rows]),
        export_query=export,
    )


@staff_required(Role.COUNSELLOR, Role.LEAD)
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    if request.GET:
        form, filters = filters_from(request.GET)
    else:
        filters = default_filters()
        form = StatisticsFilterForm(initial={"jahr": filters.period.start.year})
    views: list[TableView] = []
    over_time: BarChart | None = None
    cases = 0
    if filters is not None:
        tables = aggregation.count_all(filters, [organisation])
        views = [table_view(table) for table in tables.values()]
        by_type = tables["case_type"]
        cases = by_type.cases
        if filters.granularity != "total":
            over_time = horizontal_bars(
                [(bucket_label(b), n, str(n)) for b, n in by_type.bucket_cases.items()]
            )
    context = {
        "form": form,
        "filters": filters,
        "tables": views,
        "cases": cases,
        "over_time": over_time,
        "organisation": organisation,
    }
    return render(request, "monitoring/dashboard.html", context, status=200 if filters else 400)


def _export_rows(table: Table) -> tuple[list[str], list[list[str | int]]]:
    buckets = table.buckets if table.filters.granularity != "total" else []
    header = [
        _("Code"),
        str(table.dimension.label),
        *(bucket_label(b) for b in buckets),
        _("Summe"),
    ]
    rows: list[list[str | int]] = [
        [row.code, row.label, *(row.counts[b] for b in buckets), row.total] for row in table.rows
    ]
    totals = table.bucket_totals()
    rows.append(["", _("Summe der Nennungen"), *(totals[b] for b in buckets), table.mentions])
    rows.append(
        [
            "",
            _("Fälle (jeder Fall einmal)"),
            *(table.bucket_cases.get(b, 0) for b in buckets),
            table.cases,
        ]
    )
    return header, rows


@staff_required(Role.COUNSELLOR, Role.LEAD)
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    organisation = request.membership.organisation
    dimension = request.GET.get("dimension", "")
    if dimension not in DIMENSIONS:
        return HttpResponseBadRequest(
            _("Unbekannte oder fehlende Dimension „%(code)s“.") % {"code": dimension[:40]},
            content_type="text/plain; charset=utf-8",
        )
    form, filters = filters_from(request.GET)
    if filters is None:
        messages = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(
            _("Ungültige Filter: %(errors)s") % {"errors": " ".join(messages)},
            content_type="text/plain; charset=utf-8",
        )
    table = aggregation.count(dimension, filters, [organisation])
    header, rows = _export_rows(table)
    name = f"statistik-{dimension}-{filters.period.start}-{filters.period.end}"
    if file_format == "xlsx":
        content, content_type = to_xlsx(str(table.dimension.label), header, rows), XLSX_CONTENT_TYPE
    else:
        content, content_type = to_csv(header, rows), CSV_CONTENT_TYPE
    log_action(
        request.user,
        organisation,
        "statistics.exported",
        dimension=dimension,
        format=file_format,
        period=f"{filters.period.start}/{filters.period.end}",
        granularity=filters.granularity,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
