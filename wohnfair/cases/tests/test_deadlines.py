"""Legal periods: §§ 187(1), 188(2)/(3), 193 BGB with the holidays of each federal state."""

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wohnfair.accounts.models import FederalState
from wohnfair.audit.models import AuditEntry
from wohnfair.cases import deadlines, services
from wohnfair.cases.deadlines import (
    DeadlineError,
    NoRuleInForceError,
    StartInFutureError,
    UnknownRuleError,
    UnknownStateError,
    deadline_for,
)
from wohnfair.cases.models import Case, CaseStatus, Deadline, Incident, Intervention, PeriodRule
from wohnfair.cases.retention import add_months
from wohnfair.cases.tests.conftest import term

AGG = "agg_21_5"
FAR_FUTURE = date(2100, 1, 1)  # "today" for periods that start after the real today


def agg(start: date, state: str = "DE-NW") -> date:
    return deadline_for(AGG, start, state, today=FAR_FUTURE)


# --- worked examples -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "state", "expected", "why"),
    [
        (date(2026, 2, 20), "DE-NW", date(2026, 4, 20), "plain: same day two months later"),
        (date(2026, 1, 31), "DE-NW", date(2026, 3, 31), "March has a 31st: Tuesday"),
        (date(2025, 12, 31), "DE-NW", date(2026, 3, 2), "28 Feb 2026 is a Saturday: Monday"),
        (date(2026, 12, 31), "DE-NW", date(2027, 3, 1), "28 Feb 2027 is a Sunday"),
        (date(2023, 12, 31), "DE-NW", date(2024, 2, 29), "leap year: 29 February"),
        (date(2023, 12, 29), "DE-NW", date(2024, 2, 29), "leap year: same number"),
        (date(2024, 12, 30), "DE-NW", date(2025, 2, 28), "no 30 Feb: the last day"),
        (date(2026, 7, 31), "DE-NW", date(2026, 9, 30), "no 31 Sep: the last day"),
        (date(2026, 9, 26), "DE-NW", date(2026, 11, 26), "ends today (a Thursday)"),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April
        (date(2026, 2, 6), "DE-NW", date(2026, 4, 7), "Easter Monday"),
        (date(2026, 2, 3), "DE-NW", date(2026, 4, 7), "Good Friday to Tuesday: four days"),
        (date(2026, 2, 3), "DE-BE", date(2026, 4, 7), "Easter is a holiday everywhere"),
        # Fronleichnam (Thursday 4 June 2026): NW, BY, but not BE or SN
        (date(2026, 4, 4), "DE-NW", date(2026, 6, 5), "Fronleichnam in NW"),
        (date(2026, 4, 4), "DE-BY", date(2026, 6, 5), "Fronleichnam in BY"),
        (date(2026, 4, 4), "DE-BE", date(2026, 6, 4), "no Fronleichnam in BE"),
        (date(2026, 4, 4), "DE-SN", date(2026, 6, 4), "no Fronleichnam in SN"),
        # Allerheiligen (Monday 1 November 2027): NW and BY, not BE
        (date(2027, 9, 1), "DE-NW", date(2027, 11, 2), "Allerheiligen in NW"),
        (date(2027, 9, 1), "DE-BE", date(2027, 11, 1), "no Allerheiligen in BE"),
        # Reformationstag (Friday 31 October 2025): SN, not NW or BY
        (date(2025, 8, 31), "DE-SN", date(2025, 11, 3), "Reformationstag in SN, then weekend"),
        (date(2025, 8, 31), "DE-NW", date(2025, 10, 31), "no Reformationstag in NW"),
        (date(2025, 8, 31), "DE-BY", date(2025, 10, 31), "no Reformationstag in BY"),
        # Buß- und Bettag (Wednesday 18 November 2026): SN only
        (date(2026, 9, 18), "DE-SN", date(2026, 11, 19), "Buß- und Bettag in SN"),
        (date(2026, 9, 18), "DE-BY", date(2026, 11, 18), "no Buß- und Bettag in BY"),
        # Heilige Drei Könige (Tuesday 6 January 2026): BY, not SN or NW
        (date(2025, 11, 6), "DE-BY", date(2026, 1, 7), "Heilige Drei Könige in BY"),
        (date(2025, 11, 6), "DE-SN", date(2026, 1, 6), "no Heilige Drei Könige in SN"),
        # Internationaler Frauentag (Monday 8 March 2027): BE only
        (date(2027, 1, 8), "DE-BE", date(2027, 3, 9), "Frauentag in BE"),
        (date(2027, 1, 8), "DE-NW", date(2027, 3, 8), "no Frauentag in NW"),
        # Christmas 2027: Saturday and Sunday; 2026: Friday and Saturday
        (date(2026, 10, 25), "DE-NW", date(2026, 12, 28), "Christmas Friday, weekend"),
    ],
)
def test_worked_examples(start, state, expected, why):
    assert agg(start, state) == expected, why


