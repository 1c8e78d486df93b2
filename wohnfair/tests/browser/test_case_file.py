"""A counsellor documents a case end to end in Chromium, with axe-core on every page."""

import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.cases.models import Case, District

pytestmark = pytest.mark.browser


@pytest.fixture
def counsellor(vocabularies):
    organisation = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    District.objects.create(organisation=organisation, name="Innenstadt-Nord")
    return MembershipFactory(
        organisation=organisation,
        role=Role.COUNSELLOR,
        user=UserFactory(email="beratung@planerladen.example", display_name="Aylin Berater"),
    ).user


def test_counsellor_opens_a_case_and_finds_it_again(
    log_in, visit, page, assert_accessible, counsellor
):
    log_in(counsellor)
    page.get_by_role("link", name="Neuer Fall").click()
    page.wait_for_url("**/staff/faelle/neu/")
    assert_accessible()

    page.get_by_label("Zugangsweg").select_option(label="Telefon")
    page.get_by_label("Name oder Pseudonym").fill("Samira Haddad")
    page.get_by_label("E-Mail-Adresse").fill("samira@example.org")
    page.locator("#id_incident-date").fill("2026-02-27")
    page.get_by_label("Stadtbezirk").select_option(label="Innenstadt-Nord")
    page.get_by_label("Lebensbereich").select_option(label="Wohnungssuche")
    page.get_by_role("group", name="Erster Vorfall").get_by_label(
        "ethnische Herkunft / rassistische Zuschreibung"
    ).check()
    page.get_by_label("Beschreibung").fill(
        "Nach dem Telefonat mit Akzent war die Wohnung vergeben."
    )
    page.get_by_role("group", name="Verursachende noch nicht in der Liste?").get_by_label(
        "Name"
    ).fill("Hausverwaltung Kreuzviertel")
    page.get_by_role("group", name="Verursachende noch nicht in der Liste?").get_by_label(
        "Art"
    ).select_option(label="Makler*in oder Hausverwaltung")
    page.get_by_role("group", name="Einwilligungen", exact=True).get_by_label("Beratung").check()
    page.get_by_role("button", name="Fall anlegen").click()

    page.wait_for_url("**/staff/faelle/PL-*/")
    number = Case.objects.unscoped("test").get().number
    assert page.get_by_role("heading", level=1).inner_text() == f"Fall {number}"
    assert "Samira Haddad" in page.content()
    assert "Hausverwaltung Kreuzviertel" in page.content()
    assert_accessible()

    page.get_by_role("link", name="Fälle", exact=True).click()
    page.wait_for_url("**/staff/faelle/")
    page.get_by_label("Suche").fill("Haddad")
    page.get_by_role("button", name="Filtern").click()
    assert page.get_by_role("link", name=number).is_visible()
    assert_accessible()


def test_bad_input_is_announced_and_the_form_is_accessible(
    log_in, page, assert_accessible, counsellor
):
    log_in(counsellor)
    page.get_by_role("link", name="Neuer Fall").click()
    page.get_by_role("button", name="Fall anlegen").click()
    assert page.get_by_role("alert").first.is_visible()
    assert "Es wurde noch nichts gespeichert" in page.content()
    assert Case.objects.unscoped("test").count() == 0
    assert_accessible()
