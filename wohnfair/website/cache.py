"""Anonymous page cache: Wagtail pages served to visitors without a session from the shared cache.

Why here and not Wagtail's or Django's per-site cache: the rules for what may be
kept are the project's own. A rendered page is stored only when nobody could
tell it apart from the next visitor's:

* the request is a GET without a session cookie or pending messages (a signed-in
  person, or an anonymous one with session state, always gets a fresh page);
* the response is a Wagtail page (``wagtail_serve``) with status 200, not
  streamed, with no ``Set-Cookie`` (so a page whose rendering used the CSRF token
  is never stored: Django sets the CSRF cookie whenever ``get_token`` ran) and no
  ``Cache-Control: private/no-store/no-cache``;
* the rendering did not use the CSP nonce: a stored page would carry an old
  nonce that the next response's header does not allow. Pages with inline
  scripts are therefore rendered every time; static script files (``script-src
  'self'``) are cached like the rest.

Entries are keyed by scheme, host, language and full path with query. A
generation token, also kept in the cache, is stored with each entry; publishing,
unpublishing, moving or deleting a page and saving site settings, sites,
locales or other models of the website app replace the token, so every older
entry is ignored from then on (and overwritten by the next render). Reading the
token and the entry is one cache round trip. Entries also expire after
``WOHNFAIR_PAGE_CACHE_SECONDS``, which bounds staleness from changes no signal
reports (for example an edited image).

The middleware sits before the session and authentication middleware, so a
cache hit costs no session or user lookup: only the session cookie's presence
is checked. ``WOHNFAIR_PAGE_CACHE=false`` turns it off.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import BaseCache, caches
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

# The database cache culls the alphabetically first keys when full; "~" sorts after
# the pages' keys, so the generation is the last thing culled (losing it only empties
# the cache, never serves a stale page).
GENERATION_KEY = "~page-generation"
CACHE_HEADER = "X-Wohnfair-Cache"
# Headers that belong to one response only, or that the outer middleware adds anew.
NOT_STORED_HEADERS = {
    "set-cookie",
    "date",
    "cache-control",
    "expires",
    "content-security-policy",
    "content-security-policy-report-only",
    CACHE_HEADER.lower(),
}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")

Middleware = Callable[[HttpRequest], HttpResponse]


def page_cache() -> BaseCache:
    return caches[settings.WOHNFAIR_PAGE_CACHE_ALIAS]


def bump_generation(**_signal_kwargs: Any) -> None:
    """Make every stored page stale (called on publishing and similar changes)."""
    page_cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def current_generation(found: str | None = None) -> str:
    if found is not None:
        return found
    cache = page_cache()
    cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    return str(cache.get(GENERATION_KEY))


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when the host is not allowed."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    identity = f"{request.scheme}\n{host}\n{language}\n{request.get_full_path()}"
    return "page:" + hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def may_use_cache(request: HttpRequest) -> bool:
    """Only for anonymous GET requests without any session state."""
    return (
        settings.WOHNFAIR_PAGE_CACHE
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def nonce_used(request: HttpRequest) -> bool:
    # Django's LazyNonce is true once it has been generated (rendered into the page).
    return bool(getattr(request, "_csp_nonce", None))


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    if nonce_used(request):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def mark_public(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=settings.WOHNFAIR_PAGE_CACHE_MAX_AGE)


def replay(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    mark_public(response)
    response[CACHE_HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serves and stores Wagtail pages for anonymous visitors (see the module docstring)."""

    def __init__(self, get_response: Middleware) -> None:
        self.get_response = get_response
        connect_signals()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        found = cache.get_many([GENERATION_KEY, key])
        generation = current_generation(found.get(GENERATION_KEY))
        entry = found.get(key)
        if entry is not None and entry.get("generation") == generation:
            return replay(entry)
        response = self.get_response(request)
        if may_store(request, response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED_HEADERS
            ]
            cache.set(
                key,
                {
                    "generation": generation,
                    "status": response.status_code,
                    "content": response.content,
                    "headers": headers,
                },
                timeout=settings.WOHNFAIR_PAGE_CACHE_SECONDS,
            )
            mark_public(response)
            response[CACHE_HEADER] = "miss"
        return response


# What makes stored pages stale ------------------------------------------------------------


def _is_page(instance: Any) -> bool:
    from wagtail.models import Page

    return isinstance(instance, Page)


def _changes_pages(sender: Any, instance: Any) -> bool:
    """Saving or deleting this object may change how pages look (besides pages themselves,
    which announce publishing through Wagtail's signals)."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Site

    kinds = (Site, Locale, BaseSiteSetting, BaseGenericSetting, AbstractImage, AbstractDocument)
    if isinstance(instance, kinds):  # images and documents: a new file, title or alt text
        return True
    # Public milestones of the workspace appear on the Meilensteine page.
    if sender._meta.label == "monitoring.Milestone":
        return True
    return sender._meta.app_label == "website" and not _is_page(instance)


def _on_save(sender: type, instance: Any, raw: bool = False, **_kwargs: Any) -> None:
    if not raw and _changes_pages(sender, instance):
        bump_generation()


def _on_delete(sender: type, instance: Any, **_kwargs: Any) -> None:
    if _is_page(instance) or _changes_pages(sender, instance):
        bump_generation()


def _on_page_published(sender: type, instance: Any, **_kwargs: Any) -> None:
    from wohnfair.website.search import index_page

    index_page(instance)
    bump_generation()


def connect_signals() -> None:
    """Connect the invalidation (and search indexing on publish); safe to call repeatedly."""
    from wagtail import signals

    signals.page_published.connect(_on_page_published, dispatch_uid="website-cache-published")
    signals.page_unpublished.connect(bump_generation, dispatch_uid="website-cache-unpublished")
    signals.post_page_move.connect(bump_generation, dispatch_uid="website-cache-moved")
    signals.published.connect(bump_generation, dispatch_uid="website-cache-snippet-published")
    signals.unpublished.connect(bump_generation, dispatch_uid="website-cache-snippet-unpub")
    # Only for the models that can change pages: a post_delete receiver without a sender
    # would make every bulk delete of the project fetch its rows first.
    for model in _models_that_change_pages():
        label = model._meta.label_lower
        post_save.connect(_on_save, sender=model, dispatch_uid=f"website-cache-saved.{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"website-cache-del.{label}")


def _models_that_change_pages() -> list[type]:
    from django.apps import apps
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Page, Site

    # Not renditions: pages create them while they render.
    kinds = (
        Site,
        Locale,
        BaseSiteSetting,
        BaseGenericSetting,
        Page,
        AbstractImage,
        AbstractDocument,
    )
    return [
        model
        for model in apps.get_models()
        if issubclass(model, kinds)
        or model._meta.app_label == "website"
        or model._meta.label == "monitoring.Milestone"
    ]
