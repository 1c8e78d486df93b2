"""Annual and funder reports (Jahresbericht, Sachbericht): create, write, generate.

A lead creates a report for a period, writes its narrative sections in the
browser and asks for the PDF. ``request_generation`` queues the background task
after the transaction commits; ``generate_report`` (run by the task) counts the
figures of the period, renders HTML with tables and SVG charts, turns it into a
PDF and keeps it in the encrypted file store, updating ``progress`` and
``state`` on the way so that the page can show a progress bar.

States (``ReportState``), each set by one function here:

    draft | done | failed -> queued        (request_generation)
    queued -> running -> done | failed     (generate_report)

Figures are the organisation's own exact counts. With ``consented_only`` (for
reports that are published) only cases with consent to anonymised statistics
count, and small cells are suppressed as in pooled figures.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from wohnfair.accounts.models import Organisation
from wohnfair.audit.services import log_action
from wohnfair.lib.stored_files import EncryptedFileStore
from wohnfair.monitoring import aggregation, charts, suppression
from wohnfair.monitoring.aggregation import Dimension, Table
from wohnfair.monitoring.goals import GoalProgress, progress_for
from wohnfair.monitoring.models import (
    Goal,
    Milestone,
    ReportKind,
    ReportState,
    StatisticsPolicy,
    StatisticsReport,
)

logger = logging.getLogger(__name__)

STORE = EncryptedFileStore("statistics-reports", "statistics-report")
MAX_PERIOD_YEARS = 20
NARRATIVE_MAX_LENGTH = 20_000
DEFAULT_MIN_CELL = 5
# A run that has not finished after this long is taken as lost (worker restarted).
STALE_AFTER = timedelta(minutes=15)

# (code, label, help text) of the narrative sections of each kind of report.
SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    ReportKind.ANNUAL: [
        ("einleitung", N_("Einleitung"), N_("Wer wir sind und was dieser Bericht zeigt.")),
        ("schwerpunkte", N_("Schwerpunkte des Jahres"), ""),
        (
            "fallbeispiele",
            N_("Fallbeispiele (anonymisiert)"),
            N_("Keine Namen, Adressen oder Merkmale, die eine Person erkennbar machen."),
        ),
        ("ausblick", N_("Ausblick"), ""),
    ],
    ReportKind.FUNDER: [
        ("ausgangslage", N_("Ausgangslage"), ""),
        ("massnahmen", N_("Maßnahmen und Aktivitäten"), ""),
        ("zielerreichung", N_("Zielerreichung"), ""),
        ("abweichungen", N_("Abweichungen"), N_("Abweichungen vom Plan und ihre Gründe.")),
        ("ausblick", N_("Ausblick"), ""),
    ],
}


class ReportError(Exception):
    """A request that cannot be carried out; the message is German and shown to the user."""


def sections_for(kind: str) -> list[tuple[str, str, str]]:
    return [
        (code, _(label), _(help_text) if help_text else "")
        for code, label, help_text in SECTIONS[kind]
    ]


def period_errors(start: date, end: date) -> list[str]:
    """German messages for an impossible period; empty when the period is fine."""
    if end < start:
        return [_("Das Ende des Zeitraums liegt vor seinem Anfang.")]
    try:
        limit = start.replace(year=start.year + MAX_PERIOD_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_PERIOD_YEARS, day=28)
    if end >= limit:
        return [
            _("Der Zeitraum darf höchstens %(years)d Jahre umfassen.") % {"years": MAX_PERIOD_YEARS}
        ]
    return []


def paragraphs(text: str) -> list[str]:
    """Plain text to paragraphs (blank lines separate them); markup stays text."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


# --- create and edit ---------------------------------------------------------


def create_report(
    organisation: Organisation,
    *,
    by: Any,
    kind: str,
    title: str,
    period_start: date,
    period_end: date,
    consented_only: bool = False,
) -> StatisticsReport:
    errors = period_errors(period_start, period_end)
    if errors:
        raise ReportError(errors[0])
    if kind not in ReportKind.values:
        raise ReportError(_("Unbekannte Art des Berichts."))
    report = StatisticsReport.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        consented_only=consented_only,
        created_by=by,
    )
    log_action(by, organisation, "statistics_report.created", report, kind=kind)
    return report


