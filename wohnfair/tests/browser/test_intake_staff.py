"""Staff triage a report and open a case from it in Chromium, with axe-core on every page."""

from datetime import date

import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.cases.models import Case
from wohnfair.intake.tests.staff_helpers import make_report, reporter_message

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(vocabularies):
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    return MembershipFactory(
        organisation=organisation,
        role=Role.LEAD,
        user=UserFactory(email="leitung@planerladen.example", display_name="Lea Leitung"),
    ).user


def test_lead_triages_a_report_and_opens_a_case(log_in, visit, page, assert_accessible, lead):
    organisation = lead.memberships.get().organisation
    report = make_report(
        organisation,
        contact_name="Samira Haddad",
        contact_email="samira@example.org",
        incident_date=date(2026, 2, 27),
        respondent_name="Hausverwaltung Kreuzviertel",
    )
    reporter_message(report, "Ich habe noch einen Screenshot.")
    log_in(lead)

    visit("/staff/meldungen/")
    assert_accessible()
    page.get_by_role("link", name=report.reference).click()
    page.wait_for_url(f"**/staff/meldungen/{report.reference}/")
    assert "Samira Haddad" in page.content()
    assert_accessible()

    page.locator("#id_assignee").select_option(label="Lea Leitung")
    page.get_by_role("button", name="Zuweisen").click()
    page.wait_for_url(f"**/staff/meldungen/{report.reference}/")
    page.locator("#id_note-text").fill("Vermieter ist uns bekannt.")
    page.get_by_role("button", name="Notiz speichern").click()
    page.wait_for_url(f"**/staff/meldungen/{report.reference}/")
    assert "Vermieter ist uns bekannt." in page.content()
    assert_accessible()

    page.get_by_role("link", name="Fall eröffnen").click()
    page.wait_for_url(f"**/staff/meldungen/{report.reference}/fall-eroeffnen/")
    assert_accessible()
    page.get_by_role("button", name="Fall eröffnen").click()
    # The name from the report needs a kind of respondent before it can be created.
    assert "Bitte die Art der Verursachenden angeben." in page.content()
    assert_accessible()
    page.get_by_role("group", name="Noch nicht in der Liste?").get_by_label("Art").select_option(
        label="Makler*in oder Hausverwaltung"
    )
    page.get_by_role("button", name="Fall eröffnen").click()
    page.wait_for_url("**/staff/faelle/PL-*/")
    case = Case.objects.unscoped("test").get()
    assert "Samira Haddad" in page.content()

    visit(f"/staff/meldungen/{report.reference}/")
    assert page.get_by_role("link", name=f"Fall {case.number} öffnen").is_visible()
    assert_accessible()


def test_catchment_and_entering_a_report_are_accessible(
    log_in, visit, page, assert_accessible, lead
):
    log_in(lead)
    visit("/staff/zustaendigkeit/")
    page.get_by_label("Postleitzahl oder Anfang").fill("441")
    page.get_by_role("button", name="Hinzufügen").click()
    page.wait_for_url("**/staff/zustaendigkeit/")
    assert "441" in page.content()
    assert_accessible()
    visit("/staff/meldungen/aufnehmen/")
    assert_accessible()
