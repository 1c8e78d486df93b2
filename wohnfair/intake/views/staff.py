"""The staff side of the reporting portal: the intake queue, one report, triage, catchment.

Counsellors and leads see the reports of their organisation; an administrator of a
network sees the network queue (reports no catchment matched) and the reports of
its members, and may hand a queued report to a member or mark it as spam. Every
report is looked up by reference through ``Report.objects.for_user``: a report of
another organisation answers 404, whatever the method. Every read of a report is
audited (``report.viewed``), every download too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wohnfair import submissions
from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Organisation, Role
from wohnfair.audit.services import log_access, log_action
from wohnfair.cases import services as case_services
from wohnfair.cases.forms import NewRespondentForm
from wohnfair.cases.models import Case, Respondent
from wohnfair.cases.views.documents import attachment_disposition
from wohnfair.intake import triage
from wohnfair.intake.models import CatchmentArea, Report, ReportStatus, Situation
from wohnfair.intake.staff_forms import (
    QUEUE_NETWORK,
    STATUS_ALL,
    STATUS_OPEN,
    AssignForm,
    CatchmentForm,
    ForwardForm,
    OpenCaseForm,
    QueueFilterForm,
    ReplyForm,
    StatusForm,
)
from wohnfair.intake.views.public import one_time_page

STAFF = (Role.COUNSELLOR, Role.LEAD)
QUEUE_ROLES = (Role.COUNSELLOR, Role.LEAD, Role.ADMINISTRATOR)
PAGE_SIZE = 25

# Report status -> the status badge style of the workspace.
STATUS_STYLE = {
    ReportStatus.RECEIVED: "open",
    ReportStatus.IN_PROGRESS: "in_progress",
    ReportStatus.CLOSED: "closed",
    ReportStatus.SPAM: "closed",
    ReportStatus.DUPLICATE: "closed",
}


# Lookups -------------------------------------------------------------------------------


def reports_for(request: HttpRequest) -> QuerySet[Report]:
    """The reports this user may see; once a report has a case, only with the case.

    A report that became a confidential case is hidden from counsellors who may not
    open that case, and every report with a case from network administrators.
    """
    membership = getattr(request, "membership", None)
    cases = Case.objects.for_user(request.user, membership)  # type: ignore[arg-type]
    return Report.objects.for_user(request.user, membership).filter(
        Q(case__isnull=True) | Q(case__in=cases.values("pk"))
    )


def get_report_for_user(request: HttpRequest, reference: str) -> Report:
    """The report with this reference if the user may see it, else 404."""
    try:
        return (
            reports_for(request)
            .select_related("organisation", "assigned_to", "case")
            .get(reference=reference)
        )
    except Report.DoesNotExist:
        raise Http404 from None


def is_administrator(request: HttpRequest) -> bool:
    return bool(request.membership.role == Role.ADMINISTRATOR)


def network_members(request: HttpRequest) -> QuerySet[Organisation] | None:
    """The members of the active network, for an administrator; None for everyone else."""
    if not is_administrator(request) or not request.membership.organisation.is_network:
        return None
    return request.membership.organisation.member_organisations.order_by("name")


def may_triage(request: HttpRequest, report: Report) -> bool:
    """Counsellors and leads act on their reports; administrators only on the network queue."""
    if is_administrator(request):
        return report.organisation_id is None
    return True


def visible_case(request: HttpRequest, case_id: int | None) -> Case | None:
    """The case if this user may open it (a restricted case may be hidden from them)."""
    if case_id is None:
        return None
    return Case.objects.for_user(request.user, request.membership).filter(pk=case_id).first()


# Queue ---------------------------------------------------------------------------------


@staff_required(*QUEUE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    members = network_members(request)
    form = QueueFilterForm(request.GET or None, members=members)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})  # the valid filters apply, the others not
    visible = reports_for(request)
    counts = triage.status_counts(visible)
    reports = visible
    status = data.get("status", STATUS_OPEN)
    if status == STATUS_OPEN:
        reports = reports.filter(status__in=triage.OPEN_STATUSES)
    elif status != STATUS_ALL:
        reports = reports.filter(status=status)
    if data.get("sprache"):
        reports = reports.filter(language=data["sprache"])
    chosen = data.get("organisation")
    if chosen == QUEUE_NETWORK:
        reports = reports.filter(organisation__isnull=True)
    elif chosen:
        reports = reports.filter(organisation_id=chosen)
    reports = (
        reports.select_related("organisation", "assigned_to", "case")
        .annotate(
            is_new=SqlCase(
                When(status=ReportStatus.RECEIVED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            unread=Count(
                "messages",
                filter=Q(messages__author__isnull=True, messages__read_at__isnull=True),
            ),
        )
        .order_by("is_new", "-created_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("seite"))
    situation_labels = dict(Situation.choices)
    rows = [
        {
            "report": report,
            "style": STATUS_STYLE.get(report.status, "open"),
            "situations": [situation_labels.get(code, code) for code in report.situations],
        }
        for report in page
    ]
    status_links = [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in ReportStatus.choices
    ]
    return render(
        request,
        "intake/staff/queue.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "status_links": status_links,
            "new_count": counts[ReportStatus.RECEIVED],
            "is_network_admin": members is not None,
            "can_enter": request.membership.role in STAFF,
        },
        status=400 if form.errors else 200,
    )


# One report ----------------------------------------------------------------------------


def detail_context(request: HttpRequest, report: Report, **forms: Any) -> dict[str, Any]:
    organisation = report.organisation
    staff = request.membership.role in STAFF
    triage_allowed = may_triage(request, report)
    open_report = report.status in triage.OPEN_STATUSES
    context: dict[str, Any] = {
        "report": report,
        "style": STATUS_STYLE.get(report.status, "open"),
        "situations": triage.situation_labels(report),
        "grounds": list(report.grounds.all()),
        "files": list(report.files.all()),
        "thread": list(report.messages.select_related("author")),
        "case": visible_case(request, report.case_id),
        "duplicate_of": (
            reports_for(request).filter(pk=report.duplicate_of_id).first()
            if report.duplicate_of_id
            else None
        ),
        "is_staff_role": staff,
        "may_triage": triage_allowed,
        "may_open_case": staff
        and report.case_id is None
        and organisation is not None
        and report.status not in (ReportStatus.SPAM, ReportStatus.DUPLICATE),
        "received_on": triage.received_on(report),
        "consents": triage.consent_labels(report),
    }
    if staff and organisation is not None:
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            counsellors=triage.assignable_counsellors(organisation),
            initial={"assignee": report.assigned_to_id},
        )
        context["reply_form"] = forms.get("reply_form") or ReplyForm(prefix="answer")
        context["note_form"] = forms.get("note_form") or ReplyForm(prefix="note")
    if triage_allowed:
        status_form = forms.get("status_form") or StatusForm(report=report)
        if status_form.fields["status"].choices:
            context["status_form"] = status_form
        if open_report and report.case_id is None:
            targets = triage.forward_targets(report, by=request.user)
            if targets.exists():
                context["forward_form"] = forms.get("forward_form") or ForwardForm(targets=targets)
    return context


def render_detail(
    request: HttpRequest, report: Report, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The report page; each rendering is an audited read.

    The reporter's messages count as read once someone who works on the report saw
    them (not when a network administrator looks at a member's report).
    """
    context = detail_context(request, report, **forms)
    context["unread_ids"] = set(
        report.messages.filter(author__isnull=True, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if context["may_triage"]:
        triage.mark_read(report)
    log_access(request, "report.viewed", report)
    return render(request, "intake/staff/detail.html", context, status=status)


def refuse(request: HttpRequest, report: Report, message: str, **forms: Any) -> HttpResponse:
    messages.error(request, message)
    return render_detail(request, report, status=400, **forms)


@staff_required(*QUEUE_ROLES)
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render_detail(request, report)


@staff_required(*STAFF)
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AssignForm(
        request.POST, counsellors=triage.assignable_counsellors(request.membership.organisation)
    )
    if not form.is_valid():
        return refuse(request, report, " ".join(form.errors["assignee"]), assign_form=form)
    try:
        triage.assign_report(report, form.cleaned_data["assignee"], by=request.user)
    except triage.TriageError as error:
        return refuse(request, report, str(error), assign_form=form)
    messages.success(request, _("Die Zuständigkeit ist gespeichert."))
    return redirect("intake:detail", report.reference)


@staff_required(*STAFF)
def reply(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    internal = request.POST.get("kind") == "note"
    prefix = "note" if internal else "answer"
    form = ReplyForm(request.POST, prefix=prefix)
    form_key = "note_form" if internal else "reply_form"
    if not form.is_valid():
        return refuse(request, report, " ".join(form.errors["text"]), **{form_key: form})
    try:
        triage.reply(report, form.cleaned_data["text"], by=request.user, internal=internal)
    except triage.TriageError as error:
        return refuse(request, report, str(error), **{form_key: form})
    if internal:
        messages.success(request, _("Die interne Notiz ist gespeichert."))
    elif report.contact_email:
        messages.success(
            request,
            _(
                "Die Antwort ist gespeichert. Die Person erhält eine E-Mail ohne Inhalt, dass es "
                "eine neue Nachricht gibt."
            ),
        )
    else:
        messages.success(
            request,
            _("Die Antwort ist gespeichert. Die Person sieht sie mit ihrem Code."),
        )
    return redirect("intake:detail", report.reference)


@staff_required(*QUEUE_ROLES)
def set_status(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_triage(request, report):
        return refuse(
            request,
            report,
            _("Diese Meldung gehört einer Organisation; nur dort kann sie bearbeitet werden."),
        )
    form = StatusForm(request.POST, report=report)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return refuse(request, report, " ".join(errors), status_form=form)
    status = form.cleaned_data["status"]
    try:
        if status == ReportStatus.DUPLICATE:
            original = (
                reports_for(request)
                .filter(
                    reference=form.cleaned_data["duplicate_of"],
                    organisation_id=report.organisation_id,
                )
                .first()
            )
            if original is None:
                form.add_error(
                    "duplicate_of",
                    _("Eine Meldung mit diesem Aktenzeichen gibt es in Ihrer Organisation nicht."),
                )
                return refuse(
                    request, report, " ".join(form.errors["duplicate_of"]), status_form=form
                )
            triage.mark_duplicate(report, original, by=request.user)
        else:
            triage.set_status(report, status, by=request.user)
    except triage.TriageError as error:
        return refuse(request, report, str(error), status_form=form)
    messages.success(request, _("Status: %(status)s") % {"status": report.get_status_display()})
    return redirect("intake:detail", report.reference)


@staff_required(*QUEUE_ROLES)
def forward(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not may_triage(request, report):
        return refuse(
            request,
            report,
            _("Diese Meldung gehört einer Organisation; nur dort kann sie bearbeitet werden."),
        )
    form = ForwardForm(request.POST, targets=triage.forward_targets(report, by=request.user))
    if not form.is_valid():
        return refuse(request, report, " ".join(form.errors["organisation"]), forward_form=form)
    target = form.cleaned_data["organisation"]
    try:
        triage.forward(report, target, by=request.user)
    except triage.TriageError as error:
        return refuse(request, report, str(error), forward_form=form)
    messages.success(
        request,
        _("Die Meldung %(reference)s ist an %(organisation)s weitergeleitet.")
        % {"reference": report.reference, "organisation": target.name},
    )
    # The report may now be out of sight: back to the queue.
    return redirect("intake:queue")


@staff_required(*STAFF)
def download_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    report_file = report.files.filter(pk=pk).first()
    if report_file is None:
        raise Http404
    data = triage.report_file_bytes(report_file)
    log_action(
        request.user, report.organisation, "report.file_downloaded", report, file=report_file.pk
    )
    content_type = report_file.content_type
    if content_type == "text/plain":
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(report_file.original_name or "Datei")
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# Opening a case ------------------------------------------------------------------------


def open_case_forms(request: HttpRequest, report: Report) -> dict[str, Any]:
    organisation = request.membership.organisation
    data = request.POST if request.method == "POST" else None
    return {
        "form": OpenCaseForm(
            data,
            organisation=organisation,
            initial={"channel": triage.default_channel(report)},
        ),
        "respondent_form": NewRespondentForm(
            data,
            prefix="respondent",
            initial={
                "new_respondent_name": report.respondent_name,
                "new_respondent_kind": report.respondent_kind_id,
            },
        ),
    }


def choose_respondent(
    request: HttpRequest, forms: dict[str, Any]
) -> tuple[Respondent | None, triage.NewRespondent | None, list[Respondent]]:
    """(existing, new, similar): similar names stop a new one until it is confirmed."""
    existing = forms["form"].cleaned_data.get("respondent")
    if existing is not None:
        return existing, None, []
    new = forms["respondent_form"].cleaned_data
    name = (new.get("new_respondent_name") or "").strip()
    if not name:
        return None, None, []
    similar = case_services.similar_respondents(request.membership.organisation, name)
    if similar and not new.get("confirm_new_respondent"):
        return None, None, similar
    return None, triage.NewRespondent(name=name, kind=new["new_respondent_kind"]), []


@staff_required(*STAFF)
def open_case(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_report_for_user(request, reference)
    if report.case_id is not None:
        case = visible_case(request, report.case_id)
        messages.info(request, _("Zu dieser Meldung wurde bereits ein Fall eröffnet."))
        return redirect(case or reverse("intake:detail", args=[report.reference]))
    forms = open_case_forms(request, report)
    similar: list[Respondent] = []
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        try:
            with transaction.atomic():
                duplicate = submissions.claim(request.POST.get(submissions.TOKEN_FIELD))
                if duplicate is not None:
                    messages.info(request, _("Zu dieser Meldung wurde bereits ein Fall eröffnet."))
                    return redirect(duplicate or reverse("intake:detail", args=[reference]))
                respondent, new_respondent, similar = choose_respondent(request, forms)
                if not similar:
                    case = triage.open_case_from_report(
                        report,
                        by=request.user,
                        respondent=respondent,
                        new_respondent=new_respondent,
                        channel=forms["form"].cleaned_data["channel"],
                    )
                    submissions.remember(
                        request.POST[submissions.TOKEN_FIELD], case.get_absolute_url()
                    )
                    messages.success(
                        request,
                        _("Fall %(number)s ist aus der Meldung eröffnet.")
                        % {"number": case.number},
                    )
                    return redirect(case)
                transaction.set_rollback(True)
        except submissions.InvalidToken:
            messages.error(request, _("Das Formular ist ungültig. Bitte laden Sie die Seite neu."))
        except triage.CaseAlreadyOpened as error:
            messages.info(request, str(error))
            case = visible_case(request, error.case.pk)
            return redirect(case or reverse("intake:detail", args=[report.reference]))
        except triage.TriageError as error:
            messages.error(request, str(error))
    elif request.method == "GET" and report.respondent_name:
        similar = case_services.similar_respondents(
            request.membership.organisation, report.respondent_name
        )
    status = 400 if request.method == "POST" else 200
    log_access(request, "report.viewed", report)
    return render(
        request,
        "intake/staff/open_case.html",
        {
            **forms,
            "report": report,
            "situations": triage.situation_labels(report),
            "grounds": list(report.grounds.all()),
            "files": list(report.files.all()),
            "consents": triage.consent_labels(report),
            "similar_respondents": similar,
            "form_token": submissions.new_token(),
            "may_open_case": report.organisation_id is not None
            and report.status not in (ReportStatus.SPAM, ReportStatus.DUPLICATE),
        },
        status=status,
    )


# Reports taken by phone or at the counter -----------------------------------------------


def report_language(data: dict[str, Any]) -> str:
    """The language of a report taken by staff: the person's, if the portal speaks it."""
    spoken = {code for code, _label in settings.LANGUAGES}
    preferred = data.get("preferred_language") or ""
    return preferred if preferred in spoken else settings.LANGUAGE_CODE


def claim_for_office(report: Report, request: HttpRequest) -> None:
    """A report taken by an office belongs to it, whatever the catchment would say."""
    organisation = request.membership.organisation
    if report.organisation_id == organisation.pk:
        return
    routed_to = report.organisation_id
    Report.objects.unscoped("the report was just stored by this user").filter(pk=report.pk).update(
        organisation=organisation
    )
    report.organisation = organisation
    log_action(
        request.user,
        organisation,
        "report.taken_by_office",
        report,
        routed_to=routed_to,
    )


@staff_required(*STAFF)
def enter_report(request: HttpRequest) -> HttpResponse:
    """A report taken by phone or at the counter, through the public form without spam checks.

    After saving, the page shows the receipt code once (through the one-time link the
    public confirmation uses), so that staff can tell it to the person.
    """
    from wohnfair.intake import services as intake_services
    from wohnfair.intake.forms import ReportForm

    if request.method == "GET" and "t" in request.GET:
        return show_receipt(request, request.GET["t"])
    form = ReportForm(request.POST or None, request.FILES or None, check_spam=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                report, _code = intake_services.submit_report(
                    data,
                    data.get("files") or [],
                    language=report_language(data),
                    entered_by=request.user,
                )
                claim_for_office(report, request)
        except intake_services.DuplicateSubmission as duplicate:
            messages.info(
                request,
                _(
                    "Diese Meldung wurde bereits gespeichert (%(reference)s). Der Code wird "
                    "nicht noch einmal angezeigt."
                )
                % {"reference": duplicate.report.reference},
            )
            if reports_for(request).filter(pk=duplicate.report.pk).exists():
                return redirect("intake:detail", duplicate.report.reference)
            return redirect("intake:queue")
        except ValidationError as error:
            form.add_error("files", error)
        else:
            link = intake_services.confirmation_url(report)
            token = parse_qs(urlsplit(link).query).get("t", [""])[0]
            return redirect(f"{reverse('intake:enter_report')}?{urlencode({'t': token})}")
    return render(
        request,
        "intake/staff/enter_report.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def show_receipt(request: HttpRequest, link_token: str) -> HttpResponse:
    from wohnfair.intake import receipts
    from wohnfair.intake import services as intake_services

    # Check who asks before the one-time display is used up.
    try:
        reference = signing.loads(
            link_token,
            salt=intake_services.CONFIRMATION_SALT,
            max_age=intake_services.RECEIPT_DISPLAY_SECONDS,
        ).get("r")
    except (signing.BadSignature, AttributeError):
        raise Http404 from None
    if not isinstance(reference, str) or not reports_for(request).filter(reference=reference):
        raise Http404
    display = intake_services.claim_receipt(link_token)
    report, code = display.report, display.code
    if report is None or report.reference != reference:
        display.not_delivered()
        raise Http404
    context = {
        "report": report,
        "code_groups": receipts.groups(code) if code else None,
        "follow_up_url": settings.SITE_URL + reverse("intake:follow_up"),
    }
    if code is None:
        return render(request, "intake/staff/entered.html", context)
    # Used up only once the page has been delivered (see public.OneTimePage).
    return one_time_page(request, "intake/staff/entered.html", context, display)


# Catchment -----------------------------------------------------------------------------


@staff_required(Role.LEAD)
def catchment(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = CatchmentForm(organisation=organisation)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            area = CatchmentArea.objects.filter(
                organisation=organisation, pk=_int(request.POST.get("pk"))
            ).first()
            if area is None:
                raise Http404
            area_pk = area.pk
            area.delete()
            log_action(request.user, organisation, "catchment.removed", None, area=area_pk)
            messages.success(request, _("Das Gebiet ist entfernt."))
            return redirect("intake:catchment")
        form = CatchmentForm(request.POST, organisation=organisation)
        if form.is_valid():
            area = CatchmentArea.objects.create(
                organisation=organisation,
                postcode_prefix=form.cleaned_data["postcode_prefix"],
                district=form.cleaned_data["district"],
            )
            log_action(request.user, organisation, "catchment.added", area)
            messages.success(request, _("Das Gebiet ist eingetragen."))
            return redirect("intake:catchment")
        status = 400
    areas = CatchmentArea.objects.filter(organisation=organisation).order_by(
        "postcode_prefix", "district"
    )
    return render(
        request,
        "intake/staff/catchment.html",
        {"form": form, "areas": areas, "organisation": organisation},
        status=status,
    )


def _int(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0
