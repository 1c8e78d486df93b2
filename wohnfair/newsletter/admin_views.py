"""Sending a newsletter page from the CMS (/cms/): confirm, then watch the progress.

Wagtail wraps these views with its admin-access check; on top, only users who may
publish the page may send it.
"""

from __future__ import annotations

from contextlib import suppress

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from wohnfair.accounts.access import ACCESS_ATTRIBUTE
from wohnfair.newsletter import services
from wohnfair.newsletter.models import NewsletterPage, Sending

# The access walker: Wagtail's require_admin_access guards everything under /cms/.
CMS_ACCESS = "delegated:wagtail-admin"


def _page_for_sender(request: HttpRequest, page_id: int) -> NewsletterPage:
    page = get_object_or_404(NewsletterPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return page


@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for_sender(request, page_id)
    existing = Sending.objects.filter(page=page).first()
    if existing is not None:
        return redirect("newsletter_admin:progress", page_id=page.pk)
    if request.method == "POST" and page.live:
        with suppress(services.AlreadySent):  # a second click: show the running one
            services.start_sending(page, by=request.user)
        return redirect("newsletter_admin:progress", page_id=page.pk)
    context = {"page": page, "count": services.confirmed_subscribers().count()}
    response = render(request, "newsletter/admin/send.html", context)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD"])
def progress(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for_sender(request, page_id)
    sending = get_object_or_404(Sending, page=page)
    context = {"page": page, "sending": sending, "progress": services.progress(sending)}
    response = render(request, "newsletter/admin/progress.html", context)
    add_never_cache_headers(response)
    return response


for _view in (send, progress):
    setattr(_view, ACCESS_ATTRIBUTE, CMS_ACCESS)