@pytest.mark.django_db
def test_the_event_day_does_not_count_for_periods_in_days():
    rule = PeriodRule.objects.create(
        code="test_days", name="Test", legal_basis="–", days=14, valid_from=date(2000, 1, 1)
    )
    assert rule.months == 0
    # Thursday 12 November 2026 + 14 days = Thursday 26 November
    assert deadline_for("test_days", date(2026, 11, 12), "DE-NW") == date(2026, 11, 26)
    # Friday 30 October 2026 + 14 days = Friday 13 November; + 15 = Saturday -> Monday
    assert deadline_for("test_days", date(2026, 10, 30), "DE-NW") == date(2026, 11, 13)
    rule.days = 15
    rule.save()
    assert deadline_for("test_days", date(2026, 10, 30), "DE-NW") == date(2026, 11, 16)


@pytest.mark.django_db
def test_a_start_today_is_allowed_and_counted():
    today = date(2026, 11, 26)
    assert deadline_for(AGG, today, "DE-NW", today=today) == date(2027, 1, 26)


# --- a change in the law is data -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("close_old_version", [True, False])
def test_a_new_rule_version_applies_only_to_periods_starting_from_its_day(close_old_version):
    if close_old_version:
        PeriodRule.objects.filter(code=AGG).update(valid_until=date(2026, 12, 31))
    PeriodRule.objects.create(
        code=AGG,
        name="Geltendmachung (reformiert)",
        legal_basis="§ 21 Abs. 5 AGG n. F.",
        months=6,
        valid_from=date(2027, 1, 1),
    )
    assert agg(date(2026, 12, 30)) == date(2027, 3, 1)  # 28 Feb 2027 is a Sunday
    assert agg(date(2026, 12, 31)) == date(2027, 3, 1)
    assert agg(date(2027, 1, 1)) == date(2027, 7, 1)
    assert agg(date(2027, 1, 2)) == date(2027, 7, 2)
    assert agg(date(2026, 1, 31)) == date(2026, 3, 31)  # earlier periods unchanged
    assert deadlines.rule_in_force(AGG, date(2027, 1, 1)).legal_basis == "§ 21 Abs. 5 AGG n. F."


# --- bad input -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_start_after_today_is_refused_with_a_german_message():
    with pytest.raises(StartInFutureError) as error:
        deadline_for(AGG, date(2026, 11, 27), "DE-NW", today=date(2026, 11, 26))
    assert isinstance(error.value, ValueError)
    assert "27.11.2026" in str(error.value)
    assert "liegt in der Zukunft" in str(error.value)


@pytest.mark.django_db
def test_the_real_today_is_the_default(time_machine):
    time_machine.move_to("2026-11-26 12:00 +01:00", tick=False)
    with pytest.raises(StartInFutureError):
        deadline_for(AGG, date(2026, 11, 27), "DE-NW")
    assert deadline_for(AGG, date(2026, 11, 26), "DE-NW") == date(2027, 1, 26)


