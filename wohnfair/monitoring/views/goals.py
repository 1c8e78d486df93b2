"""Goals (Ziele): list with progress for counsellors and leads, editing for leads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wohnfair.accounts.access import get_for_organisation_or_404, staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring.goal_forms import GoalForm
from wohnfair.monitoring.goals import progress_for
from wohnfair.monitoring.models import Goal


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("jahr", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


@staff_required(Role.COUNSELLOR, Role.LEAD)
def goal_list(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    year = _year(request)
    goals = Goal.objects.of_organisation(organisation).select_related("organisation")
    years = sorted(set(goals.values_list("year", flat=True)) | {year}, reverse=True)
    return render(
        request,
        "monitoring/goals.html",
        {
            "year": year,
            "years": years,
            "progress": progress_for(goals.filter(year=year)),
            "can_edit": request.membership.role == Role.LEAD,
        },
    )


@staff_required(Role.LEAD)
def goal_create(request: HttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.organisation = request.membership.organisation
        goal.save()
        log_action(request.user, goal.organisation, "goal.created", goal)
        messages.success(request, _("Das Ziel ist angelegt."))
        return redirect(f"{_goals_url()}?jahr={goal.year}")
    return render(
        request,
        "monitoring/goals_form.html",
        {"form": form, "goal": None},
        status=400 if form.errors else 200,
    )


@staff_required(Role.LEAD)
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_for_organisation_or_404(request, Goal.objects.all(), pk=pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_action(request.user, goal.organisation, "goal.updated", goal)
        messages.success(request, _("Das Ziel ist gespeichert."))
        return redirect(f"{_goals_url()}?jahr={goal.year}")
    return render(
        request,
        "monitoring/goals_form.html",
        {"form": form, "goal": goal},
        status=400 if form.errors else 200,
    )


@staff_required(Role.LEAD)
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_for_organisation_or_404(request, Goal.objects.all(), pk=pk)
    if request.method == "POST":
        year = goal.year
        log_action(request.user, goal.organisation, "goal.deleted", goal)
        goal.delete()
        messages.success(request, _("Das Ziel ist gelöscht."))
        return redirect(f"{_goals_url()}?jahr={year}")
    return render(request, "monitoring/goals_delete.html", {"goal": goal})


def _goals_url() -> str:
    return reverse("monitoring:goals")
