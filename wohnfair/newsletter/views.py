"""Public pages of the newsletter: sign-up, confirmation, unsubscribing.

None of them needs a login; none says whether an address is on the list. Links in
mails open a page with a button (GET changes nothing, so mail scanners that follow
links do not confirm or unsubscribe anyone); the button POSTs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from wohnfair.accounts.access import public
from wohnfair.enquiries import protection
from wohnfair.intake import spam
from wohnfair.lib.http import private
from wohnfair.newsletter import services
from wohnfair.newsletter.forms import SignupForm


def _signup_page(
    request: HttpRequest, form: SignupForm, *, status: int = 200, throttled: bool = False
) -> HttpResponse:
    context = {"form": form, "throttled": throttled}
    return private(render(request, "newsletter/signup_page.html", context, status=status))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _signup_page(request, SignupForm())
    if not spam.allow(request, protection.SUBMIT_SCOPE):
        response = _signup_page(
            request, SignupForm.given_back(request.POST), status=429, throttled=True
        )
        response["Retry-After"] = str(spam.retry_after(protection.SUBMIT_SCOPE))
        return response
    form = SignupForm(request.POST)
    if not form.is_valid():
        return _signup_page(request, form, status=400)
    data = form.cleaned_data
    if not data["proof_of_work"] and not spam.allow(request, protection.UNVERIFIED_SCOPE):
        response = _signup_page(
            request, SignupForm.given_back(request.POST), status=429, throttled=True
        )
        response["Retry-After"] = str(spam.retry_after(protection.UNVERIFIED_SCOPE))
        return response
    if data["proof_of_work"] and not spam.claim_challenge(data["proof_of_work"]):
        form.add_error(None, protection.POW_REUSED_MESSAGE)
        return _signup_page(request, form, status=400)
    services.subscribe(data["email"], language=get_language())
    return private(redirect("newsletter:signup_done"))


@public
@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return private(render(request, "newsletter/signup_done.html"))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            services.confirm(token)
            return private(render(request, "newsletter/confirmed.html"))
        services.pending_for_token(token)
    except services.TokenProblem as problem:
        context = {"reason": problem.reason}
        return private(render(request, "newsletter/link_problem.html", context, status=400))
    return private(render(request, "newsletter/confirm.html", {"token": token}))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = services.subscriber_for_unsubscribe(token)
    if subscriber is None:
        context = {"reason": "invalid_unsubscribe"}
        return private(render(request, "newsletter/link_problem.html", context, status=400))
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return private(render(request, "newsletter/unsubscribed.html"))
    context = {"token": token, "already": subscriber.status == "unsubscribed"}
    return private(render(request, "newsletter/unsubscribe.html", context))