@pytest.mark.django_db
def test_an_unknown_rule_code_is_refused():
    with pytest.raises(UnknownRuleError) as error:
        deadline_for("agg_99", date(2026, 3, 1), "DE-NW")
    assert isinstance(error.value, DeadlineError)
    assert isinstance(error.value, ValueError)
    assert "Unbekannte Fristregel „agg_99“" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["NW", "DE-XX", "AT-9", "de-nw", "", "DE-NW "])
def test_an_unknown_federal_state_is_refused(state):
    with pytest.raises(UnknownStateError) as error:
        deadline_for(AGG, date(2026, 3, 1), state)
    assert isinstance(error.value, ValueError)
    assert "Unbekanntes Bundesland" in str(error.value)
    assert "DE-NW" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["2026-03-01", None, datetime(2026, 3, 1, 12, 0)])
def test_a_start_that_is_not_a_calendar_day_is_refused(start):
    with pytest.raises(DeadlineError, match="Kalendertag"):
        deadline_for(AGG, start, "DE-NW")


@pytest.mark.django_db
def test_a_start_before_any_version_of_the_rule_is_refused():
    with pytest.raises(NoRuleInForceError) as error:
        deadline_for(AGG, date(2006, 8, 17), "DE-NW")
    assert "gilt keine Fassung" in str(error.value)
    assert agg(date(2006, 8, 18)) == date(2006, 10, 18)


# --- properties ------------------------------------------------------------------------

STATES = [state.value for state in FederalState]
starts = st.dates(min_value=date(2006, 8, 18), max_value=date(2040, 12, 31))
PROPERTIES = settings(
    max_examples=150,
    deadline=None,
    # The database only holds the seeded rule, which no example changes.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def is_holiday(day: date, state: str) -> bool:
    return day in holidays.country_holidays("DE", subdiv=state[3:], years=day.year)


@pytest.mark.django_db
@PROPERTIES
@given(start=starts, state=st.sampled_from(STATES))
def test_the_end_is_a_working_day_after_the_start_and_at_most_four_days_late(start, state):
    end = agg(start, state)
    assert end > start
    assert end.weekday() < 5
    assert not is_holiday(end, state)
    plain = add_months(start, 2)
    assert plain <= end <= plain + timedelta(days=4)
    # Every day between the plain end and the result is a day off (§ 193 moves, never skips).
    day = plain
    while day < end:
        assert day.weekday() >= 5 or is_holiday(day, state)
        day += timedelta(days=1)


@pytest.mark.django_db
@PROPERTIES
@given(first=starts, gap=st.integers(min_value=0, max_value=400), state=st.sampled_from(STATES))
def test_a_later_start_never_ends_earlier(first, gap, state):
    second = first + timedelta(days=gap)
    assert agg(first, state) <= agg(second, state)


@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=36),
)
def test_month_arithmetic_keeps_the_day_or_takes_the_last_of_the_month(start, months):
    end = deadlines.add_months_bgb(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)
    assert end == add_months(start, months)


# --- deadlines of a case ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_beratungsfall_gets_its_deadline_from_intake(org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)  # incident on 20 February 2026
    deadline = case.deadlines.get()
    assert deadline.rule.code == AGG
    assert deadline.incident == case.incidents.get()
    assert (deadline.starts_on, deadline.due_on) == (date(2026, 2, 20), date(2026, 4, 20))
    assert deadline.is_open


@pytest.mark.django_db
def test_the_organisations_federal_state_decides_the_holidays(org_a, counsellor_a, make_case):
    org_a.state = FederalState.BE
    org_a.save()
    case = make_case(org_a, by=counsellor_a, incident_date=date(2026, 4, 4))
    assert case.deadlines.get().due_on == date(2026, 6, 4)  # no Fronleichnam in Berlin
    org_a.state = FederalState.NW
    org_a.save()
    case = make_case(org_a, by=counsellor_a, incident_date=date(2026, 4, 4))
    assert case.deadlines.get().due_on == date(2026, 6, 5)


