"""Milestones (Meilensteine): the organisation's history; public ones appear on the website."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wohnfair.accounts.access import get_for_organisation_or_404, staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring.goal_forms import MilestoneForm
from wohnfair.monitoring.models import Milestone

MILESTONE_ROLES = (Role.LEAD, Role.EDITOR)


@staff_required(*MILESTONE_ROLES)
def milestone_list(request: HttpRequest) -> HttpResponse:
    milestones = Milestone.objects.of_organisation(request.membership.organisation)
    page = Paginator(milestones, 50).get_page(request.GET.get("seite"))
    return render(request, "monitoring/milestones.html", {"page": page})


@staff_required(*MILESTONE_ROLES)
def milestone_create(request: HttpRequest) -> HttpResponse:
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        milestone = form.save(commit=False)
        milestone.organisation = request.membership.organisation
        milestone.save()
        log_action(
            request.user,
            milestone.organisation,
            "milestone.created",
            milestone,
            is_public=milestone.is_public,
        )
        messages.success(request, _("Der Meilenstein ist angelegt."))
        return redirect("monitoring:milestones")
    return render(
        request,
        "monitoring/milestones_form.html",
        {"form": form, "milestone": None},
        status=400 if form.errors else 200,
    )


@staff_required(*MILESTONE_ROLES)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_for_organisation_or_404(request, Milestone.objects.all(), pk=pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        log_action(
            request.user,
            milestone.organisation,
            "milestone.updated",
            milestone,
            is_public=milestone.is_public,
        )
        messages.success(request, _("Der Meilenstein ist gespeichert."))
        return redirect("monitoring:milestones")
    return render(
        request,
        "monitoring/milestones_form.html",
        {"form": form, "milestone": milestone},
        status=400 if form.errors else 200,
    )


@staff_required(*MILESTONE_ROLES)
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_for_organisation_or_404(request, Milestone.objects.all(), pk=pk)
    if request.method == "POST":
        log_action(request.user, milestone.organisation, "milestone.deleted", milestone)
        milestone.delete()
        messages.success(request, _("Der Meilenstein ist gelöscht."))
        return redirect("monitoring:milestones")
    return render(request, "monitoring/milestones_delete.html", {"milestone": milestone})
