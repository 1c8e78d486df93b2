"""The statistics dashboard in Chromium: filters, SVG charts, tables, drill-down; axe-core clean."""

from datetime import date

import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.monitoring.tests.statistics_data import CaseSpec, IncidentSpec, World

pytestmark = pytest.mark.browser


@pytest.fixture
def lead(vocabularies):
    office = OrganisationFactory(name="Planerladen Dortmund", code="PL")
    other = OrganisationFactory(name="Beratungsstelle Bochum", code="BO")
    lead = MembershipFactory(
        organisation=office,
        role=Role.LEAD,
        user=UserFactory(email="leitung@planerladen.example", display_name="Jonas Leitung"),
    ).user
    colleague = MembershipFactory(organisation=other, role=Role.COUNSELLOR).user
    world = World([office, other], [lead, colleague])
    for day in range(1, 6):
        world.build_case(
            CaseSpec(
                0,
                date(2025, 2, day),
                incidents=(IncidentSpec(0, district=0, merkmale=frozenset({0, 1})),),
                interventions=(1,),
            )
        )
    world.build_case(CaseSpec(0, date(2025, 9, 1), "kurz", incidents=(IncidentSpec(1),)))
    return lead


def test_lead_reads_the_dashboard_filters_it_and_drills_down(
    log_in, visit, page, assert_accessible, lead
):
    log_in(lead)
    visit("/staff/statistik/?jahr=2025")
    assert page.get_by_role("heading", level=1).inner_text() == "Statistik"
    assert page.get_by_role("img", name="Balkendiagramm: Fälle nach Merkmal").count() == 1
    merkmal = page.get_by_role("table", name="Merkmal: Zahl der Fälle je Wert")
    assert "5 Fälle, 10 Nennungen" in page.content()
    assert_accessible()

    page.get_by_label("Einteilung").select_option(label="Quartale")
    page.get_by_role("group", name="Fallart").get_by_label("Beratungsfall").check()
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**einteilung=quarter**")
    merkmal = page.get_by_role("table", name="Merkmal: Zahl der Fälle je Wert")
    assert merkmal.get_by_role("columnheader", name="1. Quartal 2025").count() == 1
    assert_accessible()

    merkmal.get_by_role("link", name="5").first.click()
    page.wait_for_url("**/staff/faelle/?**merkmal=**")
    assert page.locator("#case-rows tr").count() == 5
