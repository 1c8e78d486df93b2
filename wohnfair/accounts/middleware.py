"""Session safety, the active organisation and cache headers for signed-in users."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from wohnfair.accounts.access import mfa_redirect, mfa_satisfied
from wohnfair.accounts.models import Membership

Middleware = Callable[[HttpRequest], HttpResponse]

ACTIVE_ORGANISATION_KEY = "wohnfair_active_organisation"
SESSION_STARTED_KEY = "wohnfair_session_started"
LAST_SEEN_KEY = "wohnfair_last_seen"
# Refresh the idle timer at most once a minute, to avoid a session write per request.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a staff session after idle time and after an absolute maximum."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            idle_limit = settings.WOHNFAIR_SESSION_IDLE_MINUTES * 60
            absolute_limit = settings.WOHNFAIR_SESSION_MAX_HOURS * 3600
            if now - last_seen > idle_limit or now - started > absolute_limit:
                logout(request)
                messages.info(request, _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich an."))
            elif now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def active_membership(request: HttpRequest) -> Membership | None:
    """The membership the user works in now: the one chosen in the session, else the first."""
    if not request.user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    chosen = request.session.get(ACTIVE_ORGANISATION_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership
    return memberships[0] if memberships else None


class ActiveOrganisationMiddleware:
    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = active_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)


# The technical admin and the website's editing interface (Wagtail).
MFA_GUARDED_PREFIXES = ("/admin/", "/cms/")


class AdminMFAMiddleware:
    """The technical admin and the CMS need the same second factor as the staff workspace."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.WOHNFAIR_REQUIRE_MFA
            and request.path.startswith(MFA_GUARDED_PREFIXES)
            and request.user.is_authenticated
            and not mfa_satisfied(request)
        ):
            return mfa_redirect(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user may be kept by a browser or proxy cache."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
