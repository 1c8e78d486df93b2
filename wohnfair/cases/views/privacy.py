"""Data subject rights on one person of a case: export (JSON, PDF) and erasure.

Counsellors and the lead may export; only the lead may erase (a counsellor who
may see the case gets 403). Anyone who may not see the case (other
organisations, other roles, unassigned counsellors of restricted cases) gets
404 on all three: the case lookup comes before the role and method checks.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.cases.access import get_case_for_user
from wohnfair.cases.models import Case, Person
from wohnfair.cases.privacy import ErasureReason, erase_person, export_person, is_only_advice_seeker
from wohnfair.lib import pdf

# The object is looked up before the method is checked, so that a foreign or
# hidden object answers 404 whatever the method.
READ_METHODS = ("GET", "HEAD")


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Grund der Löschung"),
        choices=ErasureReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie einen Grund für die Löschung."),
            "invalid_choice": gettext_lazy(
                "Bitte wählen Sie einen der angebotenen Gründe für die Löschung."
            ),
        },
    )


def _case_and_person(request: HttpRequest, number: str, pk: int) -> tuple[Case, Person]:
    case = get_case_for_user(request, number)
    try:
        person = case.persons.get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    return case, person


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(case: Case, person: Person, extension: str) -> str:
    return f"auskunft-{case.number}-person-{person.pk}.{extension}"


DATE_KEYS = frozenset(
    {"first_contact", "closed_on", "date", "date_end", "given_on", "withdrawn_on"}
)
MOMENT_KEYS = frozenset(
    {"exported_at", "recorded_at", "created_at", "uploaded_at", "anonymised_at"}
)


def readable(value: Any, key: str = "") -> Any:
    """The export data with ISO dates turned back into dates, which templates show localised."""
    if isinstance(value, dict):
        return {k: readable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [readable(item) for item in value]
    if isinstance(value, str) and value:
        if key in DATE_KEYS:
            return date.fromisoformat(value)
        if key in MOMENT_KEYS:
            return datetime.fromisoformat(value)
    return value


@staff_required(Role.COUNSELLOR, Role.LEAD)
def export_json(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case, person = _case_and_person(request, number, pk)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(["GET"])
    data = export_person(person)
    log_action(
        request.user, case.organisation, "case.person_exported", case, person=pk, format="json"
    )
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, _filename(case, person, "json"))


@staff_required(Role.COUNSELLOR, Role.LEAD)
def export_pdf(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case, person = _case_and_person(request, number, pk)
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(["GET"])
    data = export_person(person)
    html = render_to_string(
        "cases/privacy/export_pdf.html", {"data": readable(data), "case": case}, request=request
    )
    document = pdf.render_pdf(html)
    log_action(
        request.user, case.organisation, "case.person_exported", case, person=pk, format="pdf"
    )
    response = HttpResponse(document, content_type="application/pdf")
    return _attachment(response, _filename(case, person, "pdf"))


@staff_required(Role.COUNSELLOR, Role.LEAD)
def erase(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case, person = _case_and_person(request, number, pk)
    if request.method not in (*READ_METHODS, "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.membership.role != Role.LEAD:  # type: ignore[attr-defined]
        raise PermissionDenied(_("Nur die Leitung darf Personen löschen."))
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase_person(person, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        messages.success(
            request,
            _("Die Daten der Person sind gelöscht. Ein Löschnachweis ohne Inhalt ist gespeichert."),
        )
        return redirect(case)
    context = {
        "case": case,
        "person": person,
        "form": form,
        "removes_case_records": is_only_advice_seeker(person),
    }
    return render(request, "cases/privacy/erase.html", context, status=400 if form.errors else 200)
