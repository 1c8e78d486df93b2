"""Counselling workflow pages: AGG check, interventions, tasks, conflict mediation, my tasks.

Cases come from ``get_case_for_user`` (404 for other organisations and for
restricted cases of others); objects from the case's related managers (404
when they belong to another case). Closed cases are read-only, anonymised
cases cannot be changed at all. Business rules live in ``cases.workflow``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.cases import workflow
from wohnfair.cases.access import cases_for, get_case_for_user
from wohnfair.cases.models import Case, CaseType
from wohnfair.cases.views.case_edit import editable_case, refuse_if_closed
from wohnfair.cases.workflow_forms import (
    AggCheckForm,
    AgreementForm,
    InterventionForm,
    ReviewForm,
    SessionForm,
    TaskForm,
)

CASE_STAFF = (Role.COUNSELLOR, Role.LEAD)


def workflow_page(
    request: HttpRequest,
    case: Case,
    form: forms.BaseForm,
    title: str,
    *,
    intro: str = "",
    agreement: Any = None,
) -> HttpResponse:
    return render(
        request,
        "cases/workflow/form.html",
        {"case": case, "form": form, "title": title, "intro": intro, "agreement": agreement},
        status=400 if form.errors else 200,
    )


def attach(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a refusal of ``cases.workflow`` at the field it concerns (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def case_of_type(request: HttpRequest, number: str, case_type: str) -> Case:
    case = editable_case(request, number)
    if case.case_type != case_type:
        raise Http404
    return case


# AGG check -----------------------------------------------------------------------------


@staff_required(*CASE_STAFF)
def agg_check(request: HttpRequest, number: str) -> HttpResponse:
    case = get_case_for_user(request, number)
    if case.case_type != CaseType.COUNSELLING:
        raise Http404
    read_only = case.is_closed or case.anonymised_at is not None
    if request.method == "POST":
        if case.anonymised_at is not None:
            raise Http404
        if refused := refuse_if_closed(request, case):
            return refused
    assessment = getattr(case, "agg_check", None)
    form = AggCheckForm(request.POST or None, initial=AggCheckForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_assessment(
                case, form.answers(), form.cleaned_data["rationale"], by=request.user
            )
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die AGG-Prüfung ist gespeichert."))
            return redirect(reverse("cases:agg_check", args=[case.number]) + "#ergebnis")
    return render(
        request,
        "cases/workflow/agg_check.html",
        {
            "case": case,
            "form": form,
            "assessment": assessment,
            "read_only": read_only,
            "deadlines": list(case.deadlines.select_related("rule").order_by("due_on")),
        },
        status=400 if form.errors else 200,
    )


# Interventions -------------------------------------------------------------------------


@staff_required(*CASE_STAFF)
def add_intervention(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = InterventionForm(request.POST or None, case=case, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_intervention(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die Intervention ist gespeichert."))
            return redirect(case.get_absolute_url() + "#interventionen")
    return workflow_page(request, case, form, _("Intervention erfassen"))


@staff_required(*CASE_STAFF)
def edit_intervention(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = editable_case(request, number)
    intervention = case.interventions.select_related("kind").filter(pk=pk).first()
    if intervention is None:
        raise Http404
    if refused := refuse_if_closed(request, case):
        return refused
    # The form works on a copy, so that a refused change leaves the object as stored.
    form = InterventionForm(
        request.POST or None,
        case=case,
        instance=case.interventions.get(pk=pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_intervention(intervention, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die Intervention ist gespeichert."))
            return redirect(case.get_absolute_url() + "#interventionen")
    return workflow_page(request, case, form, _("Intervention bearbeiten"))


# Tasks ---------------------------------------------------------------------------------


@staff_required(*CASE_STAFF)
def add_task(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = TaskForm(
        request.POST or None, organisation=case.organisation, initial={"assignee": request.user}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.add_task(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die Aufgabe ist gespeichert."))
            return redirect(case.get_absolute_url() + "#aufgaben")
    return workflow_page(request, case, form, _("Aufgabe hinzufügen"))


def _back(request: HttpRequest, case: Case) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(case.get_absolute_url() + "#aufgaben")


@staff_required(*CASE_STAFF)
@require_POST
def complete_task(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = editable_case(request, number)
    task = case.tasks.filter(pk=pk).first()
    if task is None:
        raise Http404
    if refused := refuse_if_closed(request, case):
        return refused
    if task.done_at is not None:
        messages.info(request, _("Die Aufgabe war schon erledigt."))
    else:
        workflow.complete_task(task, by=request.user)
        messages.success(request, _("Die Aufgabe ist erledigt."))
    return _back(request, case)


@staff_required(*CASE_STAFF)
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The user's open tasks in the active organisation, overdue first, then by due date."""
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    tasks = list(workflow.open_tasks(request.user, cases_for(request)))
    for task in tasks:
        task.is_overdue = task.due_on is not None and task.due_on < today
        task.is_due_this_week = task.due_on is not None and today <= task.due_on <= week_end
    return render(
        request,
        "cases/workflow/my_tasks.html",
        {
            "tasks": tasks,
            "overdue": sum(task.is_overdue for task in tasks),
            "this_week": sum(task.is_due_this_week for task in tasks),
            "today": today,
            "week_end": week_end,
        },
    )


# Conflict mediation --------------------------------------------------------------------


@staff_required(*CASE_STAFF)
def add_session(request: HttpRequest, number: str) -> HttpResponse:
    case = case_of_type(request, number, CaseType.MEDIATION)
    if refused := refuse_if_closed(request, case):
        return refused
    form = SessionForm(request.POST or None, case=case, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.add_session(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Das Vermittlungsgespräch ist gespeichert."))
            return redirect(case.get_absolute_url() + "#vermittlung")
    return workflow_page(request, case, form, _("Vermittlungsgespräch dokumentieren"))


@staff_required(*CASE_STAFF)
def add_agreement(request: HttpRequest, number: str) -> HttpResponse:
    case = case_of_type(request, number, CaseType.MEDIATION)
    if refused := refuse_if_closed(request, case):
        return refused
    latest = case.mediation_sessions.order_by("-date", "-pk").first()
    form = AgreementForm(
        request.POST or None,
        case=case,
        initial={"session": latest, "agreed_on": latest.date if latest else timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.add_agreement(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die Vereinbarung ist gespeichert."))
            return redirect(case.get_absolute_url() + "#vermittlung")
    return workflow_page(request, case, form, _("Vereinbarung festhalten"))


@staff_required(*CASE_STAFF)
def review_agreement(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = case_of_type(request, number, CaseType.MEDIATION)
    agreement = case.agreements.filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if refused := refuse_if_closed(request, case):
        return refused
    form = ReviewForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.review_agreement(agreement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("Die Überprüfung ist gespeichert."))
            return redirect(case.get_absolute_url() + "#vermittlung")
    return workflow_page(request, case, form, _("Vereinbarung überprüfen"), agreement=agreement)
