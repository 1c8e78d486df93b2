"""Counting in the database, checked against an independent count in Python."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wohnfair.monitoring.aggregation import (
    DIMENSIONS,
    Filters,
    Period,
    buckets_for,
    can_drill_down,
    case_list_query,
    count,
    count_all,
)
from wohnfair.monitoring.tests.statistics_data import (
    CASE_TYPES,
    STATUSES,
    CaseSpec,
    IncidentSpec,
    World,
    case_specs,
    expected_counts,
)

pytestmark = pytest.mark.django_db

YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 31))

filters_strategy = st.builds(
    Filters,
    period=st.sampled_from(
        [
            Period(date(2024, 1, 1), date(2025, 12, 31)),
            YEAR_2025,
            Period(date(2024, 3, 15), date(2024, 11, 2)),
        ]
    ),
    granularity=st.sampled_from(["month", "quarter", "year", "total"]),
    case_types=st.lists(st.sampled_from(CASE_TYPES), max_size=2, unique=True).map(tuple),
    statuses=st.lists(st.sampled_from(STATUSES), max_size=2, unique=True).map(tuple),
)


@pytest.fixture
def world(org_a, org_b, counsellor_a, counsellor_b):
    return World([org_a, org_b], [counsellor_a, counsellor_b])


def assert_matches(world, table, specs, filters, organisations, pooled):
    expected, cases = expected_counts(
        world, specs, table.dimension.code, filters, organisations, pooled
    )
    assert table.buckets == buckets_for(filters)
    got = {(row.code, bucket): n for row in table.rows for bucket, n in row.counts.items() if n}
    assert got == dict(expected), table.dimension.code
    assert table.cases == cases, table.dimension.code
    assert sum(table.bucket_cases.values()) == cases
    assert table.mentions == sum(expected.values())


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(case_specs, max_size=10),
    filters=filters_strategy,
    which=st.sampled_from([{0}, {1}, {0, 1}]),
    pooled=st.booleans(),
)
def test_counts_match_an_independent_count_in_python(world, specs, filters, which, pooled):
    with transaction.atomic():
        for spec in specs:
            world.build_case(spec)
        organisations = [world.organisations[i] for i in sorted(which)]
        tables = count_all(filters, organisations, pooled=pooled)
        assert list(tables) == list(DIMENSIONS)
        for table in tables.values():
            assert_matches(world, table, specs, filters, which, pooled)
        transaction.set_rollback(True)


def test_a_case_with_several_merkmale_counts_once_under_each_but_once_as_a_case(world):
    spec = CaseSpec(
        0,
        date(2025, 5, 1),
        incidents=(
            IncidentSpec(0, merkmale=frozenset({0, 1})),
            IncidentSpec(1, merkmale=frozenset({1, 2})),
        ),
    )
    world.build_case(spec)
    table = count("merkmal", Filters(YEAR_2025), [world.organisations[0]])
    counts = {row.code: row.counts[""] for row in table.rows if row.counts[""]}
    terms = world.terms["merkmal"]
    assert counts == {terms[0].code: 1, terms[1].code: 1, terms[2].code: 1}
    assert table.cases == 1
    assert table.mentions == 3


def test_pooled_counts_only_consented_or_anonymised_cases(world):
    for consent, anonymised in [("given", False), ("withdrawn", False), ("none", False)]:
        world.build_case(CaseSpec(0, date(2025, 2, 1), consent=consent, anonymised=anonymised))
    world.build_case(CaseSpec(0, date(2025, 2, 1), consent="none", anonymised=True))
    org = [world.organisations[0]]
    assert count("case_type", Filters(YEAR_2025), org).cases == 4
    assert count("case_type", Filters(YEAR_2025), org, pooled=True).cases == 2


def test_other_organisations_cases_never_count(world):
    world.build_case(CaseSpec(1, date(2025, 2, 1), incidents=(IncidentSpec(0, district=0),)))
    tables = count_all(Filters(YEAR_2025), [world.organisations[0]])
    assert all(table.cases == 0 and table.mentions == 0 for table in tables.values())
    # Nor do the other office's districts appear as rows.
    assert tables["district"].rows == [
        row for row in tables["district"].rows if "BO" not in row.label
    ]
    assert {row.label for row in tables["district"].rows} == {"Bezirk PL 0", "Bezirk PL 1"}


def test_first_contact_decides_the_period_and_bucket(world):
    world.build_case(CaseSpec(0, date(2024, 12, 31)))
    world.build_case(CaseSpec(0, date(2025, 1, 1)))
    world.build_case(CaseSpec(0, date(2025, 8, 20)))
    table = count("case_type", Filters(YEAR_2025, "quarter"), [world.organisations[0]])
    assert table.buckets == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    row = next(row for row in table.rows if row.code == "beratung")
    assert row.counts == {"2025-Q1": 1, "2025-Q2": 0, "2025-Q3": 1, "2025-Q4": 0}


def test_count_all_uses_a_bounded_number_of_queries(world):
    for day in (1, 2, 3):
        world.build_case(
            CaseSpec(0, date(2025, 3, day), incidents=(IncidentSpec(0, merkmale=frozenset({0})),))
        )
    with CaptureQueriesContext(connection) as small:
        count_all(Filters(YEAR_2025, "month"), world.organisations)
    with (
        CaptureQueriesContext(connection) as small_live,
        override_settings(WOHNFAIR_STATISTICS_SUMMARY=False),
    ):
        count_all(Filters(YEAR_2025, "month"), world.organisations)
    for day in range(4, 20):
        world.build_case(
            CaseSpec(0, date(2025, 4, day), incidents=(IncidentSpec(1, merkmale=frozenset({1})),))
        )
    with CaptureQueriesContext(connection) as large:
        count_all(Filters(YEAR_2025, "month"), world.organisations)
    with (
        CaptureQueriesContext(connection) as large_live,
        override_settings(WOHNFAIR_STATISTICS_SUMMARY=False),
    ):
        count_all(Filters(YEAR_2025, "month"), world.organisations)
    assert len(large_live) == len(small_live) <= 25
    # From the summary: both reads rebuild the one month that changed first.
    assert len(large) == len(small) <= 30


def test_unknown_dimension_is_refused_with_a_message(world):
    with pytest.raises(KeyError, match="Unbekannte Dimension"):
        count("hautfarbe", Filters(YEAR_2025), [world.organisations[0]])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2025, 2, 1), date(2025, 1, 31), "vor dem Beginn"),
        (date(2000, 1, 1), date(2020, 1, 1), "höchstens 20 Jahre"),
    ],
)
def test_impossible_periods_are_refused_in_german(start, end, message):
    with pytest.raises(ValueError, match=message):
        Period(start, end)


def test_twenty_years_exactly_are_allowed():
    assert Period(date(2006, 1, 1), date(2025, 12, 31)).end.year == 2025


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"granularity": "week"}, "Einteilung"),
        ({"case_types": ("privat",)}, "Fallart"),
        ({"statuses": ("lost",)}, "Status"),
    ],
)
def test_unknown_filter_values_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        Filters(YEAR_2025, **changes)


def test_case_list_query_names_the_case_list_parameters():
    filters = Filters(YEAR_2025, "quarter", case_types=("beratung",), statuses=("open",))
    assert case_list_query("merkmal", "religion", filters, "2025-Q2") == {
        "von": "2025-04-01",
        "bis": "2025-06-30",
        "alle": "on",
        "typ": "beratung",
        "status": "open",
        "merkmal": "religion",
    }
    assert case_list_query("district", "7", Filters(YEAR_2025))["bezirk"] == "7"
    assert case_list_query("outcome", "apology", filters)["ergebnis"] == "apology"
    assert can_drill_down("outcome", filters)
    assert not can_drill_down("merkmal", Filters(YEAR_2025, statuses=("open", "closed")))
    with pytest.raises(KeyError, match="Unbekannte Dimension"):
        case_list_query("alter", "50", filters)
