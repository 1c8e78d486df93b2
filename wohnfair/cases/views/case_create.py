"""Opening a case: one page for the case, the person, the first incident and consents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wohnfair import submissions
from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.cases import services
from wohnfair.cases.forms import (
    CaseForm,
    ConsentForm,
    IncidentForm,
    NewRespondentForm,
    PersonForm,
)
from wohnfair.cases.models import Respondent


def bind_forms(request: HttpRequest) -> dict[str, Any]:
    organisation = request.membership.organisation
    data = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    return {
        "case_form": CaseForm(
            data, prefix="case", organisation=organisation, initial={"first_contact": today}
        ),
        "person_form": PersonForm(data, prefix="person"),
        "incident_form": IncidentForm(data, prefix="incident", organisation=organisation),
        "respondent_form": NewRespondentForm(data, prefix="respondent"),
        "consent_form": ConsentForm(data, prefix="consent", initial={"given_on": today}),
    }


def chosen_respondent(
    request: HttpRequest, forms: dict[str, Any]
) -> tuple[Respondent | None, list[Respondent]]:
    """The respondent picked from the list, or a new one; similar names stop a duplicate."""
    existing = forms["incident_form"].cleaned_data.get("respondent")
    if existing is not None:
        return existing, []
    new = forms["respondent_form"].cleaned_data
    if not new.get("new_respondent_name"):
        return None, []
    similar = services.similar_respondents(
        request.membership.organisation, new["new_respondent_name"]
    )
    if similar and not new.get("confirm_new_respondent"):
        return None, similar
    return (
        services.create_respondent(
            request.membership.organisation,
            by=request.user,
            kind=new["new_respondent_kind"],
            name=new["new_respondent_name"],
        ),
        [],
    )


@staff_required(Role.COUNSELLOR, Role.LEAD)
def case_create(request: HttpRequest) -> HttpResponse:
    forms = bind_forms(request)
    similar: list[Respondent] = []
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        try:
            with transaction.atomic():
                duplicate = submissions.claim(request.POST.get(submissions.TOKEN_FIELD))
                if duplicate is not None:
                    messages.info(request, _("Dieser Fall wurde bereits angelegt."))
                    return redirect(duplicate or "cases:list")
                respondent, similar = chosen_respondent(request, forms)
                if not similar:
                    case = open_from_forms(request, forms, respondent)
                    submissions.remember(
                        request.POST[submissions.TOKEN_FIELD], case.get_absolute_url()
                    )
                    messages.success(
                        request, _("Fall %(number)s ist angelegt.") % {"number": case.number}
                    )
                    return redirect(case)
                transaction.set_rollback(True)
        except submissions.InvalidToken:
            messages.error(request, _("Das Formular ist ungültig. Bitte laden Sie die Seite neu."))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/create.html",
        {**forms, "similar_respondents": similar, "form_token": submissions.new_token()},
        status=status,
    )


def open_from_forms(
    request: HttpRequest, forms: dict[str, Any], respondent: Respondent | None
) -> Any:
    case_data = forms["case_form"].cleaned_data
    person = forms["person_form"].cleaned_data
    incident = forms["incident_form"].cleaned_data
    consent = forms["consent_form"].cleaned_data
    return services.open_case(
        organisation=request.membership.organisation,
        opened_by=request.user,
        case_type=case_data["case_type"],
        first_contact=case_data["first_contact"],
        channel=case_data["channel"],
        language=case_data["language"],
        interpreter_needed=case_data["interpreter_needed"],
        who_came=case_data["who_came"],
        restricted=case_data["restricted"],
        person=services.PersonData.from_form(person),
        incident=services.IncidentData.from_form(incident, respondent=respondent),
        consents=consent["purposes"],
        consent_date=consent.get("given_on") or case_data["first_contact"],
    )