@pytest.mark.django_db
def test_conflict_mediation_has_no_agg_deadline(org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a, case_type="konflikt")
    assert not case.deadlines.exists()
    assert deadlines.ensure_deadlines(case) == []


@pytest.mark.django_db
def test_each_incident_gets_one_deadline_from_its_last_day(org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)
    services.add_incident(
        case,
        services.IncidentData(
            date=date(2026, 5, 2),
            date_end=date(2026, 5, 29),
            lebensbereich=term("lebensbereich", "tenancy"),
            merkmale=[term("merkmal", "religion")],
        ),
        by=counsellor_a,
    )
    assert [(d.starts_on, d.due_on) for d in case.deadlines.order_by("due_on")] == [
        (date(2026, 2, 20), date(2026, 4, 20)),
        (date(2026, 5, 29), date(2026, 7, 29)),
    ]
    deadlines.ensure_deadlines(case)
    deadlines.ensure_deadlines(case)
    assert case.deadlines.count() == 2


@pytest.mark.django_db
def test_a_changed_incident_date_moves_an_open_deadline_but_not_a_met_one(
    org_a, counsellor_a, make_case
):
    case = make_case(org_a, by=counsellor_a)
    incident = case.incidents.get()
    incident.date = date(2026, 1, 31)
    incident.save()
    deadlines.ensure_deadlines(case)
    deadline = case.deadlines.get()
    assert (deadline.starts_on, deadline.due_on) == (date(2026, 1, 31), date(2026, 3, 31))

    deadlines.mark_met(deadline, date(2026, 3, 20), by=counsellor_a)
    incident.date = date(2026, 2, 10)
    incident.save()
    deadlines.ensure_deadlines(case)
    deadline.refresh_from_db()
    assert (deadline.starts_on, deadline.due_on, deadline.met_on) == (
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 3, 20),
    )


@pytest.mark.django_db
def test_an_incident_dated_in_the_future_gets_no_deadline_and_breaks_nothing(
    org_a, counsellor_a, make_case, time_machine
):
    time_machine.move_to("2026-11-26 12:00 +01:00", tick=False)
    case = make_case(org_a, by=counsellor_a)
    Incident.objects.create(
        case=case, date=date(2026, 12, 24), lebensbereich=term("lebensbereich", "tenancy")
    )
    assert len(deadlines.ensure_deadlines(case)) == 1
    assert case.deadlines.count() == 1


# --- met: by hand and by a claim -------------------------------------------------------


@pytest.fixture
def deadline(org_a, counsellor_a, make_case):
    return make_case(org_a, by=counsellor_a).deadlines.get()  # 20.02.2026 - 20.04.2026


@pytest.mark.django_db
def test_marking_met_records_the_date_and_an_audit_entry(deadline, counsellor_a):
    deadlines.mark_met(deadline, date(2026, 4, 20), by=counsellor_a)
    deadline.refresh_from_db()
    assert deadline.met_on == date(2026, 4, 20)
    entry = AuditEntry.objects.get(action="case.deadline_met")
    assert entry.actor == counsellor_a
    assert entry.details["rule"] == AGG


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "message"),
    [
        (date(2026, 2, 19), "vor dem Fristbeginn am 20.02.2026"),
        (date(2026, 4, 21), "nach dem Fristende am 20.04.2026"),
        (date(2026, 11, 27), "in der Zukunft"),
    ],
)
def test_marking_met_refuses_impossible_dates_and_changes_nothing(
    deadline, counsellor_a, on, message
):
    with pytest.raises(DeadlineError) as error:
        deadlines.mark_met(deadline, on, by=counsellor_a, today=date(2026, 11, 26))
    assert message in str(error.value)
    deadline.refresh_from_db()
    assert deadline.met_on is None
    assert not AuditEntry.objects.filter(action="case.deadline_met").exists()


