"""Changing a case: status, closing, people, incidents, notes, consents, assignment."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.cases import deadlines, services
from wohnfair.cases.access import get_case_for_user
from wohnfair.cases.forms import (
    AssignForm,
    CaseForm,
    CloseForm,
    ConsentForm,
    IncidentForm,
    NoteForm,
    PartyForm,
    PersonForm,
    StatusForm,
)
from wohnfair.cases.models import Case, PersonRole

CASE_STAFF = (Role.COUNSELLOR, Role.LEAD)


def editable_case(request: HttpRequest, number: str) -> Case:
    """A case the user may see and change: closed and anonymised cases are read-only."""
    case = get_case_for_user(request, number)
    if case.anonymised_at is not None:
        raise Http404
    return case


def refuse_if_closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    if case.is_closed:
        messages.error(
            request, _("Der Fall ist abgeschlossen. Eröffnen Sie ihn wieder, um ihn zu ändern.")
        )
        return redirect(case)
    return None


def form_page(
    request: HttpRequest, case: Case, form: forms.BaseForm, title: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "cases/form_page.html",
        {"case": case, "form": form, "title": title},
        status=400 if form.errors else status,
    )


@staff_required(*CASE_STAFF)
@require_POST
def change_status(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dieser Status ist nicht möglich."))
    else:
        try:
            services.change_status(case, form.cleaned_data["status"], by=request.user)
            messages.success(
                request, _("Status: %(status)s") % {"status": case.get_status_display()}
            )
        except services.TransitionError:
            messages.error(
                request, _("Dieser Statuswechsel ist im aktuellen Status nicht möglich.")
            )
    return redirect(case)


@staff_required(*CASE_STAFF)
def close(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = CloseForm(request.POST or None, case=case, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.close_case(case, by=request.user, **form.cleaned_data)
        messages.success(request, _("Der Fall ist abgeschlossen."))
        return redirect(case)
    return form_page(request, case, form, _("Fall abschließen"))


@staff_required(*CASE_STAFF)
@require_POST
def reopen(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    try:
        services.reopen_case(case, by=request.user)
        messages.success(request, _("Der Fall ist wieder eröffnet."))
    except services.TransitionError:
        messages.error(request, _("Der Fall ist nicht abgeschlossen."))
    return redirect(case)


@staff_required(*CASE_STAFF)
def edit_case(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = CaseForm(request.POST or None, instance=case, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        restriction_changed = "restricted" in form.changed_data
        form.save()
        log_action(
            request.user, case.organisation, "case.updated", case, fields=len(form.changed_data)
        )
        if restriction_changed:
            log_action(
                request.user,
                case.organisation,
                "case.restriction_changed",
                case,
                restricted=case.restricted,
            )
        messages.success(request, _("Die Angaben sind gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Falldaten bearbeiten"))


@staff_required(*CASE_STAFF)
def assign(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    form = AssignForm(
        request.POST or None,
        organisation=case.organisation,
        initial={"counsellors": list(case.counsellors.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.assign_counsellors(case, list(form.cleaned_data["counsellors"]), by=request.user)
        messages.success(request, _("Die Zuständigkeit ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Berater*innen zuweisen"))


@staff_required(*CASE_STAFF)
def add_incident(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = IncidentForm(request.POST or None, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_incident(
            case,
            services.IncidentData.from_form(data),
            by=request.user,
        )
        messages.success(request, _("Der Vorfall ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Vorfall hinzufügen"))


@staff_required(*CASE_STAFF)
def edit_incident(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = editable_case(request, number)
    incident = case.incidents.filter(pk=pk).first()
    if incident is None:
        raise Http404
    if refused := refuse_if_closed(request, case):
        return refused
    form = IncidentForm(request.POST or None, instance=incident, organisation=case.organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            deadlines.ensure_deadlines(case)
        log_action(
            request.user, case.organisation, "case.incident_updated", case, incident=incident.pk
        )
        messages.success(request, _("Der Vorfall ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Vorfall bearbeiten"))


@staff_required(*CASE_STAFF)
def add_person(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    if refused := refuse_if_closed(request, case):
        return refused
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_person(
            case,
            services.PersonData.from_form(data),
            by=request.user,
        )
        messages.success(request, _("Die Person ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Person hinzufügen"))


@staff_required(*CASE_STAFF)
def edit_person(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = editable_case(request, number)
    person = case.persons.filter(pk=pk).first()
    if person is None:
        raise Http404
    form_class = PersonForm if person.role == PersonRole.ADVICE_SEEKER else PartyForm
    form = form_class(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_action(request.user, case.organisation, "case.person_updated", case, person=person.pk)
        messages.success(request, _("Die Person ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Person bearbeiten"))


@staff_required(*CASE_STAFF)
@require_POST
def add_note(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(case, form.cleaned_data["text"], by=request.user)
        messages.success(request, _("Die Notiz ist gespeichert."))
        return redirect(case)
    return form_page(request, case, form, _("Notiz hinzufügen"))


@staff_required(*CASE_STAFF)
def consents(request: HttpRequest, number: str) -> HttpResponse:
    case = editable_case(request, number)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        purposes = form.cleaned_data["purposes"]
        if not purposes:
            form.add_error("purposes", _("Bitte wählen Sie mindestens einen Zweck."))
        elif form.cleaned_data["given_on"] and form.cleaned_data["given_on"] < case.first_contact:
            form.add_error("given_on", _("Die Einwilligung kann nicht vor dem Erstkontakt liegen."))
        else:
            with transaction.atomic():
                for purpose in purposes:
                    if not services.has_consent(case, purpose):
                        services.record_consent(
                            case,
                            purpose,
                            given_on=form.cleaned_data["given_on"] or timezone.localdate(),
                            by=request.user,
                        )
            messages.success(request, _("Die Einwilligung ist gespeichert."))
            return redirect(case)
    return form_page(request, case, form, _("Einwilligung erfassen"))


@staff_required(*CASE_STAFF)
@require_POST
def withdraw_consent(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = editable_case(request, number)
    consent = case.consents.filter(pk=pk, withdrawn_on__isnull=True).first()
    if consent is None:
        raise Http404
    services.withdraw_consent(consent, on=timezone.localdate(), by=request.user)
    messages.success(request, _("Der Widerruf ist gespeichert."))
    return redirect(case)
