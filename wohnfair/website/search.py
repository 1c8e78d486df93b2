"""Suche: full-text search over the public website's live pages of the current language.

Uses Wagtail's database search backend (``WAGTAILSEARCH_BACKENDS``): PostgreSQL
full-text search with the 'german' configuration (so "Wohnungen" finds
"Wohnung"), SQLite FTS5 in the embedded set-up. The query is reduced to words
before it reaches the backend, so that punctuation, quotes and SQL-like text are
just text and never an FTS syntax error. Excerpts are built here from the page's
own search fields, with the matched words in ``<mark>`` and everything else
escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Manager
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from modelsearch import index
from wagtail.models import Locale, Page

from wohnfair.accounts.access import public

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
RESULTS_PER_PAGE = 10
EXCERPT_LENGTH = 240
WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchQuery:
    text: str  # what the visitor typed, cut to MAX_QUERY_LENGTH (shown back in the form)
    terms: tuple[str, ...]  # the words that are searched
    truncated: bool  # the input was longer than MAX_QUERY_LENGTH


def parse_query(raw: str | None) -> SearchQuery:
    """The visitor's input as words; anything that is not a word is ignored."""
    raw = (raw or "").replace("\x00", "").strip()
    truncated = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH]
    terms = tuple(dict.fromkeys(word.casefold() for word in WORD_RE.findall(text)))[:MAX_TERMS]
    return SearchQuery(text=text, terms=terms, truncated=truncated)


def searchable_pages(locale: Locale | None = None) -> Any:
    """Live, public pages of ``locale`` (the active language's by default)."""
    locale = locale or Locale.get_active()
    return Page.objects.live().public().filter(locale=locale).exclude(depth=1)


def search_pages(query: SearchQuery, locale: Locale | None = None) -> Any:
    """Search results (a lazy, sliceable result set) for the words of ``query``."""
    if not query.terms:
        return Page.objects.none()
    return searchable_pages(locale).search(" ".join(query.terms), operator="and")


def _field_texts(obj: Any, fields: list[Any]) -> Iterator[str]:
    for field in fields:
        if isinstance(field, index.SearchField):
            if field.field_name == "title":
                continue
            yield _as_text(field.get_value(obj))
        elif isinstance(field, index.RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                items = list(related.all())
            else:
                items = [related() if callable(related) else related]
            for item in items:
                yield from _field_texts(item, field.fields)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_as_text(item) for item in value.values())
    return str(value)


def page_text(page: Page) -> str:
    """The plain text of a page's searchable fields besides the title (tags stripped)."""
    specific = page.specific
    parts = [specific.search_description or ""]
    parts += _field_texts(specific, specific.get_search_fields())
    text = html.unescape(strip_tags(" ".join(part for part in parts if part)))
    return " ".join(text.split())


def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words that start like a search term: German stemming finds "Wohnung" for
    "Wohnungen", so the excerpt marks words that share the term's stem-like prefix."""
    alternatives = []
    for term in terms:
        if len(term) < 4:  # short words only as whole words, else "in" marks "Information"
            alternatives.append(re.escape(term) + r"\b")
        else:
            keep = max(4, len(term) - 3) if len(term) > 5 else len(term)
            alternatives.append(re.escape(term[:keep]) + r"\w*")
    if not alternatives:
        return None
    ordered = sorted(set(alternatives), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(ordered) + ")", re.IGNORECASE)


def highlight(text: str, terms: tuple[str, ...], length: int = EXCERPT_LENGTH) -> SafeString:
    """An excerpt of ``text`` around the first match, matches in ``<mark>``, all else escaped."""
    pattern = term_pattern(terms)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    excerpt = text[start : start + length]
    if start + length < len(text):
        excerpt = excerpt[: excerpt.rfind(" ")] if " " in excerpt else excerpt
    pieces: list[str] = ["… " if start else ""]
    position = 0
    for match in pattern.finditer(excerpt) if pattern else ():
        pieces.append(conditional_escape(excerpt[position : match.start()]))
        pieces.append(f"<mark>{conditional_escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(conditional_escape(excerpt[position:]))
    if start + len(excerpt) < len(text):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of text is escaped above)


@dataclass
class SearchResult:
    title: SafeString
    url: str
    excerpt: SafeString


def results_for(
    request: HttpRequest, page_of_results: PaginatorPage, terms: tuple[str, ...]
) -> list[SearchResult]:
    pages = list(page_of_results.object_list)
    specific = Page.objects.filter(pk__in=[page.pk for page in pages]).specific().in_bulk()
    results = []
    for page in pages:
        page = specific.get(page.pk, page)
        results.append(
            SearchResult(
                title=highlight(page.title, terms, length=10_000),
                url=page.get_url(request) or "",
                excerpt=highlight(page_text(page), terms),
            )
        )
    return results


def index_page(page: Page) -> None:
    """Bring one page's index entry up to date now (on publishing), instead of waiting for
    the background task that Wagtail enqueues on every save."""
    index.insert_or_update_object(page.specific)


@public
def search(request: HttpRequest) -> HttpResponse:
    query = parse_query(request.GET.get("q"))
    context: dict[str, Any] = {"query": query, "max_length": MAX_QUERY_LENGTH}
    if query.terms:
        paginator = Paginator(search_pages(query), RESULTS_PER_PAGE)
        page_of_results = paginator.get_page(request.GET.get("seite"))
        context.update(
            paginator=paginator,
            page_of_results=page_of_results,
            results=results_for(request, page_of_results, query.terms),
        )
    elif query.text:
        context["no_words"] = True
    return render(request, "website/search.html", context)
