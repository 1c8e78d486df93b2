"""Annual and funder reports for leads: create, write, generate the PDF, download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import get_for_organisation_or_404, staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring import reports
from wohnfair.monitoring.models import StatisticsReport
from wohnfair.monitoring.report_forms import NarrativeForm, ReportCreateForm


def _get_report(request: HttpRequest, pk: int) -> StatisticsReport:
    return get_for_organisation_or_404(
        request, StatisticsReport.objects.select_related("organisation"), pk=pk
    )


@staff_required(Role.LEAD)
def report_list(request: HttpRequest) -> HttpResponse:
    items = StatisticsReport.objects.of_organisation(request.membership.organisation)
    return render(request, "monitoring/reports.html", {"reports": items[:200]})


@staff_required(Role.LEAD)
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = reports.create_report(
            request.membership.organisation,
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            consented_only=data["consented_only"],
        )
        messages.success(request, _("Der Bericht ist angelegt. Schreiben Sie jetzt die Texte."))
        return redirect("monitoring:report", pk=report.pk)
    return render(
        request,
        "monitoring/reports_create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@staff_required(Role.LEAD)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = NarrativeForm(report.kind, request.POST or None, initial=report.narrative)
    if request.method == "POST" and form.is_valid():
        reports.save_narrative(report, by=request.user, texts=form.cleaned_data)
        messages.success(request, _("Die Texte sind gespeichert."))
        return redirect("monitoring:report", pk=report.pk)
    return render(
        request,
        "monitoring/reports_detail.html",
        {"report": report, "form": form, "busy": reports.is_busy(report)},
        status=400 if form.errors else 200,
    )


@staff_required(Role.LEAD)
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    try:
        reports.request_generation(report, by=request.user)
    except reports.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die PDF-Datei wird erstellt."))
    return redirect("monitoring:report", pk=report.pk)


@staff_required(Role.LEAD)
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone, polled by htmx while the PDF is being made."""
    report = _get_report(request, pk)
    return render(
        request,
        "monitoring/reports_status.html",
        {"report": report, "busy": reports.is_busy(report)},
    )


@staff_required(Role.LEAD)
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    if not report.file_name:
        messages.error(request, _("Für diesen Bericht gibt es noch keine PDF-Datei."))
        return redirect("monitoring:report", pk=report.pk)
    data = reports.read_pdf(report)
    log_action(request.user, report.organisation, "statistics_report.downloaded", report)
    name = slugify(f"{report.title} {report.period_start:%Y-%m-%d} {report.period_end:%Y-%m-%d}")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name or "bericht"}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required(Role.LEAD)
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    if request.method == "POST":
        if reports.is_busy(report):
            messages.error(
                request, _("Der Bericht wird gerade erstellt und kann erst danach gelöscht werden.")
            )
            return redirect("monitoring:report", pk=report.pk)
        reports.delete_report(report, by=request.user)
        messages.success(request, _("Der Bericht ist gelöscht."))
        return redirect("monitoring:reports")
    return render(request, "monitoring/reports_delete.html", {"report": report})