def save_narrative(report: StatisticsReport, *, by: Any, texts: Mapping[str, str]) -> None:
    """Keep the texts of the report's own sections; other keys are ignored."""
    codes = [code for code, _label, _help in SECTIONS[report.kind]]
    report.narrative = {
        code: (texts.get(code) or "").strip()[:NARRATIVE_MAX_LENGTH] for code in codes
    }
    report.save(update_fields=["narrative", "updated_at"])
    log_action(by, report.organisation, "statistics_report.narrative_saved", report)


def is_busy(report: StatisticsReport) -> bool:
    """Queued or running, and not left behind by a worker that went away."""
    if report.state not in (ReportState.QUEUED, ReportState.RUNNING):
        return False
    return timezone.now() - report.updated_at < STALE_AFTER


def request_generation(report: StatisticsReport, *, by: Any) -> None:
    """Queue the PDF; the task is enqueued only once the transaction has committed."""
    if is_busy(report):
        raise ReportError(_("Der Bericht wird bereits erstellt."))
    report.state = ReportState.QUEUED
    report.progress = 0
    report.error = ""
    report.save(update_fields=["state", "progress", "error", "updated_at"])
    log_action(by, report.organisation, "statistics_report.generation_requested", report)
    report_id = report.pk

    def enqueue() -> None:
        from wohnfair.monitoring.tasks import generate_report_pdf

        generate_report_pdf.enqueue(report_id)

    transaction.on_commit(enqueue)


def delete_report(report: StatisticsReport, *, by: Any) -> None:
    name = report.file_name
    log_action(by, report.organisation, "statistics_report.deleted", report)
    report.delete()
    if name:
        transaction.on_commit(lambda: STORE.delete(name))


def read_pdf(report: StatisticsReport) -> bytes:
    return STORE.read(report.file_name)


# --- figures -----------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    label: str
    value: int | None  # None: suppressed
    text: str  # as printed: "12", "<5" or "×"


@dataclass(frozen=True)
class FigureTable:
    code: str
    label: str
    rows: list[FigureRow]
    cases_text: str  # distinct cases behind the table
    mentions_text: str  # sum of the rows
    multi: bool
    chart: charts.BarChart


@dataclass
class ReportFigures:
    tables: list[FigureTable] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    min_cell: int | None = None  # set when small cells are suppressed
    secondary_legend: str = ""


def min_cell_of(organisation: Organisation) -> int:
    policy = StatisticsPolicy.objects.filter(organisation=organisation).first()
    return policy.min_cell if policy else DEFAULT_MIN_CELL


def _figure_table(dimension: Dimension, table: Table, min_cell: int | None) -> FigureTable:
    if min_cell is None:
        rows = [FigureRow(str(row.label), row.total, str(row.total)) for row in table.rows]
        cases_text, mentions_text = str(table.cases), str(table.mentions)
    else:
        hidden = suppression.suppress(table, min_cell)
        rows = [
            FigureRow(str(row.label), row.total.value, row.total.display) for row in hidden.rows
        ]
        cases_text, mentions_text = hidden.cases.display, hidden.total.display
    shown = [row for row in rows if row.value != 0]
    return FigureTable(
        code=dimension.code,
        label=str(dimension.label),
        rows=shown,
        cases_text=cases_text,
        mentions_text=mentions_text,
        multi=dimension.multi,
        chart=charts.horizontal_bars(
            [(charts.truncate(row.label), row.value, row.text) for row in shown]
        ),
    )


def count_figures(report: StatisticsReport) -> list[FigureTable]:
    """Every dimension of the period, counted by the dashboard's aggregation.

    Exact counts of all the organisation's cases, or, for a report that is
    published, only consenting cases with small cells suppressed.
    """
    filters = aggregation.Filters(
        period=aggregation.Period(report.period_start, report.period_end), granularity="total"
    )
    organisation = report.organisation
    tables = aggregation.count_all(filters, [organisation], pooled=report.consented_only)
    min_cell = min_cell_of(organisation) if report.consented_only else None
    return [
        _figure_table(dimension, tables[code], min_cell)
        for code, dimension in aggregation.DIMENSIONS.items()
        if code in tables
    ]


