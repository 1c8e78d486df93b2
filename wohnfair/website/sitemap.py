"""sitemap.xml (every language's live, public pages with hreflang alternates) and robots.txt."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page

from wohnfair.accounts.access import public

# Paths no search engine needs, in every language (German has no prefix).
DISALLOWED_PATHS = ("staff/", "konto/", "melden/status/")
DISALLOWED_ROOT_PATHS = ("/cms/", "/admin/")


class WebsiteSitemap(Sitemap):
    """Wagtail's sitemap covers only the site's root page and its descendants, which
    is one language; this one adds the root's translations and links each page to
    its translations (``hreflang``)."""

    def items(self) -> Any:
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        in_tree = Q()
        for root in roots:
            in_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_tree)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls = super()._urls(page, protocol, domain)
        by_location = {url["location"]: url for url in urls}
        translations: dict[Any, list[tuple[str, str]]] = defaultdict(list)
        for item in self.paginator.page(page).object_list:
            location = item.get_full_url(self.request)
            if location in by_location:
                translations[item.translation_key].append((item.locale.language_code, location))
        default = settings.LANGUAGE_CODE
        for versions in translations.values():
            if len(versions) < 2:
                continue
            alternates = [{"lang_code": code, "location": url} for code, url in versions]
            fallback = next((url for code, url in versions if code == default), None)
            if fallback:
                alternates.append({"lang_code": "x-default", "location": fallback})
            for _code, url in versions:
                by_location[url]["alternates"] = alternates
        return urls


@public
@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    response: HttpResponse = wagtail_sitemap_views.sitemap(
        request, sitemaps={"pages": WebsiteSitemap}
    )
    return response


def robots_lines(sitemap_url: str) -> list[str]:
    lines = ["User-agent: *"]
    prefixes = [""] + [
        f"{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    for prefix in prefixes:
        lines += [f"Disallow: /{prefix}{path}" for path in DISALLOWED_PATHS]
    lines += [f"Disallow: {path}" for path in DISALLOWED_ROOT_PATHS]
    lines += ["", f"Sitemap: {sitemap_url}"]
    return lines


@public
@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse("\n".join(robots_lines(sitemap_url)) + "\n", content_type="text/plain")
