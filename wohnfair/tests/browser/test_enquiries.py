"""A visitor sends a contact enquiry in Chromium (proof of work by pow.js) and a lead
finds it in the staff inbox; axe-core on every page."""

import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.enquiries.models import Enquiry

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(transactional_db, settings):
    settings.WOHNFAIR_POW_MAX_NUMBER = 50_000  # pow.js does real work, but quickly
    settings.WOHNFAIR_INTAKE_MIN_FILL_SECONDS = 1
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    return MembershipFactory(
        organisation=organisation,
        role=Role.LEAD,
        user=UserFactory(email="leitung@planerladen.example", display_name="Lea Leitung"),
    ).user


def test_a_contact_enquiry_reaches_the_staff_inbox(
    visit, page, log_in, assert_accessible, requested_urls, lead
):
    # Generous waits: the first request of a live server compiles every template.
    page.set_default_navigation_timeout(90_000)
    page.set_default_timeout(60_000)
    visit("/anfrage/kontakt/")
    assert_accessible()
    page.get_by_label("Ihr Name").fill("Samira Haddad")
    page.get_by_label("E-Mail-Adresse").fill("samira@example.org")
    page.locator("[data-pow-status]").filter(has_text="bereit").wait_for(timeout=30_000)
    page.wait_for_timeout(1100)  # the minimum fill time of the spam protection
    # Sent without a message first: the form comes back with a clear error.
    page.get_by_role("button", name="Nachricht senden").click()
    page.get_by_role("alert").filter(has_text="Bitte prüfen Sie Ihre Angaben").wait_for()
    assert "Dieses Feld ist zwingend erforderlich." in page.content()
    assert Enquiry.objects.unscoped("test").count() == 0
    assert_accessible()
    page.get_by_label("Ihre Nachricht").fill("Ich suche Beratung zu einer Wohnungsabsage.")
    page.locator("[data-pow-status]").filter(has_text="bereit").wait_for(timeout=30_000)
    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_url("**/anfrage/kontakt/danke/")
    assert "Vielen Dank für Ihre Anfrage" in page.content()
    assert_accessible()
    enquiry = Enquiry.objects.unscoped("test").get()
    assert enquiry.name == "Samira Haddad"
    assert enquiry.proof_of_work_verified, "pow.js must have solved the challenge"
    assert any("/melden/pow/" in url for url in requested_urls)

    page.context.clear_cookies()
    log_in(lead)
    visit("/staff/anfragen/")
    assert_accessible()
    page.get_by_role("link", name=f"Anfrage {enquiry.pk}").click()
    page.wait_for_url(f"**/staff/anfragen/{enquiry.pk}/")
    assert "Samira Haddad" in page.content()
    assert_accessible()
    page.get_by_role("button", name="Als Spam markieren").click()
    page.wait_for_url(f"**/staff/anfragen/{enquiry.pk}/")
    enquiry.refresh_from_db()
    assert enquiry.status == "spam"
