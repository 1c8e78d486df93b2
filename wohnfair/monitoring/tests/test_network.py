"""The network view: pooled over members, consent only, suppressed, no way to a case."""

from datetime import date

import pytest
from django.urls import reverse

from wohnfair.audit.models import AuditEntry
from wohnfair.monitoring.aggregation import Filters, Period
from wohnfair.monitoring.models import StatisticsPolicy
from wohnfair.monitoring.network_figures import network_figures
from wohnfair.monitoring.pooling import network_min_cell
from wohnfair.monitoring.tests.pool_helpers import add_cases, recoverable_cells, shown_matrix

YEAR = Filters(Period(date(2025, 1, 1), date(2025, 12, 31)))
URL = "/staff/statistik/netzwerk/?von=2025-01-01&bis=2025-12-31"


@pytest.fixture
def member_cases(network, org_a, org_b, lead_a, lead_b):
    add_cases(org_a, lead_a, 12, merkmal="ethnic_origin")
    add_cases(org_a, lead_a, 2, merkmal="age")
    add_cases(org_b, lead_b, 3, merkmal="ethnic_origin")
    add_cases(org_b, lead_b, 1, merkmal="religion", consent="anonymised")
    # Never in pooled figures: no consent to statistics, or withdrawn.
    add_cases(org_b, lead_b, 9, merkmal="religion", consent="none")
    add_cases(org_b, lead_b, 8, merkmal="language", consent="withdrawn")
    return network


def row(table, code):
    return next(r for r in table.rows if r.code == code)


def test_network_figures_pool_consented_and_anonymised_cases_of_all_members(member_cases):
    merkmal = network_figures(member_cases, YEAR).tables["merkmal"]
    assert row(merkmal, "ethnic_origin").total.value == 15
    assert row(merkmal, "language").total.value == 0
    # 2 (age) and 1 (religion: the anonymised case only) are below k.
    assert row(merkmal, "age").total.display == "<5"
    assert row(merkmal, "religion").total.display == "<5"
    assert row(merkmal, "religion").total.value is None


def test_no_suppressed_cell_can_be_recovered_from_totals_or_differences(member_cases):
    figures = network_figures(member_cases, Filters(YEAR.period, "quarter"))
    for table in figures.tables.values():
        assert recoverable_cells(shown_matrix(table)) == [], table.dimension.code
    merkmal = figures.tables["merkmal"]
    # Total minus the visible rows gives at most the sum of two or more hidden cells.
    hidden = [r for r in merkmal.rows if r.total.suppressed]
    assert merkmal.total.suppressed or len(hidden) != 1


def test_the_recovery_check_finds_a_lone_suppressed_cell():
    # Row 1 hides one cell, its total is shown: 7 - 3 = 4 is recovered.
    assert recoverable_cells([[3, None, 7], [5, 6, 11], [8, None, 18]]) == [(0, 1), (2, 1)]


def test_k_is_the_largest_of_network_and_members(member_cases, org_b):
    assert network_min_cell(member_cases) == 5
    StatisticsPolicy.objects.create(organisation=org_b, min_cell=11)
    assert network_min_cell(member_cases) == 11
    merkmal = network_figures(member_cases, YEAR).tables["merkmal"]
    assert row(merkmal, "ethnic_origin").total.value == 15
    StatisticsPolicy.objects.create(organisation=member_cases, min_cell=20)
    merkmal = network_figures(member_cases, YEAR).tables["merkmal"]
    assert row(merkmal, "ethnic_origin").total.display == "<20"


