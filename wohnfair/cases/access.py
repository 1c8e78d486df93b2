"""Permission-aware lookups of case data; every case view goes through these."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from wohnfair.cases.models import Case, CaseQuerySet, Respondent


def cases_for(request: HttpRequest) -> CaseQuerySet:
    return Case.objects.for_user(request.user, getattr(request, "membership", None))  # type: ignore[arg-type]


def get_case_for_user(request: HttpRequest, number: str) -> Case:
    """The case with this number if the user may see it, else 404 (also for other organisations)."""
    try:
        return cases_for(request).select_related("organisation").get(number=number)
    except Case.DoesNotExist:
        raise Http404 from None


def get_respondent_for_user(request: HttpRequest, pk: int) -> Respondent:
    membership = getattr(request, "membership", None)
    try:
        return Respondent.objects.for_user(request.user, membership).get(pk=pk)
    except Respondent.DoesNotExist:
        raise Http404 from None
