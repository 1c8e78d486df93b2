"""The website search in Chromium: search from the form, find the seed's text on the
Überblick page with the word marked, follow the result; axe-core on the empty and the
filled search page in German and English; no request leaves the host."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from wohnfair.website.demo import build_demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for cache in caches.all():
        cache.clear()
    return build_demo_site()


def test_searching_finds_the_overview_page_and_is_accessible(
    demo_site, page, visit, assert_accessible, requested_urls, live_server
):
    visit("/suche/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    assert_accessible()

    page.locator("#search-query").fill("Integrationsagentur")
    page.locator("#search-query").press("Enter")
    page.wait_for_url("**/suche/?q=Integrationsagentur")
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    overview = page.locator(".search-result a", has_text="Überblick")
    expect(overview).to_have_count(1)
    expect(page.locator(".search-result mark").first).to_have_text("Integrationsagentur")
    assert_accessible()

    overview.click()
    page.wait_for_url("**/info/ueberblick/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Überblick")

    origin = urlsplit(live_server.url).netloc
    outside = [url for url in requested_urls if urlsplit(url).netloc not in ("", origin)]
    assert outside == []


def test_the_english_search_page_and_a_query_without_results_are_accessible(
    demo_site, page, visit, assert_accessible
):
    visit("/en/suche/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible()
    visit("/suche/?q=" + "Zzyzx%22%3B+DROP+TABLE+x%3B--")
    expect(page.locator("#results-heading")).to_contain_text("0 Treffer")
    assert_accessible()