def test_member_columns_only_for_members_that_allow_them(network, org_a, org_b, lead_a, lead_b):
    add_cases(org_a, lead_a, 12, merkmal="ethnic_origin")
    add_cases(org_b, lead_b, 9, merkmal="ethnic_origin")
    assert network_figures(network, YEAR).columns == {}
    StatisticsPolicy.objects.create(organisation=org_a, show_in_network_columns=True)
    columns = network_figures(network, YEAR).columns["merkmal"]
    assert [o.code for o in columns.organisations] == ["PL"]
    assert columns.cells["ethnic_origin"]["PL"].value == 12
    assert columns.cells["age"]["PL"].value == 0
    assert columns.totals["PL"].value == 12
    add_cases(org_a, lead_a, 2, merkmal="age")
    columns = network_figures(network, YEAR).columns["merkmal"]
    assert columns.cells["age"]["PL"].suppressed and columns.cells["age"]["PL"].value is None


def test_a_member_column_cannot_reveal_the_rest_by_difference(member_cases, org_a):
    StatisticsPolicy.objects.create(organisation=org_a, show_in_network_columns=True)
    figures = network_figures(member_cases, YEAR)
    merkmal = figures.tables["merkmal"]
    ethnic = row(merkmal, "ethnic_origin")
    shown = figures.columns["merkmal"].cells["ethnic_origin"]["PL"]
    # Network 15, PL 12: showing both would give BO's 3 away.
    assert ethnic.total.suppressed or shown.suppressed


def test_analyst_sees_the_page_without_any_link_to_cases(member_cases, network_analyst, login):
    response = login(network_analyst).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merkmal" in html and "&lt;5" in html
    assert "/staff/faelle" not in html
    assert "Aylin" not in html and "Testperson" not in html
    assert AuditEntry.objects.filter(action="monitoring.network_viewed").count() == 1


def test_an_impossible_period_gets_a_message(network_analyst, login):
    response = login(network_analyst).get(
        "/staff/statistik/netzwerk/?von=2025-12-31&bis=2025-01-01"
    )
    assert response.status_code == 400
    assert "Ende des Zeitraums liegt vor dem Beginn" in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_a", "lead_a", "counsellor_b"])
def test_office_staff_cannot_open_the_network_view(persona, request, login, network):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/konto/login/")


# --- policy page ---------------------------------------------------------------------------


def test_lead_sets_the_policy_and_the_change_is_audited(lead_a, org_a, login):
    client = login(lead_a)
    assert client.get(reverse("monitoring:policy")).status_code == 200
    response = client.post(
        reverse("monitoring:policy"),
        {"min_cell": "7", "show_in_network_columns": "on", "publish_statistics": "on"},
    )
    assert response.status_code == 302
    policy = StatisticsPolicy.objects.get(organisation=org_a)
    assert (policy.min_cell, policy.show_in_network_columns, policy.publish_statistics) == (
        7,
        True,
        True,
    )
    entry = AuditEntry.objects.get(action="monitoring.policy_changed")
    assert entry.details == {
        "min_cell": 7,
        "show_in_network_columns": True,
        "publish_statistics": True,
    }


@pytest.mark.parametrize("value", ["1", "51", "fünf", ""])
def test_a_bad_k_is_refused_and_nothing_changes(lead_a, org_a, login, value):
    StatisticsPolicy.objects.create(organisation=org_a, min_cell=6)
    response = login(lead_a).post(reverse("monitoring:policy"), {"min_cell": value})
    assert response.status_code == 400
    assert "Bitte prüfen Sie die markierten Angaben." in response.content.decode()
    assert StatisticsPolicy.objects.get(organisation=org_a).min_cell == 6


def test_the_network_lead_has_no_column_setting(network, login):
    from wohnfair.accounts.models import Role
    from wohnfair.accounts.tests.factories import MembershipFactory

    lead = MembershipFactory(organisation=network, role=Role.LEAD).user
    response = login(lead).get(reverse("monitoring:policy"))
    assert response.status_code == 200
    assert "show_in_network_columns" not in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_a", "network_analyst", "editor_a"])
def test_only_leads_set_the_policy(persona, request, login):
    response = login(request.getfixturevalue(persona)).post(
        reverse("monitoring:policy"), {"min_cell": "2"}
    )
    assert response.status_code == 403
    assert not StatisticsPolicy.objects.filter(min_cell=2).exists()
