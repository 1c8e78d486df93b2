"""Deadlines on the case page, the lead's workload view and the staff notifications."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Membership, Role, User
from wohnfair.cases import deadlines
from wohnfair.cases.forms import DateInput
from wohnfair.cases.models import (
    CASE_ROLES,
    Case,
    CaseAssignment,
    CaseStatus,
    Deadline,
    Notification,
    Task,
)
from wohnfair.cases.views.case_edit import editable_case, form_page, refuse_if_closed

LIST_LIMIT = 100


class MarkMetForm(forms.Form):
    met_on = forms.DateField(
        label=gettext_lazy("Ansprüche geltend gemacht am"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Bitte geben Sie das Datum der Geltendmachung an."),
            "invalid": gettext_lazy("Bitte geben Sie ein gültiges Datum an."),
        },
    )

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def clean_met_on(self) -> date:
        met_on: date = self.cleaned_data["met_on"]
        try:
            deadlines.check_met_date(self.deadline, met_on)
        except deadlines.DeadlineError as error:
            raise ValidationError(str(error)) from None
        return met_on


@staff_required(Role.COUNSELLOR, Role.LEAD)
@require_POST
def mark_met(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Record the day the claim was asserted; refuses days outside the period."""
    case = editable_case(request, number)
    deadline = get_object_or_404(case.deadlines.select_related("rule"), pk=pk)
    if refused := refuse_if_closed(request, case):
        return refused
    form = MarkMetForm(request.POST, deadline=deadline)
    if form.is_valid():
        try:
            deadlines.mark_met(deadline, form.cleaned_data["met_on"], by=request.user)
        except deadlines.DeadlineError as error:  # met by someone else meanwhile
            form.add_error("met_on", str(error))
        else:
            messages.success(request, _("Die Frist ist als gewahrt erfasst."))
            return redirect(case.get_absolute_url() + "#fristen")
    return form_page(request, case, form, _("Frist als gewahrt erfassen"))


def open_cases_per_counsellor(organisation: Any) -> list[dict[str, Any]]:
    """Every active counsellor and lead with their open cases; former staff who still hold some."""
    open_cases = Case.objects.of_organisation(organisation).open().values("pk")
    counts = dict(
        CaseAssignment.objects.filter(case__in=open_cases)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    members = (
        Membership.objects.active()
        .of_organisation(organisation)
        .filter(role__in=CASE_ROLES)
        .select_related("user")
    )
    result = [
        {
            "user": member.user,
            "role": member.get_role_display(),
            "open_cases": counts.pop(member.user_id, 0),
            "active": True,
        }
        for member in members
    ]
    # Whoever is left holds open cases without (active) membership: those need a new owner.
    result += [
        {"user": user, "role": "", "open_cases": counts[user.pk], "active": False}
        for user in User.objects.filter(pk__in=list(counts))
    ]
    return sorted(result, key=lambda row: (-row["open_cases"], str(row["user"]).lower()))


@staff_required(Role.LEAD)
def workload(request: HttpRequest) -> HttpResponse:
    """What the lead must watch: caseload, deadlines at risk, overdue tasks, long waits."""
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    cases = Case.objects.of_organisation(organisation)
    active_cases = cases.open().filter(anonymised_at__isnull=True)
    at_risk = list(
        deadlines.at_risk(organisation, today).prefetch_related("case__counsellors")[
            : LIST_LIMIT + 1
        ]
    )
    overdue_tasks = list(
        Task.objects.filter(
            case__in=active_cases.values("pk"), done_at__isnull=True, due_on__lt=today
        )
        .select_related("case", "assignee")
        .order_by("due_on", "pk")[: LIST_LIMIT + 1]
    )
    waiting_since = timezone.now() - timedelta(days=organisation.waiting_alert_days)
    waiting = list(
        active_cases.filter(status=CaseStatus.WAITING, updated_at__lt=waiting_since)
        .prefetch_related("counsellors")
        .order_by("updated_at", "pk")[: LIST_LIMIT + 1]
    )
    return render(
        request,
        "cases/deadlines/workload.html",
        {
            "counsellors": open_cases_per_counsellor(organisation),
            "unassigned": active_cases.filter(assignments__isnull=True).count(),
            "open_total": active_cases.count(),
            "at_risk": deadlines.rows(at_risk[:LIST_LIMIT], today),
            "at_risk_more": len(at_risk) > LIST_LIMIT,
            "overdue_tasks": [
                {"task": task, "days_overdue": (today - task.due_on).days}
                for task in overdue_tasks[:LIST_LIMIT]
            ],
            "overdue_tasks_more": len(overdue_tasks) > LIST_LIMIT,
            "waiting": waiting[:LIST_LIMIT],
            "waiting_more": len(waiting) > LIST_LIMIT,
            "waiting_alert_days": organisation.waiting_alert_days,
            "limit": LIST_LIMIT,
            "today": today,
        },
    )


@staff_required(Role.COUNSELLOR, Role.LEAD)
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications in the active organisation, newest first; POST marks all read."""
    mine = Notification.objects.filter(
        user=request.user,
        organisation=request.membership.organisation,  # type: ignore[attr-defined]
    )
    if request.method == "POST":
        marked = mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        if marked:
            messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
        return redirect("cases:notifications")
    page = Paginator(mine.select_related("case").order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "cases/deadlines/notifications.html",
        {"page": page, "unread": mine.filter(read_at__isnull=True).count()},
    )
