"""The public side: each enquiry form on its own page (used when a form comes back
with errors, and without the website's pages), and the thank-you page.

Every response is marked not cacheable: pages carry one-time form tokens.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from wohnfair.accounts.access import public
from wohnfair.enquiries import protection, services
from wohnfair.enquiries.forms import FORMS, HEADINGS, KIND_BY_SLUG, SLUGS, EnquiryForm
from wohnfair.enquiries.routing import organisation_for_site
from wohnfair.intake import spam
from wohnfair.lib.http import private


def kind_for(slug: str) -> str:
    kind = KIND_BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    return kind


def _page(
    request: HttpRequest, kind: str, form: EnquiryForm, *, status: int = 200, **flags: bool
) -> HttpResponse:
    context = {"form": form, "kind": kind, "title": HEADINGS[kind], **flags}
    return private(render(request, "enquiries/form_page.html", context, status=status))


def _thanks(kind: str) -> HttpResponse:
    return private(redirect(reverse("enquiries:thanks", args=[SLUGS[kind]])))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    kind = kind_for(slug)
    form_class = FORMS[kind]
    if request.method != "POST":
        return _page(request, kind, form_class())

    organisation = organisation_for_site(Site.find_for_request(request))
    if organisation is None:
        return _page(
            request, kind, form_class.given_back(request.POST), status=503, unavailable=True
        )
    if not spam.allow(request, protection.SUBMIT_SCOPE):
        response = _page(
            request, kind, form_class.given_back(request.POST), status=429, throttled=True
        )
        response["Retry-After"] = str(spam.retry_after(protection.SUBMIT_SCOPE))
        return response
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, kind, form, status=400)
    data = form.cleaned_data
    if not data["proof_of_work"] and not spam.allow(request, protection.UNVERIFIED_SCOPE):
        response = _page(
            request, kind, form_class.given_back(request.POST), status=429, throttled=True
        )
        response["Retry-After"] = str(spam.retry_after(protection.UNVERIFIED_SCOPE))
        return response
    try:
        services.submit_enquiry(kind, data, organisation=organisation, language=get_language())
    except services.DuplicateSubmission:
        return _thanks(kind)
    except services.ChallengeUsed:
        form.add_error(None, protection.POW_REUSED_MESSAGE)
        return _page(request, kind, form, status=400)
    return _thanks(kind)


@public
@require_GET
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    kind = kind_for(slug)
    return private(render(request, "enquiries/thanks.html", {"kind": kind}))
