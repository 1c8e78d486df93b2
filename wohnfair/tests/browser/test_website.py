"""The public website in Chromium: axe-core on every page type in German and on the
Arabic start page, no requests to other hosts; and the Wagtail admin really works
under its Content-Security-Policy: a lead creates and publishes a news item, an
editor submits one for moderation."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.test import Client
from playwright.sync_api import Page, expect

from wohnfair.website.demo import build_demo_site
from wohnfair.website.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",  # HomePage
    "/info/",  # StandardPage with sub-pages
    "/info/ueberblick/",  # StandardPage
    "/info/aktuelle-aktion/",  # CampaignIndexPage
    "/info/aktuelle-aktion/fair-vermieten/",  # CampaignPage
    "/info/meilensteine/",  # MilestonesPage
    "/info/kontakt/",  # ContactPage with the contact form
    "/aktuell/",  # NewsIndexPage
    "/aktuell/jahresbericht-2025/",  # NewsPage
    "/standpunkte/",  # PositionIndexPage
    "/standpunkte/agg-reform/",  # PositionPage
    "/konfliktmanagement/",  # EnquiryPage (mediation)
    "/stiftung/",  # EnquiryPage (support)
    "/materialien/",  # MaterialsPage
    "/links/",  # LinkDirectoryPage
    "/leichte-sprache/",
    "/barrierefreiheit/",
]


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path, page):
    settings.MEDIA_ROOT = tmp_path / "media"
    for cache in caches.all():
        cache.clear()
    home = build_demo_site()
    # The first render in a process imports and compiles a lot (Wagtail's blocks, the
    # templates); on a busy CI machine that alone can exceed the default timeout.
    Client().get("/")
    page.set_default_timeout(60_000)
    return home


def test_every_page_type_in_german_is_accessible_and_stays_on_this_host(
    demo_site, visit, assert_accessible, requested_urls, live_server
):
    for path in PAGE_TYPES:
        page = visit(path)
        assert page.locator("html").get_attribute("lang") == "de", path
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible()
    origin = live_server.url.rstrip("/")
    outside = [url for url in requested_urls if not url.startswith((origin, "data:"))]
    assert outside == []


def test_arabic_start_page_is_right_to_left_and_accessible(demo_site, visit, assert_accessible):
    page = visit("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_accessible()
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "de"


def test_the_link_directory_filter_works_with_the_keyboard(demo_site, visit, assert_accessible):
    page = visit("/links/")
    page.get_by_label("Ort").select_option("Bochum")
    page.get_by_role("button", name="Filtern").press("Enter")
    page.wait_for_url("**/links/?*")
    assert page.locator(".directory__entry").count() == 1
    assert_accessible()


def csp_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def add_news(page: Page, live_server, title: str) -> None:
    index = NewsIndexPage.objects.get(locale__language_code="de")
    page.goto(f"{live_server.url}/cms/pages/add/website/newspage/{index.pk}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill("Im Browser angelegt.")


def test_a_lead_creates_and_publishes_a_news_item_in_the_cms(
    demo_site, lead_a, log_in, page, live_server, visit, requested_urls
):
    errors = csp_errors(page)
    log_in(lead_a)
    add_news(page, live_server, "Nachricht aus dem Browser")
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url("**/cms/pages/*/")
    news = NewsPage.objects.get(title="Nachricht aus dem Browser")
    assert news.live
    public = visit(urlsplit(news.get_url()).path)
    expect(public.get_by_role("heading", level=1)).to_have_text("Nachricht aus dem Browser")
    assert errors == []
    origin = live_server.url.rstrip("/")
    assert [url for url in requested_urls if not url.startswith((origin, "data:", "blob:"))] == []


def test_an_editor_submits_a_news_item_for_moderation(
    demo_site, editor_a, log_in, page, live_server
):
    errors = csp_errors(page)
    log_in(editor_a)
    add_news(page, live_server, "Entwurf der Redaktion")
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url("**/cms/pages/*/")
    news = NewsPage.objects.get(title="Entwurf der Redaktion")
    assert not news.live
    assert news.current_workflow_state is not None
    assert errors == []
