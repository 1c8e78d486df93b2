"""Suche at /suche/: finds live public pages of the current language, marks matches, copes
with any input."""

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Locale, Page, PageViewRestriction

from wohnfair.website.search import (
    MAX_QUERY_LENGTH,
    RESULTS_PER_PAGE,
    highlight,
    parse_query,
)

SEARCH = "/suche/"


def results(response) -> str:
    """The results section only (menus on every page list other pages too)."""
    text = response.text
    start = text.find('<section aria-labelledby="results-heading"')
    assert start != -1, "no results section"
    return text[start : text.find("</section>", start)]


def test_the_search_has_german_and_prefixed_urls():
    assert reverse("website:search") == SEARCH


def test_an_empty_query_shows_the_form_only(client, db):
    response = client.get(SEARCH)
    assert response.status_code == 200
    text = response.text
    assert 'role="search"' in text
    assert '<label for="search-query">' in text
    assert "Treffer" not in text


def test_the_seed_text_is_found_on_the_overview_page(client, demo_site):
    response = client.get(SEARCH, {"q": "Integrationsagentur"})
    assert response.status_code == 200
    overview = Page.objects.get(locale__language_code="de", slug="ueberblick")
    found = results(response)
    assert f'href="{overview.url}"' in found
    assert "<mark>Integrationsagentur</mark>" in found


def test_a_query_finds_a_published_page_by_its_title(client, make_page):
    page = make_page("Beratung bei Wohnungsdiskriminierung")
    make_page("Materialien zum Ausleihen")
    response = client.get(SEARCH, {"q": "Wohnungsdiskriminierung"})
    assert response.status_code == 200
    found = results(response)
    assert "1 Treffer" in found
    assert f'href="{page.url}"' in found
    assert "<mark>Wohnungsdiskriminierung</mark>" in found
    assert "Materialien zum Ausleihen" not in found


def test_a_page_published_later_is_found_without_rebuilding_the_index(client, make_page):
    page = make_page("Entwurf ohne Inhalt", live=False)
    assert "0 Treffer" in client.get(SEARCH, {"q": "Meilensteinbericht"}).text
    page.title = "Meilensteinbericht des Jahres"
    page.save_revision().publish()
    assert "1 Treffer" in results(client.get(SEARCH, {"q": "Meilensteinbericht"}))


def test_unpublished_and_private_pages_are_not_found(client, make_page):
    make_page("Zugvogelprojekt öffentlich")
    make_page("Zugvogelprojekt Entwurf", live=False)
    private = make_page("Zugvogelprojekt intern")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    found = results(client.get(SEARCH, {"q": "Zugvogelprojekt"}))
    assert "1 Treffer" in found
    assert "öffentlich" in found
    assert "Entwurf" not in found
    assert "intern" not in found


def test_each_language_searches_its_own_pages(client, make_page, site_root):
    german = make_page("Nachbarschaftskonflikt schlichten")
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    english_root = site_root.get_translation_or_none(english_locale)
    if english_root is None:  # the demo tree, where present, has its English home already
        english_root = site_root.copy_for_translation(english_locale)
        english_root.save_revision().publish()
    english = german.copy_for_translation(english_locale)
    english.title = "Nachbarschaftskonflikt mediation"
    english.save_revision().publish()

    german_results = results(client.get(SEARCH, {"q": "Nachbarschaftskonflikt"}))
    english_results = results(client.get("/en" + SEARCH, {"q": "Nachbarschaftskonflikt"}))
    assert "schlichten" in german_results and "mediation" not in german_results
    assert "mediation" in english_results and "schlichten" not in english_results


def test_results_are_paginated(client, make_page):
    for number in range(RESULTS_PER_PAGE + 2):
        make_page(f"Workshop Fairvermieten {number}")
    first = client.get(SEARCH, {"q": "Fairvermieten"}).text
    second = client.get(SEARCH, {"q": "Fairvermieten", "seite": "2"}).text
    assert f"{RESULTS_PER_PAGE + 2} Treffer" in first
    assert first.count('class="search-result"') == RESULTS_PER_PAGE
    assert second.count('class="search-result"') == 2
    assert "Seite 2 von 2" in second
    # A page number that is no number shows the first page.
    assert (
        client.get(SEARCH, {"q": "Fairvermieten", "seite": "x'--"}).text.count(
            'class="search-result"'
        )
        == RESULTS_PER_PAGE
    )


def test_a_query_of_2000_characters_is_cut_with_a_note(client, make_page):
    make_page("Gleichbehandlungssiegel")
    response = client.get(SEARCH, {"q": "Gleichbehandlungssiegel " + "x" * 2000})
    assert response.status_code == 200
    assert f"nach den ersten {MAX_QUERY_LENGTH} Zeichen" in response.text
    assert 'maxlength="200"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE wagtailcore_page; --",
        '" OR 1=1 --',
        'Wohnung" AND "',
        "NEAR(a b) * ^title: -x",
        "%_\\",
        "\x00Wohnung",
        "ä" * 300,
        "(((",
        "   ",
    ],
)
def test_sql_like_or_syntax_text_is_just_text(client, make_page, query):
    make_page("Wohnung gesucht")
    before = Page.objects.count()
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert Page.objects.count() == before


def test_only_punctuation_asks_for_a_word(client, db):
    response = client.get(SEARCH, {"q": "?!--;"})
    assert response.status_code == 200
    assert "mindestens ein Wort" in response.text


def test_the_query_and_the_content_are_escaped(client, make_page):
    make_page("Hausordnung <script>alert('Titel')</script>")
    response = client.get(SEARCH, {"q": "Hausordnung <img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#x27;Titel&#x27;)&lt;/script&gt;" in response.text


def test_parse_query_keeps_words_and_caps_the_length():
    query = parse_query("  Wohnungen, in Dortmund!! " + "a" * 500)
    assert query.terms[:3] == ("wohnungen", "in", "dortmund")
    assert len(query.text) == MAX_QUERY_LENGTH
    assert query.truncated
    assert parse_query(None).terms == ()


def test_highlight_marks_words_with_the_same_stem_and_escapes_the_rest():
    excerpt = highlight("Die Wohnung <b>in</b> Dortmund & Bochum.", ("wohnungen", "bochum"))
    assert excerpt == (
        "Die <mark>Wohnung</mark> &lt;b&gt;in&lt;/b&gt; Dortmund &amp; <mark>Bochum</mark>."
    )


def test_highlight_shows_the_text_around_the_first_match():
    text = "Anfang " + "Füllwort " * 100 + "Ausleihe von Materialien " + "Ende " * 100
    excerpt = highlight(text, ("ausleihe",), length=120)
    assert "<mark>Ausleihe</mark>" in excerpt
    assert excerpt.startswith("… ")
    assert excerpt.endswith(" …")
    assert "Anfang" not in excerpt


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="German stemming needs PostgreSQL's 'german' search configuration (CI runs on it)",
)
def test_postgresql_stems_german_words(client, make_page):
    # A word the demo texts (present when this module built them) do not contain.
    make_page("Eine Mietwohnung in Dortmund")
    found = results(client.get(SEARCH, {"q": "Mietwohnungen"}))
    assert "1 Treffer" in found
    assert "<mark>Mietwohnung</mark>" in found
