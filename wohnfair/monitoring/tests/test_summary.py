"""The monthly summary gives exactly the live count, also right after changes (no rebuild)."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wohnfair.cases import retention, services, workflow
from wohnfair.cases.models import Case, CaseStatus, Consent, ConsentPurpose
from wohnfair.cases.signals import cases_changed
from wohnfair.monitoring import summary
from wohnfair.monitoring.aggregation import Filters, Period, count_all
from wohnfair.monitoring.models import MonthlyCount, StaleMonth
from wohnfair.monitoring.summary import rebuild_month, refresh, split_period
from wohnfair.monitoring.tests.statistics_data import (
    CASE_TYPES,
    STATUSES,
    CaseSpec,
    IncidentSpec,
    World,
    case_specs,
)

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(date(2024, 1, 1), date(2025, 12, 31)),
    Period(date(2025, 1, 1), date(2025, 12, 31)),
    Period(date(2024, 3, 15), date(2024, 11, 2)),  # partial months at both edges
    Period(date(2024, 6, 3), date(2024, 6, 20)),  # inside one month
]
filters_strategy = st.builds(
    Filters,
    period=st.sampled_from(PERIODS),
    granularity=st.sampled_from(["month", "quarter", "year", "total"]),
    case_types=st.lists(st.sampled_from(CASE_TYPES), max_size=2, unique=True).map(tuple),
    statuses=st.lists(st.sampled_from(STATUSES), max_size=2, unique=True).map(tuple),
)
ALL = Filters(PERIODS[0], "month")


@pytest.fixture
def world(org_a, org_b, counsellor_a, counsellor_b):
    return World([org_a, org_b], [counsellor_a, counsellor_b])


def live(filters, organisations, pooled):
    with override_settings(WOHNFAIR_STATISTICS_SUMMARY=False):
        return count_all(filters, organisations, pooled=pooled)


def assert_same_as_live(world, filters, pooled=None):
    for which in ([0], [1], [0, 1]):
        organisations = [world.organisations[i] for i in which]
        for pool in [False, True] if pooled is None else [pooled]:
            summary = count_all(filters, organisations, pooled=pool)
            assert summary == live(filters, organisations, pool), (filters, which, pool)


# -- changes through the real services ----------------------------------------------------

mutations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "read",
                "status",
                "close",
                "incident",
                "edit_incident",
                "intervention",
                "consent",
                "anonymise",
                "first_contact",
                "organisation",
                "delete",
            ]
        ),
        st.integers(0, 100),  # which case
        st.integers(0, 100),  # a parameter
        st.dates(date(2024, 1, 1), date(2025, 12, 31)),
    ),
    max_size=8,
)


def mutate(world, cases, kind, which, parameter, day):  # one branch per service
    alive = [case for case in cases if Case.objects.unscoped("test").filter(pk=case.pk).exists()]
    if not alive:
        return
    case = Case.objects.unscoped("test").get(pk=alive[which % len(alive)].pk)
    org_index = world.organisations.index(case.organisation)
    user = world.users[org_index]
    terms = world.terms
    if kind == "read":
        count_all(ALL, world.organisations, pooled=bool(parameter % 2))
    elif kind == "status" and not case.is_closed:
        allowed = sorted(services.ALLOWED_TRANSITIONS[case.status])
        services.change_status(case, allowed[parameter % len(allowed)], by=user)
    elif kind == "status" and case.anonymised_at is None:
        services.reopen_case(case, by=user)
    elif kind == "close" and not case.is_closed:
        services.close_case(
            case,
            closing_reason=terms["closing_reason"][parameter % 3],
            outcome=terms["outcome"][parameter % 4] if parameter % 2 else None,
            closed_on=day,
            by=user,
        )
    elif kind == "incident":
        services.add_incident(
            case,
            services.IncidentData(
                date=day,
                lebensbereich=terms["lebensbereich"][parameter % 4],
                merkmale=[terms["merkmal"][parameter % 5], terms["merkmal"][parameter % 3]],
                district=world.districts[org_index][parameter % 2] if parameter % 3 else None,
                form=terms["form"][parameter % 4] if parameter % 2 else None,
                respondent=world.respondents[org_index][parameter % 2] if parameter % 4 else None,
            ),
            by=user,
        )
    elif kind == "edit_incident" and (incident := case.incidents.first()) is not None:
        # What the incident form does: save the fields, then set the Merkmale.
        incident.lebensbereich = terms["lebensbereich"][parameter % 4]
        incident.ebene = terms["ebene"][parameter % 3] if parameter % 2 else None
        incident.save()
        incident.merkmale.set([terms["merkmal"][(parameter + 1) % 5]] if parameter % 3 else [])
    elif kind == "intervention":
        workflow.record_intervention(
            case, kind=terms["intervention"][parameter % 4], date=day, by=user
        )
    elif kind == "consent":
        consent = case.consents.filter(
            purpose=ConsentPurpose.STATISTICS, withdrawn_on__isnull=True
        ).first()
        if consent is not None:
            services.withdraw_consent(consent, on=day, by=user)
        elif parameter % 2:
            services.record_consent(case, ConsentPurpose.STATISTICS, given_on=day, by=user)
        else:
            Consent.objects.filter(case=case).delete()
    elif kind == "anonymise" and case.anonymised_at is None:
        if not case.is_closed:
            services.close_case(
                case,
                closing_reason=terms["closing_reason"][0],
                outcome=None,
                closed_on=day,
                by=user,
            )
        # Built closed without a closing day (statistics_data), a case never expires.
        expires = case.closed_on is not None
        assert retention.anonymise_case(case.pk, now=datetime(2100, 1, 1, tzinfo=UTC)) is expires
    elif kind == "first_contact":
        case.first_contact = day  # what the case form does
        case.save()
    elif kind == "organisation":
        case.organisation = world.organisations[1 - org_index]
        case.save(update_fields=["organisation", "updated_at"])
    elif kind == "delete":
        case.delete()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(case_specs, min_size=1, max_size=6),
    changes=mutations,
    filters=filters_strategy,
)
def test_summary_equals_the_live_count_after_changes_through_the_services(
    world, specs, changes, filters
):
    with transaction.atomic():
        cases = [world.build_case(spec) for spec in specs]
        count_all(ALL, world.organisations)  # the summary is built now
        for change in changes:
            mutate(world, cases, *change)
        assert_same_as_live(world, filters)
        assert_same_as_live(world, ALL)
        transaction.set_rollback(True)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(case_specs, max_size=10), filters=filters_strategy)
def test_summary_equals_the_live_count_on_random_cases(world, specs, filters):
    with transaction.atomic():
        for spec in specs:
            world.build_case(spec)
        assert_same_as_live(world, filters)
        transaction.set_rollback(True)


# -- marking and rebuilding ----------------------------------------------------------------


def stale(org):
    return set(StaleMonth.objects.filter(organisation=org).values_list("month", flat=True))


def test_a_change_marks_only_its_month_and_a_read_rebuilds_it(world):
    org = world.organisations[0]
    case = world.build_case(CaseSpec(0, date(2025, 3, 10)))
    assert stale(org) == {date(2025, 3, 1)}
    count_all(Filters(Period.year(2025)), [org])
    assert stale(org) == set()
    services.change_status(case, CaseStatus.WAITING, by=world.users[0])
    assert stale(org) == {date(2025, 3, 1)}


def test_a_new_first_contact_marks_the_old_and_the_new_month(world):
    org = world.organisations[0]
    case = world.build_case(CaseSpec(0, date(2025, 3, 10)))
    count_all(Filters(Period.year(2025)), [org])
    case.first_contact = date(2025, 7, 1)
    case.save()
    assert stale(org) == {date(2025, 3, 1), date(2025, 7, 1)}


def test_a_stale_instance_cannot_hide_the_month_the_case_is_in(world):
    """The month is read from the database, not from an old copy of the case."""
    org = world.organisations[0]
    case = world.build_case(CaseSpec(0, date(2025, 3, 10)))
    old_copy = Case.objects.unscoped("test").get(pk=case.pk)
    case.first_contact = date(2025, 7, 1)
    case.save()
    count_all(Filters(Period.year(2025)), [org])
    services.change_status(old_copy, CaseStatus.WAITING, by=world.users[0])
    assert stale(org) == {date(2025, 7, 1)}
    assert_same_as_live(world, Filters(Period.year(2025), "month"))


def test_changing_the_kind_of_a_respondent_marks_the_months_of_their_incidents(world):
    org = world.organisations[0]
    world.build_case(CaseSpec(0, date(2025, 3, 10), incidents=(IncidentSpec(0, respondent=0),)))
    world.build_case(CaseSpec(0, date(2025, 5, 10), incidents=(IncidentSpec(0, respondent=1),)))
    count_all(Filters(Period.year(2025)), [org])
    respondent = world.respondents[0][0]
    respondent.kind = world.terms["verursachende"][3]
    respondent.save()
    assert stale(org) == {date(2025, 3, 1)}
    assert_same_as_live(world, Filters(Period.year(2025), "month"))


def test_other_organisations_and_months_outside_the_period_are_not_rebuilt(world):
    world.build_case(CaseSpec(0, date(2025, 3, 10)))
    world.build_case(CaseSpec(0, date(2024, 3, 10)))
    world.build_case(CaseSpec(1, date(2025, 3, 10)))
    count_all(Filters(Period.year(2025)), [world.organisations[0]])
    assert stale(world.organisations[0]) == {date(2024, 3, 1)}
    assert stale(world.organisations[1]) == {date(2025, 3, 1)}


def test_a_second_read_rebuilds_nothing_and_reads_once(world):
    for day in (1, 2, 3):
        world.build_case(
            CaseSpec(0, date(2025, 3, day), incidents=(IncidentSpec(0, merkmale=frozenset({0})),))
        )
    filters = Filters(Period.year(2025), "month")
    count_all(filters, world.organisations)
    with CaptureQueriesContext(connection) as second:
        count_all(filters, world.organisations)
    # stale months, the summary, the terms, the districts
    assert len(second) == 4


def test_rebuilding_a_month_that_nobody_changed_does_nothing(world):
    world.build_case(CaseSpec(0, date(2025, 3, 10)))
    org = world.organisations[0]
    assert rebuild_month(org.pk, date(2025, 3, 31)) is True
    rows = list(MonthlyCount.objects.filter(organisation=org).values_list("pk", flat=True))
    assert rows
    assert rebuild_month(org.pk, date(2025, 3, 1)) is False
    assert list(MonthlyCount.objects.filter(organisation=org).values_list("pk", flat=True)) == rows


def test_bulk_writes_are_marked_through_the_cases_signal(world):
    org = world.organisations[0]
    cases_changed.send(sender=Case, organisation_id=org.pk, months={date(2025, 2, 14)})
    assert stale(org) == {date(2025, 2, 1)}


def test_generated_cases_are_counted_without_a_manual_rebuild(world):
    call_command("generate_cases", org="PL", count=40, seed=7, batch=15, years=2, verbosity=0)
    filters = Filters(Period(date(2023, 1, 1), date(2027, 12, 31)), "quarter")
    organisations = [world.organisations[0]]
    summary = count_all(filters, organisations, pooled=True)
    assert summary["case_type"].cases == live(filters, organisations, True)["case_type"].cases
    assert summary == live(filters, organisations, True)
    assert count_all(filters, organisations) == live(filters, organisations, False)


def test_rebuild_statistics_repairs_figures_written_around_the_orm(world):
    world.build_case(CaseSpec(0, date(2025, 3, 10), case_type="konflikt"))
    world.build_case(CaseSpec(1, date(2025, 3, 10)))
    filters = Filters(Period.year(2025))
    count_all(filters, world.organisations)
    MonthlyCount.objects.filter(dimension="case_type").update(cases=99)  # like raw SQL
    call_command("rebuild_statistics", org="PL", verbosity=0)
    table = count_all(filters, [world.organisations[0]])["case_type"]
    assert {row.code: row.total for row in table.rows if row.total} == {"konflikt": 1}
    assert count_all(filters, [world.organisations[1]])["case_type"].cases == 99
    call_command("rebuild_statistics", verbosity=0)
    assert_same_as_live(world, filters)


def test_rebuild_statistics_refuses_an_unknown_organisation(world):
    with pytest.raises(Exception, match="Unbekannte Organisation"):
        call_command("rebuild_statistics", org="XX", verbosity=0)


def test_stale_months_far_apart_are_rebuilt_in_windows_of_a_year(world, monkeypatch):
    """A rebuild holds the rows of its months in memory: at most SPAN_MONTHS at once."""
    days = [date(2023, 1, 5), date(2023, 6, 5), date(2024, 3, 5), date(2025, 12, 5)]
    for day in days:
        world.build_case(CaseSpec(0, day, incidents=(IncidentSpec(0, merkmale=frozenset({0})),)))
    org = world.organisations[0]
    windows = []
    real = summary.rebuild_months

    def spy(organisation_id, first, last):
        windows.append((first, last))
        return real(organisation_id, first, last)

    monkeypatch.setattr(summary, "rebuild_months", spy)
    assert refresh([org.pk]) == 4
    assert windows == [
        (date(2023, 1, 1), date(2023, 6, 1)),
        (date(2024, 3, 1), date(2024, 3, 1)),
        (date(2025, 12, 1), date(2025, 12, 1)),
    ]
    assert not stale(org)
    assert_same_as_live(world, Filters(Period(date(2023, 1, 1), date(2025, 12, 31)), "month"))


def test_a_case_added_while_a_month_is_rebuilt_leaves_it_stale(world, monkeypatch):
    """Rows of a case that the rebuild's first query did not see are not counted: the
    new case marked its month stale again, so the next read counts it."""
    org = world.organisations[0]
    world.build_case(CaseSpec(0, date(2025, 3, 10)))
    real = summary._reads
    added = []

    def add_a_case_first(organisation_id, period):
        if not added:
            added.append(
                world.build_case(
                    CaseSpec(
                        0, date(2025, 3, 11), incidents=(IncidentSpec(0, merkmale=frozenset({0})),)
                    )
                )
            )
        return real(organisation_id, period)

    monkeypatch.setattr(summary, "_reads", add_a_case_first)
    filters = Filters(Period.year(2025))
    count_all(filters, [org])
    assert stale(org) == {date(2025, 3, 1)}
    monkeypatch.setattr(summary, "_reads", real)
    assert_same_as_live(world, filters)


def test_the_background_job_rebuilds_every_stale_month_of_every_organisation(world, settings):
    from wohnfair.monitoring.tasks import refresh_statistics

    assert settings.WOHNFAIR_PERIODIC_JOBS["refresh_statistics"]["every_minutes"] == 1
    world.build_case(CaseSpec(0, date(2025, 3, 10)))
    world.build_case(CaseSpec(1, date(2024, 7, 1)))
    assert stale(world.organisations[0]) and stale(world.organisations[1])
    assert refresh_statistics.call() == 2
    assert not StaleMonth.objects.exists()
    with CaptureQueriesContext(connection) as read:
        assert_same_as_live(world, Filters(Period(date(2024, 1, 1), date(2025, 12, 31)), "month"))
    assert not any("INSERT" in query["sql"] for query in read.captured_queries)
    assert refresh_statistics.call() == 0


def test_refresh_without_stale_months_rebuilds_nothing(world):
    assert refresh([world.organisations[0].pk]) == 0


@pytest.mark.parametrize(
    ("start", "end", "whole", "edges"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), (date(2025, 1, 1), date(2025, 12, 1)), []),
        (
            date(2024, 3, 15),
            date(2024, 11, 2),
            (date(2024, 4, 1), date(2024, 10, 1)),
            [(date(2024, 3, 15), date(2024, 3, 31)), (date(2024, 11, 1), date(2024, 11, 2))],
        ),
        (date(2024, 6, 3), date(2024, 6, 20), None, [(date(2024, 6, 3), date(2024, 6, 20))]),
        (
            date(2024, 12, 2),
            date(2025, 1, 30),
            None,
            [(date(2024, 12, 2), date(2025, 1, 30))],
        ),
        (
            date(2024, 2, 1),
            date(2025, 1, 30),
            (date(2024, 2, 1), date(2024, 12, 1)),
            [(date(2025, 1, 1), date(2025, 1, 30))],
        ),
    ],
)
def test_a_period_splits_into_whole_months_and_partial_edges(start, end, whole, edges):
    got_whole, got_edges = split_period(Period(start, end))
    assert got_whole == whole
    assert [(edge.start, edge.end) for edge in got_edges] == edges


def test_a_period_ending_mid_month_reads_that_month_from_the_summary_unless_later_days_count(
    world,
):
    org = world.organisations[0]
    world.build_case(CaseSpec(0, date(2025, 3, 10)))
    filters = Filters(Period(date(2025, 1, 1), date(2025, 3, 20)), "month")
    count_all(filters, [org])
    with CaptureQueriesContext(connection) as from_summary:
        assert count_all(filters, [org])["case_type"].cases == 1
    # stale months, cases after the 20th, the summary, the terms, the districts
    assert len(from_summary) == 5
    world.build_case(CaseSpec(0, date(2025, 3, 25)))  # outside the period, same month
    with CaptureQueriesContext(connection) as with_live_edge:
        assert count_all(filters, [org])["case_type"].cases == 1
    assert len(with_live_edge) > len(from_summary)
    assert_same_as_live(world, filters)
