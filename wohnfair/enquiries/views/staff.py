"""The staff inbox of enquiries: list, one enquiry, assign, status, open a mediation case.

Enquiries are looked up through ``Enquiry.objects.for_user``: one of another
organisation answers 404, whatever the method. Every read of an enquiry is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_access
from wohnfair.cases.models import Case
from wohnfair.enquiries import services
from wohnfair.enquiries.forms import AssignForm, InboxFilterForm, StatusForm
from wohnfair.enquiries.models import (
    CLOSED_STATUSES,
    Enquiry,
    EnquiryKind,
    EnquiryStatus,
)

STAFF = (Role.COUNSELLOR, Role.LEAD)
PAGE_SIZE = 25

STATUS_STYLE = {
    EnquiryStatus.NEW: "open",
    EnquiryStatus.IN_PROGRESS: "in_progress",
    EnquiryStatus.DONE: "closed",
    EnquiryStatus.SPAM: "closed",
}


def enquiries_for(request: HttpRequest) -> Any:
    return Enquiry.objects.for_user(request.user, getattr(request, "membership", None))


def get_enquiry_for_user(request: HttpRequest, pk: int) -> Enquiry:
    """The enquiry if the user may see it, else 404."""
    try:
        return enquiries_for(request).select_related("assigned_to", "case").get(pk=pk)
    except Enquiry.DoesNotExist:
        raise Http404 from None


@staff_required(*STAFF)
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    form = InboxFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    visible = enquiries_for(request)
    rows = visible
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    status = data.get("status") or ""
    if status == "":
        rows = rows.exclude(status__in=CLOSED_STATUSES)
    elif status != "all":
        rows = rows.filter(status=status)
    page = Paginator(rows.select_related("assigned_to"), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [
            {"enquiry": enquiry, "style": STATUS_STYLE[EnquiryStatus(enquiry.status)]}
            for enquiry in page
        ],
        "new_count": visible.filter(status=EnquiryStatus.NEW).count(),
    }
    return render(
        request, "enquiries/staff/inbox.html", context, status=400 if form.errors else 200
    )


def render_detail(
    request: HttpRequest, enquiry: Enquiry, *, status: int = 200, **forms: Any
) -> HttpResponse:
    case = None
    if enquiry.case_id is not None:
        case = (
            Case.objects.for_user(request.user, request.membership)
            .filter(pk=enquiry.case_id)
            .first()
        )
    context = {
        "enquiry": enquiry,
        "style": STATUS_STYLE[EnquiryStatus(enquiry.status)],
        "case": case,
        "may_open_case": enquiry.kind == EnquiryKind.MEDIATION
        and enquiry.case_id is None
        and enquiry.status != EnquiryStatus.SPAM,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            counsellors=services.assignable_counsellors(enquiry.organisation),
            initial={"assignee": enquiry.assigned_to_id},
        ),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": enquiry.status}),
    }
    log_access(request, "enquiry.viewed", enquiry)
    return render(request, "enquiries/staff/detail.html", context, status=status)


@staff_required(*STAFF)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = get_enquiry_for_user(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render_detail(request, enquiry)


@staff_required(*STAFF)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = get_enquiry_for_user(request, pk)  # 404 first, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AssignForm(
        request.POST, counsellors=services.assignable_counsellors(enquiry.organisation)
    )
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Person aus der Liste."))
        return render_detail(request, enquiry, status=400, assign_form=form)
    try:
        services.assign(enquiry, form.cleaned_data["assignee"], by=request.user)
    except services.EnquiryError as error:
        messages.error(request, str(error))
        return render_detail(request, enquiry, status=400)
    messages.success(request, _("Zuständigkeit gespeichert."))
    return redirect("enquiries:detail", pk=enquiry.pk)


@staff_required(*STAFF)
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = get_enquiry_for_user(request, pk)  # 404 first, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen gültigen Status."))
        return render_detail(request, enquiry, status=400, status_form=form)
    try:
        services.set_status(enquiry, form.cleaned_data["status"], by=request.user)
    except services.EnquiryError as error:
        messages.error(request, str(error))
        return render_detail(request, enquiry, status=400)
    messages.success(request, _("Status gespeichert."))
    return redirect("enquiries:detail", pk=enquiry.pk)


@staff_required(*STAFF)
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = get_enquiry_for_user(request, pk)  # 404 first, whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        case = services.open_mediation_case(enquiry, by=request.user)
    except services.EnquiryError as error:
        messages.error(request, str(error))
        return render_detail(request, enquiry, status=400)
    messages.success(
        request, _("Der Konfliktfall %(number)s wurde eröffnet.") % {"number": case.number}
    )
    return redirect(case.get_absolute_url())
