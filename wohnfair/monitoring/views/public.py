"""Public statistics of an organisation or a network that opted in."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from wohnfair.accounts.access import public
from wohnfair.accounts.models import Organisation
from wohnfair.monitoring.network_figures import public_figures
from wohnfair.monitoring.pooling import policy_for
from wohnfair.monitoring.views.display import table_views

YEARS_SHOWN = 10
CACHE_SECONDS = 15 * 60


@public
def public_statistics(request: HttpRequest, code: str) -> HttpResponse:
    organisation = Organisation.objects.filter(code__iexact=code[:20]).first()
    if organisation is None or not policy_for(organisation).publish_statistics:
        raise Http404
    this_year = date.today().year
    years = list(range(this_year, this_year - YEARS_SHOWN, -1))
    raw_year = request.GET.get("jahr", "")
    error = None
    year = this_year
    if raw_year:
        if raw_year.isdigit() and int(raw_year) in years:
            year = int(raw_year)
        else:
            error = _(
                "Für dieses Jahr gibt es keine Statistik. Bitte wählen Sie ein Jahr aus der Liste."
            )
    figures = None if error else public_figures(organisation, year)
    response = render(
        request,
        "monitoring/public.html",
        {
            "organisation": organisation,
            "figures": figures,
            "tables": table_views(figures) if figures else [],
            "year": year,
            "years": years,
            "error": error,
        },
        status=400 if error else 200,
    )
    if not error:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
