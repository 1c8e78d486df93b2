"""The seed's menu as a page tree: every URL answers, in German and three more languages."""

import pytest
from wagtail.models import Page

from wohnfair.website.demo import build_demo_site
from wohnfair.website.models import HomePage, NewsPage, StandardPage

GERMAN_URLS = [
    "/",
    "/info/",
    "/info/aktuelle-aktion/",
    "/info/ueberblick/",
    "/info/ziele/",
    "/info/meilensteine/",
    "/info/kontakt/",
    "/aktuell/",
    "/standpunkte/",
    "/konfliktmanagement/",
    "/materialien/",
    "/stiftung/",
    "/links/",
    "/leichte-sprache/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
]
TRANSLATED_URLS = {
    "en": ["/en/", "/en/info/", "/en/info/ueberblick/"],
    "tr": ["/tr/", "/tr/info/", "/tr/info/ueberblick/"],
    "ar": ["/ar/", "/ar/info/", "/ar/info/ueberblick/"],
}


@pytest.mark.parametrize("url", GERMAN_URLS)
def test_every_section_of_the_seed_menu_answers_in_german(client, demo_site, url):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.text
    assert "<title>" in response.text and "<h1>" in response.text


def test_the_main_menu_lists_the_seed_sections_in_order(client, demo_site):
    html = client.get("/").text
    menu = html.split('class="site-menu__list"')[1].split("</nav>")[0]
    order = [
        "Info", "Aktuelle Aktion", "Überblick", "Ziele", "Meilensteine", "Kontakt",
        "Aktuell", "Standpunkte", "Konfliktmanagement", "Materialien", "Stiftung",
        "Links", "Leichte Sprache", "Suche",
    ]  # fmt: skip
    positions = [menu.index(f">{label}</a>") for label in order]
    assert positions == sorted(positions)
    assert 'href="/suche/"' in menu


@pytest.mark.parametrize(("language", "urls"), TRANSLATED_URLS.items())
def test_main_pages_exist_in_english_turkish_and_arabic(client, demo_site, language, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.text


def test_arabic_is_right_to_left_and_translated(client, demo_site):
    html = client.get("/ar/info/ueberblick/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert "نظرة عامة" in html
    assert 'action="/ar/suche/"' in html


def test_pages_link_their_translations_with_hreflang(client, demo_site):
    html = client.get("/info/ueberblick/").text
    for code, url in [("de", "/info/ueberblick/"), ("en", "/en/info/ueberblick/"),
                      ("tr", "/tr/info/ueberblick/"), ("ar", "/ar/info/ueberblick/")]:  # fmt: skip
        assert f'<link rel="alternate" hreflang="{code}" href="{url}">' in html
    # A page without translation links the other languages' start pages, without hreflang.
    html = client.get("/stiftung/").text
    assert '<a href="/en/" lang="en" hreflang="en">' in html
    assert '<link rel="alternate" hreflang="en"' not in html


def test_ueberblick_carries_the_seed_text_with_both_lists(client, demo_site):
    html = client.get("/info/ueberblick/").text
    assert "Seit 1997 ist der Dortmunder Planerladen e.V." in html
    assert "<li>Anstoßen von interkulturellen Dialogen</li>" in html
    assert "<li>Kooperation in thematisch relevanten Netzwerken vor Ort</li>" in html
    assert "<li>qualifizierte Antidiskriminierungsberatung</li>" in html
    assert "<li>Entwicklung, Bereitstellung, Vertrieb/Ausleihe von Materialien" in html
    assert "Mitglied im Antidiskriminierungsverband Deutschland (advd)" in html


def test_home_shows_current_campaign_latest_news_and_paths_to_help(client, demo_site):
    html = client.get("/").text
    assert "Aktuelle Aktion: Fair vermieten" in html
    assert 'href="/melden/"' in html
    assert "Beratung" in html and "Dienstag: 10 bis 13 Uhr" in html
    newest = NewsPage.objects.live().order_by("-date").first()
    assert newest.title in html
    oldest = NewsPage.objects.live().order_by("date").first()
    assert oldest.title not in html  # only the three latest


def test_public_pages_keep_the_strict_content_security_policy(client, demo_site):
    response = client.get("/info/kontakt/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_no_external_resources_on_public_pages(client, demo_site):
    for url in [*GERMAN_URLS, "/ar/"]:
        html = client.get(url).text
        for attribute in ('src="http', 'src="//', 'rel="stylesheet" href="http'):
            assert attribute not in html, url


def test_unpublished_page_is_gone_and_unknown_path_is_404(client, demo_site):
    Page.objects.get(url_path__endswith="/ziele/").specific.unpublish()
    assert client.get("/info/ziele/").status_code == 404
    assert client.get("/gibt-es-nicht/").status_code == 404


def test_building_the_demo_twice_adds_nothing(demo_site):
    pages = Page.objects.count()
    assert build_demo_site() == demo_site
    assert Page.objects.count() == pages
    assert HomePage.objects.count() == 4
    assert StandardPage.objects.filter(slug="ueberblick").count() == 4


def test_page_titles_and_descriptions(client, demo_site):
    html = client.get("/").text
    assert "<title>Startseite – Wohnfair</title>" in html
    assert '<meta name="description" content="Integrationsagentur' in html
