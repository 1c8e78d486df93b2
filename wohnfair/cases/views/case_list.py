from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.cases import services
from wohnfair.cases.access import cases_for
from wohnfair.cases.forms import AssignForm
from wohnfair.cases.models import Incident, Person, PersonRole
from wohnfair.cases.search import CaseFilterForm, filter_cases

PAGE_SIZE = 25


def page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1


@staff_required(Role.COUNSELLOR, Role.LEAD)
def case_list(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = CaseFilterForm(request.GET or None, organisation=organisation)
    data = form.cleaned_data if form.is_valid() else {}
    cases = filter_cases(
        cases_for(request),
        data,
        user=request.user,
        mine_by_default=request.membership.role != Role.LEAD,
    )
    # No COUNT(*): with a million cases it would dominate the page; fetch one extra row instead.
    page = page_number(request.GET.get("seite"))
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        cases.select_related("channel").prefetch_related(
            Prefetch(
                "persons",
                queryset=Person.objects.filter(role=PersonRole.ADVICE_SEEKER).only(
                    "id", "case_id", "name", "role"
                ),
                to_attr="advice_seekers",
            ),
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related(
                    "respondent", "lebensbereich"
                ).prefetch_related("merkmale"),
                to_attr="incident_list",
            ),
            "counsellors",
        )[offset : offset + PAGE_SIZE + 1]
    )
    has_next = len(rows) > PAGE_SIZE
    context = {
        "form": form,
        "cases": rows[:PAGE_SIZE],
        "page": page,
        "has_next": has_next,
        "has_previous": page > 1,
        "is_lead": request.membership.role == Role.LEAD,
        "assign_form": AssignForm(organisation=organisation),
    }
    template = "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(request, template, context)


@staff_required(Role.LEAD)
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(request.POST, organisation=request.membership.organisation)
    numbers = request.POST.getlist("numbers")[:500]
    if not numbers:
        messages.error(request, _("Bitte wählen Sie mindestens einen Fall aus."))
    elif not form.is_valid():
        messages.error(request, _("Bitte wählen Sie mindestens eine Berater*in aus."))
    else:
        cases = list(cases_for(request).filter(number__in=numbers))
        for case in cases:
            services.assign_counsellors(
                case, list(form.cleaned_data["counsellors"]), by=request.user
            )
        messages.success(
            request,
            ngettext("%(count)d Fall zugewiesen.", "%(count)d Fälle zugewiesen.", len(cases))
            % {"count": len(cases)},
        )
    return redirect(
        request.POST.get("next") if _is_list_url(request.POST.get("next")) else "cases:list"
    )


def _is_list_url(url: str | None) -> bool:
    return bool(url) and url.startswith("/staff/faelle/?") and "//" not in url  # type: ignore[union-attr]
