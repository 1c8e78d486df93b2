"""The statistics policy page: k, network columns and public statistics."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring.policy_forms import PolicyForm
from wohnfair.monitoring.pooling import policy_for


@staff_required(Role.LEAD)
def policy(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    current = policy_for(organisation)
    before = {name: getattr(current, name) for name in PolicyForm.Meta.fields}
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        instance=current,
        is_network=organisation.is_network,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        saved.save()
        changes = {
            name: getattr(saved, name)
            for name in form.fields
            if getattr(saved, name) != before[name]
        }
        if changes:
            log_action(request.user, organisation, "monitoring.policy_changed", saved, **changes)
        messages.success(request, _("Die Statistik-Regeln wurden gespeichert."))
        return redirect("monitoring:policy")
    return render(
        request,
        "monitoring/policy.html",
        {"form": form, "organisation": organisation, "policy": current},
        status=400 if form.errors else 200,
    )
