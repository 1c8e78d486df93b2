"""Navigation, language links and the forms of other apps for the website's templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

register = template.Library()


def localized_home(request: HttpRequest) -> Page | None:
    site = Site.find_for_request(request)
    return site.root_page.localized.specific if site else None


@register.simple_tag(takes_context=True)
def website_home(context: dict[str, Any]) -> Page | None:
    return localized_home(context["request"])


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The top level of the menu with one level of children (Info's sub-pages)."""
    home = localized_home(context["request"])
    if home is None:
        return []
    current: Page | None = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    top = list(home.get_children().live().in_menu().specific(defer=True))
    children = Page.objects.none()
    for item in top:
        children = children | Page.objects.child_of(item)
    by_parent: dict[str, list[Page]] = {}
    for child in children.live().in_menu().order_by("path"):
        by_parent.setdefault(child.path[: -Page.steplen], []).append(child)
    return [
        {
            "page": item,
            "active": bool(current_path) and current_path.startswith(item.path),
            "children": by_parent.get(item.path, []),
        }
        for item in top
    ]


@register.simple_tag(takes_context=True)
def footer_pages(context: dict[str, Any]) -> list[Page]:
    """Legal pages and other top-level pages kept out of the main menu."""
    home = localized_home(context["request"])
    if home is None:
        return []
    return list(home.get_children().live().not_in_menu())


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """One link per language: the translation of this page, else that language's start page."""
    request: HttpRequest = context["request"]
    page = context.get("page")
    current = get_language()
    site = Site.find_for_request(request)
    translations: dict[str, Page] = {}
    if isinstance(page, Page):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    homes: dict[str, Page] = {}
    if site is not None:
        for home in site.root_page.get_translations(inclusive=True).live().select_related("locale"):
            homes[home.locale.language_code] = home
    links = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code) or homes.get(code)
        if target is None:
            continue
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": target.get_url(request),
                "is_current": code == current,
                "is_translation": code in translations,
            }
        )
    return links


@register.simple_tag
def search_url() -> str:
    """The search page in the current language (``/suche/``, ``/en/suche/``)."""
    try:
        return reverse("website:search")
    except NoReverseMatch:
        prefix = "" if get_language() == settings.LANGUAGE_CODE else f"/{get_language()}"
        return f"{prefix}/suche/"


@register.simple_tag
def report_url() -> str:
    try:
        return reverse("intake:report")
    except NoReverseMatch:
        return "/melden/"


@register.filter
def locale_direction(locale: Locale) -> str:
    return "rtl" if locale.language_code in settings.LANGUAGES_BIDI else "ltr"