def collect_figures(
    report: StatisticsReport, *, on_progress: Callable[[int], None] | None = None
) -> ReportFigures:
    figures = ReportFigures()
    figures.tables = count_figures(report)
    if on_progress:
        on_progress(40)
    organisation = report.organisation
    goals = Goal.objects.of_organisation(organisation).filter(
        year__gte=report.period_start.year, year__lte=report.period_end.year
    )
    figures.goals = progress_for(goals.select_related("organisation"))
    figures.milestones = list(
        Milestone.objects.of_organisation(organisation)
        .filter(is_public=True, date__gte=report.period_start, date__lte=report.period_end)
        .order_by("date", "id")
    )
    if report.consented_only:
        figures.min_cell = min_cell_of(organisation)
        figures.secondary_legend = _(suppression.LEGEND_SECONDARY)
    return figures


def render_report_html(report: StatisticsReport, figures: ReportFigures) -> str:
    sections = [
        {"label": label, "paragraphs": paragraphs(report.narrative.get(code, ""))}
        for code, label, _help in sections_for(report.kind)
    ]
    return render_to_string(
        "monitoring/pdf/report.html",
        {
            "report": report,
            "organisation": report.organisation,
            "sections": sections,
            "figures": figures,
            "generated_on": timezone.localdate(),
        },
    )


# --- generation (runs in the background task) --------------------------------


@dataclass
class Timings:
    counting: float = 0.0
    html: float = 0.0
    pdf: float = 0.0
    storing: float = 0.0


def _set(report: StatisticsReport, **values: object) -> None:
    """Write progress straight away (outside any transaction), so the page sees it."""
    for name, value in values.items():
        setattr(report, name, value)
    StatisticsReport.objects.of_organisation(report.organisation).filter(pk=report.pk).update(
        updated_at=timezone.now(), **values
    )


FAILURE_MESSAGE = gettext_lazy(
    "Der Bericht konnte nicht erstellt werden. Bitte versuchen Sie es erneut; "
    "wenn es wieder scheitert, wenden Sie sich an die Administration."
)


def generate_report(report: StatisticsReport, *, timings: Timings | None = None) -> bool:
    """Count, render and store the PDF; True when done, False when it failed.

    A failure is recorded on the report with a short message for the user; the
    details (no personal data: counts and templates only) go to the log.
    """
    from wohnfair.lib.pdf import render_pdf

    timings = timings if timings is not None else Timings()
    new_name = ""
    try:
        _set(report, state=ReportState.RUNNING, progress=5, error="")
        started = time.perf_counter()
        figures = collect_figures(report, on_progress=lambda value: _set(report, progress=value))
        timings.counting = time.perf_counter() - started
        _set(report, progress=60)

        started = time.perf_counter()
        html = render_report_html(report, figures)
        timings.html = time.perf_counter() - started
        _set(report, progress=70)

        started = time.perf_counter()
        pdf = render_pdf(html)
        timings.pdf = time.perf_counter() - started
        _set(report, progress=90)

        started = time.perf_counter()
        new_name = STORE.write(pdf)
        old_name = report.file_name
        _set(
            report,
            file_name=new_name,
            file_size=len(pdf),
            generated_at=timezone.now(),
            state=ReportState.DONE,
            progress=100,
        )
        if old_name and old_name != new_name:
            STORE.delete(old_name)
        timings.storing = time.perf_counter() - started
    except Exception:
        logger.exception("statistics report %s failed", report.pk)
        if new_name and report.file_name != new_name:
            STORE.delete(new_name)
        _set(report, state=ReportState.FAILED, error=str(FAILURE_MESSAGE)[:300])
        log_action(None, report.organisation, "statistics_report.failed", report)
        return False
    log_action(None, report.organisation, "statistics_report.generated", report, size=len(pdf))
    return True


def generate_report_by_id(report_id: int) -> str:
    """Entry point of the task: the report's state afterwards, or "missing"."""
    report = (
        StatisticsReport.objects.unscoped("background task of one report, found by its id")
        .select_related("organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None:  # deleted while queued
        return "missing"
    generate_report(report)
    return report.state
