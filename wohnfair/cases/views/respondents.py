"""Respondents (Verursachende): reusable records of the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.cases import services
from wohnfair.cases.access import cases_for, get_respondent_for_user
from wohnfair.cases.forms import RespondentForm
from wohnfair.cases.models import Incident, Respondent

CASE_STAFF = (Role.COUNSELLOR, Role.LEAD)


@staff_required(*CASE_STAFF)
def respondent_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    respondents = (
        Respondent.objects.for_user(request.user, request.membership)
        .select_related("kind")
        .annotate(incident_count=Count("incidents"))
        .order_by("name")
    )
    if query:
        respondents = respondents.filter(name__icontains=query)
    page = Paginator(respondents, 50).get_page(request.GET.get("seite"))
    return render(request, "cases/respondents/list.html", {"page": page, "query": query})


@staff_required(*CASE_STAFF)
def respondent_search(request: HttpRequest) -> HttpResponse:
    """Similar names while typing (htmx), so that nobody enters the same landlord twice."""
    name = request.GET.get("respondent-new_respondent_name") or request.GET.get("name", "")
    similar = services.similar_respondents(request.membership.organisation, name[:200])
    return render(request, "cases/respondents/_similar.html", {"similar_respondents": similar})


@staff_required(*CASE_STAFF)
def respondent_create(request: HttpRequest) -> HttpResponse:
    form = RespondentForm(request.POST or None)
    similar: list[Respondent] = []
    if request.method == "POST" and form.is_valid():
        similar = services.similar_respondents(
            request.membership.organisation, form.cleaned_data["name"]
        )
        if not similar or request.POST.get("confirm_new_respondent"):
            data = form.cleaned_data
            respondent = services.create_respondent(
                request.membership.organisation,
                by=request.user,
                kind=data["kind"],
                name=data["name"],
                address=data["address"],
                flats_count=data["flats_count"],
                notes=data["notes"],
            )
            messages.success(request, _("%(name)s ist angelegt.") % {"name": respondent.name})
            return redirect("cases:respondent", pk=respondent.pk)
    return render(
        request,
        "cases/respondents/create.html",
        {"form": form, "similar_respondents": similar},
        status=400 if form.errors or similar else 200,
    )


@staff_required(*CASE_STAFF)
def respondent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    respondent = get_respondent_for_user(request, pk)
    form = RespondentForm(request.POST or None, instance=respondent)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_action(request.user, respondent.organisation, "respondent.updated", respondent)
        messages.success(request, _("Die Angaben sind gespeichert."))
        return redirect("cases:respondent", pk=respondent.pk)
    cases = (
        cases_for(request)
        .filter(Exists(Incident.objects.filter(case=OuterRef("pk"), respondent=respondent)))
        .order_by("-first_contact")
    )
    return render(
        request,
        "cases/respondents/detail.html",
        {"respondent": respondent, "form": form, "cases": cases[:200]},
        status=400 if form.errors else 200,
    )
