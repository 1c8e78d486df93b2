"""Public statistics: opt-in, pooled, suppressed, no way to a case, cacheable."""

from datetime import date

import pytest

from wohnfair.monitoring.models import StatisticsPolicy
from wohnfair.monitoring.tests.pool_helpers import add_cases

THIS_YEAR = date.today().year


@pytest.fixture
def published_a(org_a, lead_a):
    StatisticsPolicy.objects.create(organisation=org_a, publish_statistics=True)
    first = date(THIS_YEAR, 1, 15)
    add_cases(org_a, lead_a, 6, merkmal="ethnic_origin", first_contact=first)
    add_cases(org_a, lead_a, 2, merkmal="age", first_contact=first)
    add_cases(org_a, lead_a, 9, merkmal="religion", consent="none", first_contact=first)
    return org_a


def test_unpublished_statistics_are_404(client, org_a):
    assert client.get("/statistik/pl/").status_code == 404
    StatisticsPolicy.objects.create(organisation=org_a, publish_statistics=False)
    assert client.get("/statistik/pl/").status_code == 404
    assert client.get("/statistik/unbekannt/").status_code == 404


def test_published_statistics_are_pooled_and_suppressed(client, published_a):
    response = client.get("/statistik/pl/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statistik: Planerladen Dortmund" in html
    assert "&lt;5" in html  # 2 cases of "age"
    assert "/staff/" not in html.replace('href="/staff/"', "")
    context_tables = {v.table.dimension.code: v.table for v in response.context["tables"]}
    merkmal = context_tables["merkmal"]
    religion = next(r for r in merkmal.rows if r.code == "religion")
    assert religion.total.value == 0  # no consent: not counted
    assert "public" in response["Cache-Control"]


def test_a_year_without_statistics_gets_a_message(client, published_a):
    response = client.get("/statistik/pl/?jahr=1700")
    assert response.status_code == 400
    assert "Für dieses Jahr gibt es keine Statistik" in response.content.decode()
    assert client.get("/statistik/pl/?jahr=abc").status_code == 400


def test_a_network_publishes_pooled_figures_of_its_members(
    client, network, published_a, org_b, lead_b
):
    StatisticsPolicy.objects.create(organisation=network, publish_statistics=True)
    add_cases(org_b, lead_b, 3, merkmal="ethnic_origin", first_contact=date(THIS_YEAR, 2, 1))
    add_cases(org_b, lead_b, 5, merkmal="language", first_contact=date(THIS_YEAR, 2, 1))
    response = client.get("/statistik/ada/")
    assert response.status_code == 200
    merkmal = next(
        v.table for v in response.context["tables"] if v.table.dimension.code == "merkmal"
    )
    assert next(r for r in merkmal.rows if r.code == "ethnic_origin").total.value == 9
