"""The public reporting portal in Chromium: a report in four languages with the real
proof of work (pow.js), one keyboard-only report, the form without JavaScript,
follow-up with the right and a wrong receipt; axe-core on every step and page."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import Page, expect

from wohnfair.intake.models import Report

pytestmark = pytest.mark.browser

STEP = "fieldset.report-step:not([hidden])"
NEXT = f"{STEP} .step-nav button:not(.button--quiet)"
SUBMIT = "[data-submit-area] button[type='submit']"


@pytest.fixture(autouse=True)
def _portal(vocabularies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WOHNFAIR_POW_MAX_NUMBER = 50_000  # pow.js does real work, but quickly
    settings.WOHNFAIR_INTAKE_MIN_FILL_SECONDS = 1
    cache.clear()
    yield
    cache.clear()


def reports():
    return Report.objects.unscoped("browser test")


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 90)).save(output, format="PNG")
    return output.getvalue()


def next_step(page: Page, assert_accessible) -> None:
    page.locator(NEXT).click()
    assert_accessible()


def fill_report(page: Page, assert_accessible, *, description: str) -> None:
    """Go through the seven steps with the mouse, checking accessibility on each."""
    expect(page.locator(".step-progress__text")).to_be_visible()
    assert page.locator("fieldset.report-step:not([hidden])").count() == 1
    assert_accessible()
    page.locator("#id_situations_1").check()
    page.locator("#id_description").fill(description)
    next_step(page, assert_accessible)
    page.locator("#id_incident_date").fill((date.today() - timedelta(days=10)).isoformat())
    page.locator("#id_postcode").fill("44137")
    page.locator("#id_city").fill("Dortmund")
    next_step(page, assert_accessible)
    page.locator("#id_respondent_kind_2").check()
    next_step(page, assert_accessible)
    page.locator("#id_grounds_0").check()
    page.locator("#id_grounds_2").check()
    next_step(page, assert_accessible)
    page.locator("#id_files").set_input_files(
        [{"name": "anzeige.png", "mimeType": "image/png", "buffer": png()}]
    )
    next_step(page, assert_accessible)
    page.locator("#id_wish_1").check()
    next_step(page, assert_accessible)
    expect(page.locator(SUBMIT)).to_be_visible()
    page.locator("#id_consent_statistics").check()
    page.locator(SUBMIT).click()


def read_receipt(page: Page) -> str:
    page.wait_for_url("**/melden/bestaetigung/**")
    groups = page.locator("[data-receipt-code] span").all_inner_texts()
    assert len(groups) == 4
    assert all(re.fullmatch(r"\d{4}", group) for group in groups)
    return "".join(groups)


def follow_up(page: Page, visit, assert_accessible, prefix: str, code: str) -> None:
    visit(f"{prefix}/melden/status/")
    assert_accessible()
    page.locator("#id_receipt").fill("1234 5678 9012 3456")
    page.locator("main form button[type='submit']").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible()
    page.locator("#id_receipt").fill(" ".join(code[i : i + 4] for i in range(0, 16, 4)))
    page.locator("main form button[type='submit']").click()
    expect(page.locator(".status-badge")).to_be_visible()
    report = reports().get()
    assert report.reference in page.content()
    assert_accessible()
    page.locator("#id_body").fill("Ich habe noch einen Screenshot.")
    page.locator("main form button[type='submit']").click()
    expect(page.locator(".thread__message")).to_have_count(1)
    assert_accessible()
    assert report.messages.count() == 1


@pytest.mark.parametrize(
    ("prefix", "language", "direction"),
    [("", "de", "ltr"), ("/en", "en", "ltr"), ("/tr", "tr", "ltr"), ("/ar", "ar", "rtl")],
)
def test_a_report_end_to_end(
    page, visit, assert_accessible, requested_urls, prefix, language, direction
):
    visit(f"{prefix}/melden/")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == direction
    fill_report(page, assert_accessible, description=f"Ein Bericht <b>({language})</b>")
    code = read_receipt(page)
    assert page.locator("html").get_attribute("dir") == direction
    expect(page.locator("[data-print]")).to_be_visible()
    assert_accessible()

    report = reports().get()
    assert report.language == language
    assert report.proof_of_work_verified, "pow.js must have solved the challenge"
    assert report.description == f"Ein Bericht <b>({language})</b>"
    assert report.files.count() == 1
    assert report.consents == {"statistics": 1}
    assert any("/melden/pow/" in url for url in requested_urls)

    page.reload()  # the code is shown once
    assert page.locator("[data-receipt-code]").count() == 0
    follow_up(page, visit, assert_accessible, prefix, code)


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_report_with_the_keyboard_only(page, visit, assert_accessible):
    visit("/melden/")
    # 1: a situation and the description
    tab_to(page, "#id_situations_2")
    page.keyboard.press("Space")
    tab_to(page, "#id_description")
    page.keyboard.type("Die Besichtigung wurde abgesagt, als ich meinen Namen nannte.")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('report-step__title')")
    assert_accessible()
    # 2: place; Enter in a text field goes to the next step, it does not send
    tab_to(page, "#id_city")
    page.keyboard.type("Bochum")
    page.keyboard.press("Enter")
    expect(page.locator(f"{STEP} #id_respondent_kind_0")).to_be_visible()
    assert reports().count() == 0
    # 3: who (arrow keys move within the radio group)
    tab_to(page, "#id_respondent_kind_0")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_respondent_kind_1").is_checked()
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    # 4: why
    tab_to(page, "#id_grounds_3")
    page.keyboard.press("Space")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    # 5: no files; Back and forward again
    tab_to(page, f"{STEP} .step-nav .button--quiet")
    page.keyboard.press("Enter")
    expect(page.locator(f"{STEP} #id_grounds_3")).to_be_checked()
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    # 6: the wish is required: Next without it stays on the step
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    expect(page.locator(f"{STEP} #id_wish_0")).to_be_visible()
    tab_to(page, "#id_wish_0")
    page.keyboard.press("Space")
    tab_to(page, NEXT)
    page.keyboard.press("Enter")
    # 7: contact and consents
    tab_to(page, "#id_contact_email")
    page.keyboard.type("person@example.org")
    tab_to(page, "#id_consent_counselling")
    page.keyboard.press("Space")
    tab_to(page, "#id_consent_statistics")
    page.keyboard.press("Space")
    assert_accessible()
    tab_to(page, SUBMIT)
    page.keyboard.press("Enter")
    code = read_receipt(page)
    assert_accessible()
    report = reports().get()
    assert report.proof_of_work_verified
    assert report.wish == "counselling"
    assert report.consents == {"counselling": 1, "statistics": 1}
    assert report.city == "Bochum"
    assert report.respondent_kind.code == "private_landlord"
    assert len(code) == 16


def test_errors_open_the_step_they_belong_to(page, visit, assert_accessible):
    visit("/melden/")
    page.locator("#id_situations_0").check()
    for _ in range(5):
        page.locator(NEXT).click()
    page.locator("#id_wish_0").check()  # counselling, but no consent given
    page.locator(NEXT).click()
    # Clicked through faster than a person: wait out the minimum fill time, or that error
    # (on step 1) would come first.
    page.wait_for_timeout(1100)
    page.locator(SUBMIT).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#step-contact")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible()
    assert reports().count() == 0


def test_without_javascript_the_form_is_one_page_and_works(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/melden/")
        assert page.locator("fieldset.report-step").count() == 7
        assert page.locator("fieldset.report-step[hidden]").count() == 0
        page.locator("#id_situations_0").check()
        page.locator("#id_wish_1").check()
        page.locator("#id_consent_statistics").check()
        page.wait_for_timeout(1100)  # the minimum fill time
        page.locator(SUBMIT).click()
        page.wait_for_url("**/melden/bestaetigung/**")
        assert page.locator("[data-receipt-code] span").count() == 4
        report = reports().get()
        assert not report.proof_of_work_verified  # no JavaScript, no proof of work
    finally:
        context.close()


def test_the_easy_language_page_is_accessible(visit, page, assert_accessible):
    visit("/melden/")
    page.get_by_role("link", name="Leichte Sprache: So funktioniert die Meldung").click()
    page.wait_for_url("**/melden/leichte-sprache/")
    assert_accessible()
