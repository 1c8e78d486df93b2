"""Every figure of the dashboard leads to exactly the cases behind it."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wohnfair.monitoring.aggregation import (
    DIMENSIONS,
    DRILLDOWN_PARAMETERS,
    Filters,
    Period,
    can_drill_down,
    case_list_query,
    count_all,
)
from wohnfair.monitoring.tests.statistics_data import World, case_specs

pytestmark = pytest.mark.django_db

PERIOD = Period(date(2024, 1, 1), date(2025, 12, 31))


def test_every_dimension_has_a_drill_down():
    assert set(DRILLDOWN_PARAMETERS) == set(DIMENSIONS)
    assert all(can_drill_down(code, Filters(PERIOD)) for code in DIMENSIONS)


def listed_numbers(client, params) -> set[str]:
    """Case numbers the case list shows for these parameters, over all its pages."""
    numbers: set[str] = set()
    for page in range(1, 20):
        response = client.get(reverse("cases:list"), {**params, "seite": page})
        assert response.status_code == 200
        assert not response.context["form"].errors, response.context["form"].errors
        numbers |= {case.number for case in response.context["cases"]}
        if not response.context["has_next"]:
            return numbers
    raise AssertionError("more pages than expected")


@pytest.fixture
def lead_client(login, lead_a):
    return login(lead_a)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(case_specs, min_size=1, max_size=8),
    granularity=st.sampled_from(["total", "year", "quarter"]),
)
def test_each_figure_opens_a_case_list_with_exactly_its_cases(
    org_a, org_b, lead_a, counsellor_b, lead_client, specs, granularity
):
    with transaction.atomic():
        world = World([org_a, org_b], [lead_a, counsellor_b])
        built = [(spec, world.build_case(spec)) for spec in specs]
        filters = Filters(PERIOD, granularity)
        tables = count_all(filters, [org_a])
        for code, table in tables.items():
            for row in table.rows:
                for bucket, n in row.counts.items():
                    if not n:
                        continue
                    params = case_list_query(code, row.code, filters, bucket)
                    listed = listed_numbers(lead_client, params)
                    start = date.fromisoformat(params["von"])
                    end = date.fromisoformat(params["bis"])
                    expected = {
                        case.number
                        for spec, case in built
                        if spec.organisation == 0
                        and start <= spec.first_contact <= end
                        and row.code in world.values(spec, code)
                    }
                    assert listed == expected, (code, row.code, bucket)
                    assert len(listed) == n
        transaction.set_rollback(True)
