"""The login and the staff workspace in a real browser: language, direction,
keyboard use, accessibility (axe-core) and no requests to other hosts."""

from urllib.parse import urlsplit

import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(transactional_db):
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    return MembershipFactory(
        organisation=organisation,
        role=Role.LEAD,
        user=UserFactory(email="leitung@planerladen.example", display_name="Lea Leitung"),
    ).user


def html_attributes(page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def test_login_page_in_german_is_left_to_right_and_accessible(visit, assert_accessible):
    page = visit("/konto/login/")
    assert html_attributes(page) == ("de", "ltr")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmeldung für Mitarbeitende"
    assert_accessible()


def test_login_page_in_arabic_is_right_to_left_and_accessible(visit, assert_accessible):
    page = visit("/ar/konto/login/")
    assert html_attributes(page) == ("ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_accessible()


def test_lead_logs_in_through_the_form_and_sees_the_workspace(lead, log_in, assert_accessible):
    page = log_in(lead)
    assert urlsplit(page.url).path == "/staff/"
    assert html_attributes(page) == ("de", "ltr")
    facts = page.locator("main dl.facts")
    assert "Planerladen Dortmund (PL)" in facts.inner_text()
    assert "Leitung" in facts.inner_text()
    assert page.locator(".account-bar .badge").inner_text() == "Leitung"
    assert page.locator(".org-card__name").inner_text() == "Planerladen Dortmund"
    assert_accessible()


def test_workspace_in_arabic_is_right_to_left_and_accessible(lead, log_in, assert_accessible):
    page = log_in(lead, language_prefix="/ar")
    assert urlsplit(page.url).path == "/ar/staff/"
    assert html_attributes(page) == ("ar", "rtl")
    assert "Planerladen Dortmund" in page.locator("main").inner_text()
    # The workspace navigation sits on the right in a right-to-left layout.
    nav = page.locator("nav.workspace-nav").bounding_box()
    main = page.locator("main#main").bounding_box()
    assert nav is not None and main is not None
    assert nav["x"] > main["x"]
    assert_accessible()


def test_team_page_for_a_lead_is_accessible(lead, log_in, visit, assert_accessible):
    log_in(lead)
    page = visit("/staff/team/")
    assert page.get_by_role("heading", level=1).inner_text() == "Team"
    assert page.get_by_role("cell", name="leitung@planerladen.example", exact=True).count() == 1
    assert_accessible()


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(visit):
    page = visit("/konto/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({tag: document.activeElement.tagName, text: document.activeElement.textContent,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"tag": "A", "text": "Zum Inhalt springen", "href": "#main"}
    # Once focused, the skip link is visible inside the viewport.
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    assert urlsplit(page.url).fragment == "main"


def test_no_page_requests_anything_from_another_host(
    lead, page, requested_urls, visit, log_in, live_server
):
    # Attempts that the Content-Security-Policy blocks never become requests,
    # but Chromium reports them as console errors.
    console_errors: list[str] = []

    def record_error(message) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", record_error)
    # The website pages (Wagtail) have their own test with the demo site: test_website.py.
    for path in ("/melden/", "/konto/login/", "/ar/konto/login/"):
        visit(path)
    log_in(lead)
    for path in ("/staff/", "/ar/staff/", "/staff/team/"):
        visit(path)

    origin = live_server.url.rstrip("/")
    assert any(url.endswith("/static/wohnfair/wohnfair.css") for url in requested_urls)
    outside = [
        url
        for url in requested_urls
        if urlsplit(url).scheme not in {"data", "blob", "about"}
        and not url.startswith(origin + "/")
    ]
    assert outside == []
    assert console_errors == []
