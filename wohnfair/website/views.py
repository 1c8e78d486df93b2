"""Thin wrappers that declare access for Wagtail's public views and close its login paths."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from wagtail import views as wagtail_views

from wohnfair.accounts.access import public


@public
def serve(request: HttpRequest, path: str) -> HttpResponse:
    """A page of the website; Wagtail serves live pages only and applies view restrictions."""
    return wagtail_views.serve(request, path)


@public
def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)


@public
def login_redirect(request: HttpRequest) -> HttpResponse:
    """Wagtail's own login forms are not offered: the staff login is throttled and asks for MFA."""
    login_url = resolve_url(settings.LOGIN_URL)
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        login_url = f"{login_url}?{urlencode({'next': next_url})}"
    return redirect(login_url)
