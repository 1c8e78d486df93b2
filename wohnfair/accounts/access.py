"""Who may use which view, and permission-aware lookups of tenant data.

Every view declares its access rule with one decorator from this module:
``public`` for pages anyone may open, ``staff_required`` for the staff
workspace. A test walks the URL resolver and fails on any view without one.
Views never look tenant data up directly; they use ``get_for_organisation_or_404``
or an app's own helper built on the same scoping path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from wohnfair.accounts.models import Membership, Role

ACCESS_ATTRIBUTE = "wohnfair_access"

# Views that enforce access themselves. Everything under /admin/ passes through
# AdminSite.admin_view (is_staff) and AdminMFAMiddleware (second factor);
# everything under /cms/ through Wagtail's require_admin_access (the
# wagtailadmin.access_admin permission, given to editors and leads only) and
# AdminMFAMiddleware; /dokumente/ is Wagtail's document serving, which applies the
# collections' view restrictions; allauth guards its own account and MFA pages;
# set_language only sets a cookie.
DELEGATED_URL_PREFIXES = ("admin/", "cms/", "dokumente/")
DELEGATED_VIEW_MODULES = ("allauth.", "django.views.i18n")

View = Callable[..., HttpResponse]
V = TypeVar("V", bound=View)


def public[V: View](view: V) -> V:
    """Mark a view as open to everyone, including anonymous visitors."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def declared_access(view: Callable[..., Any], route: str = "") -> str | None:
    """The access rule a view declared, or None."""
    if route.startswith(DELEGATED_URL_PREFIXES):
        return f"delegated:{route.split('/')[0]}"
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and getattr(candidate, ACCESS_ATTRIBUTE, None):
            return str(getattr(candidate, ACCESS_ATTRIBUTE))
    module = getattr(view, "__module__", "") or ""
    if module.startswith(DELEGATED_VIEW_MODULES):
        return f"delegated:{module}"
    return None


def mfa_satisfied(request: HttpRequest) -> bool:
    """True when this session was confirmed with a second factor."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)  # type: ignore[arg-type]
    return any(record.get("method") == "mfa" for record in records)


def mfa_redirect(request: HttpRequest) -> HttpResponse:
    """Send a staff user to set up or confirm a second factor, then back."""
    from allauth.mfa.utils import is_mfa_enabled

    next_url = request.get_full_path()
    if is_mfa_enabled(request.user):
        return redirect(f"{reverse('mfa_reauthenticate')}?next={next_url}")
    messages.warning(
        request,
        _(
            "Für den Arbeitsbereich ist eine Zwei-Faktor-Anmeldung nötig. "
            "Bitte richten Sie eine Authenticator-App oder einen Passkey ein."
        ),
    )
    return redirect("mfa_index")


def staff_required(*roles: Role) -> Callable[[V], V]:
    """Require a logged-in member of the active organisation, optionally with one of ``roles``.

    Answers with the login page for anonymous visitors, 403 for users without
    a fitting membership, a second-factor prompt where MFA is required, and
    marks the response as not cacheable.
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if settings.WOHNFAIR_REQUIRE_MFA and not mfa_satisfied(request):
                return mfa_redirect(request)
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None:
                raise PermissionDenied(_("Sie gehören keiner Organisation an."))
            if roles and membership.role not in roles:
                if kwargs:
                    # An object URL: answer as if it did not exist, never hint at its existence.
                    raise Http404
                raise PermissionDenied(_("Ihre Rolle erlaubt diese Seite nicht."))
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        setattr(wrapper, ACCESS_ATTRIBUTE, "staff:" + (",".join(roles) or "any"))
        return wrapper  # type: ignore[return-value]

    return decorator


def managers_only() -> Callable[[V], V]:
    return staff_required(Role.LEAD, Role.ADMINISTRATOR)


class OrganisationScoped(Protocol):
    def of_organisation(self, organisation: Any) -> models.QuerySet[Any]: ...


def get_for_organisation_or_404[M: models.Model](
    request: HttpRequest, queryset: models.QuerySet[M], **lookup: Any
) -> M:
    """One object of the active organisation, or 404 (never 403: no hint that it exists)."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    scoped = queryset.of_organisation(membership.organisation)  # type: ignore[attr-defined]
    try:
        return scoped.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