@pytest.mark.django_db
def test_a_deadline_is_met_only_once(deadline, counsellor_a):
    deadlines.mark_met(deadline, date(2026, 3, 1), by=counsellor_a)
    with pytest.raises(DeadlineError, match="bereits"):
        deadlines.mark_met(deadline, date(2026, 3, 2), by=counsellor_a)
    stale = Deadline.objects.get(pk=deadline.pk)
    stale.met_on = None  # a second request that loaded the deadline before the first saved
    with pytest.raises(DeadlineError, match="bereits"):
        deadlines.mark_met(stale, date(2026, 3, 2), by=counsellor_a)
    deadline.refresh_from_db()
    assert deadline.met_on == date(2026, 3, 1)


def claim(case, on, user, code="claim"):
    return Intervention.objects.create(case=case, kind=term("intervention", code), date=on, by=user)


@pytest.mark.django_db
def test_a_claim_in_time_meets_the_deadline(deadline, counsellor_a):
    intervention = claim(deadline.case, date(2026, 4, 20), counsellor_a)
    assert deadlines.mark_met_by_claim(intervention) == 1
    deadline.refresh_from_db()
    assert (deadline.met_on, deadline.met_by) == (date(2026, 4, 20), intervention)
    assert deadlines.mark_met_by_claim(claim(deadline.case, date(2026, 4, 1), counsellor_a)) == 0
    deadline.refresh_from_db()
    assert deadline.met_on == date(2026, 4, 20)


@pytest.mark.django_db
def test_a_late_claim_or_another_intervention_meets_nothing(deadline, counsellor_a):
    assert deadlines.mark_met_by_claim(claim(deadline.case, date(2026, 4, 21), counsellor_a)) == 0
    assert (
        deadlines.mark_met_by_claim(
            claim(deadline.case, date(2026, 3, 1), counsellor_a, code="complaint_letter")
        )
        == 0
    )
    deadline.refresh_from_db()
    assert deadline.met_on is None


@pytest.mark.django_db
def test_a_claim_meets_only_the_deadlines_it_falls_within(org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)
    services.add_incident(
        case,
        services.IncidentData(
            date=date(2026, 3, 10),
            lebensbereich=term("lebensbereich", "tenancy"),
            merkmale=[term("merkmal", "religion")],
        ),
        by=counsellor_a,
    )
    assert deadlines.mark_met_by_claim(claim(case, date(2026, 3, 5), counsellor_a)) == 1
    assert list(case.deadlines.order_by("due_on").values_list("met_on", flat=True)) == [
        date(2026, 3, 5),
        None,
    ]


# --- at risk ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_at_risk_lists_open_deadlines_due_soon_or_overdue_of_open_cases_of_the_org(
    org_a, org_b, counsellor_a, counsellor_b, make_case
):
    today = date(2026, 11, 26)
    overdue = make_case(org_a, by=counsellor_a, incident_date=date(2026, 9, 1))  # 02.11.
    soon = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 9))  # 09.12.
    later = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 20))  # 21.12.
    met = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 1))
    deadlines.mark_met(met.deadlines.get(), date(2026, 10, 5), by=counsellor_a)
    closed = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 2))
    Case.objects.unscoped("test").filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    other_org = make_case(org_b, by=counsellor_b, incident_date=date(2026, 10, 9))

    risky = list(deadlines.at_risk(org_a, today))
    assert [d.case for d in risky] == [overdue, soon]
    assert later not in [d.case for d in deadlines.at_risk(org_a, today, within_days=7)]
    assert [d.case for d in deadlines.at_risk(org_b, today)] == [other_org]
    rows = deadlines.rows(risky, today)
    assert [(row.days_left, row.is_overdue, row.days_overdue) for row in rows] == [
        (-24, True, 24),
        (13, False, 0),
    ]
    assert rows[1].due_on == date(2026, 12, 9)  # rows read like deadlines
