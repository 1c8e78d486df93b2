"""The network view: pooled, suppressed figures of the member organisations.

No figure links anywhere: the network role never reaches a case.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.monitoring.network_figures import network_figures
from wohnfair.monitoring.pooling_forms import StatisticsFilterForm
from wohnfair.monitoring.views.display import table_views


@staff_required(Role.NETWORK_ANALYST)
def network(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    if not organisation.is_network:
        raise Http404
    form = StatisticsFilterForm(request.GET)
    filters = form.filters(date.today())
    figures = network_figures(organisation, filters) if filters else None
    if figures is not None:
        log_action(request.user, organisation, "monitoring.network_viewed")
    return render(
        request,
        "monitoring/network.html",
        {
            "form": form,
            "figures": figures,
            "tables": table_views(figures) if figures else [],
            "organisation": organisation,
        },
        status=200 if filters else 400,
    )
