"""The network view and the public statistics in Chromium, with axe-core on each page."""

from datetime import date

import pytest

from wohnfair.accounts.models import Organisation, Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.monitoring.models import StatisticsPolicy
from wohnfair.monitoring.tests.pool_helpers import add_cases

pytestmark = pytest.mark.browser
THIS_YEAR = date.today().year


@pytest.fixture
def analyst(vocabularies):
    office = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    other = OrganisationFactory(name="Beratungsstelle Bochum", code="BO")
    network = OrganisationFactory(name="ada.nrw", code="ADA", kind=Organisation.Kind.NETWORK)
    network.member_organisations.add(office, other)
    lead = MembershipFactory(organisation=office, role=Role.LEAD).user
    first = date(THIS_YEAR, 1, 20)
    add_cases(office, lead, 7, merkmal="ethnic_origin", first_contact=first)
    add_cases(office, lead, 2, merkmal="age", first_contact=first)
    add_cases(office, lead, 6, merkmal="language", first_contact=first)
    StatisticsPolicy.objects.create(organisation=office, show_in_network_columns=True)
    StatisticsPolicy.objects.create(organisation=network, publish_statistics=True)
    return MembershipFactory(
        organisation=network,
        role=Role.NETWORK_ANALYST,
        user=UserFactory(email="analyse@ada.example", display_name="Nora Netz"),
    ).user


def test_network_view_and_public_statistics_are_accessible(
    log_in, visit, page, assert_accessible, analyst
):
    log_in(analyst)
    visit("/staff/statistik/netzwerk/")
    assert page.get_by_role("heading", name="Netzwerkstatistik", level=1).is_visible()
    assert page.get_by_role("table", name="Merkmal: Fälle je Wert").is_visible()
    assert "<5" in page.content() or "&lt;5" in page.content()
    assert page.locator("a[href*='/staff/faelle']").count() == 0
    assert_accessible()

    page.locator("#id_einteilung").select_option("quarter")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**einteilung=quarter**")
    assert page.get_by_role("columnheader", name=f"1. Quartal {THIS_YEAR}").first.is_visible()
    assert_accessible()

    visit("/statistik/ada/")
    assert page.get_by_role("heading", name="Statistik: ada.nrw", level=1).is_visible()
    assert page.locator("a[href*='/staff/faelle']").count() == 0
    assert_accessible()
