"""Goals: computed indicators on real case data, progress, and the goal pages."""

from datetime import UTC, date, datetime

import pytest

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services
from wohnfair.cases.models import CaseType
from wohnfair.cases.tests.conftest import make_case, term  # noqa: F401 (fixture)
from wohnfair.cases.workflow import record_intervention
from wohnfair.intake.models import Report, ReportStatus
from wohnfair.intake.tests.staff_helpers import make_report
from wohnfair.monitoring import goals
from wohnfair.monitoring.models import Goal, Indicator

GOALS = "/staff/statistik/ziele/"


def _received_on(report: Report, day: date) -> None:
    Report.objects.unscoped("test").filter(pk=report.pk).update(
        created_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    )


@pytest.fixture
def year_2025(make_case, org_a, org_b, counsellor_a, counsellor_b):  # noqa: F811
    """Org A in 2025: 3 cases opened (one mediation), 2 with interventions, 1 closed;
    one case of 2024 closed and with an intervention in 2025; 2 reports (+ spam).
    Org B has cases of its own that must never count for A."""
    opened = [
        make_case(org_a, by=counsellor_a, first_contact=date(2025, 2, 3)),
        make_case(org_a, by=counsellor_a, first_contact=date(2025, 5, 6)),
        make_case(
            org_a, by=counsellor_a, first_contact=date(2025, 9, 9), case_type=CaseType.MEDIATION
        ),
    ]
    older = make_case(org_a, by=counsellor_a, first_contact=date(2024, 11, 20))
    record_intervention(opened[0], kind="complaint_letter", date=date(2025, 3, 1), by=counsellor_a)
    record_intervention(opened[0], kind="information", date=date(2025, 3, 9), by=counsellor_a)
    record_intervention(older, kind="information", date=date(2025, 1, 10), by=counsellor_a)
    record_intervention(opened[1], kind="information", date=date(2026, 1, 10), by=counsellor_a)
    services.close_case(
        older,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=date(2025, 4, 1),
        by=counsellor_a,
    )
    for day in (date(2025, 1, 5), date(2025, 12, 31)):
        _received_on(make_report(org_a), day)
    _received_on(make_report(org_a, status=ReportStatus.SPAM), date(2025, 6, 1))
    _received_on(make_report(org_a), date(2024, 12, 31))
    b_case = make_case(org_b, by=counsellor_b, first_contact=date(2025, 3, 3))
    record_intervention(b_case, kind="information", date=date(2025, 3, 4), by=counsellor_b)
    _received_on(make_report(org_b), date(2025, 3, 3))
    return opened


def test_computed_indicators_count_the_organisations_records_of_the_year(year_2025, org_a):
    assert goals.cases_opened(org_a, 2025) == 3
    assert goals.cases_with_intervention(org_a, 2025) == 2
    assert goals.cases_closed(org_a, 2025) == 1
    assert goals.reports_received(org_a, 2025) == 2
    assert goals.mediation_cases(org_a, 2025) == 1
    assert goals.cases_opened(org_a, 2024) == 1
    assert goals.cases_with_intervention(org_a, 2026) == 1


def test_progress_uses_counted_values_and_manual_values(year_2025, org_a):
    counted = Goal.objects.create(
        organisation=org_a, year=2025, title="Fälle", indicator=Indicator.CASES_OPENED, target=6
    )
    manual = Goal.objects.create(
        organisation=org_a,
        year=2025,
        title="Workshops",
        indicator=Indicator.MANUAL,
        target=4,
        manual_value=5,
    )
    empty = Goal.objects.create(
        organisation=org_a, year=2025, title="Ausleihen", indicator=Indicator.MANUAL, target=3
    )
    by_goal = {p.goal.pk: p for p in goals.progress_for([counted, manual, empty])}
    assert (by_goal[counted.pk].value, by_goal[counted.pk].percent) == (3, 50)
    assert by_goal[counted.pk].computed and not by_goal[counted.pk].reached
    assert (by_goal[manual.pk].value, by_goal[manual.pk].percent) == (5, 100)
    assert by_goal[manual.pk].reached
    assert (by_goal[empty.pk].value, by_goal[empty.pk].percent) == (None, 0)


def test_manual_indicator_has_no_computed_value(org_a):
    with pytest.raises(ValueError):
        goals.indicator_value(org_a, Indicator.MANUAL, 2025)


def test_counsellor_sees_goals_with_progress_but_no_edit_link(
    year_2025, login, counsellor_a, org_a
):
    Goal.objects.create(
        organisation=org_a,
        year=2025,
        title="Beratungsfälle eröffnen",
        indicator=Indicator.CASES_OPENED,
        target=6,
    )
    page = login(counsellor_a).get(GOALS, {"jahr": 2025})
    assert page.status_code == 200
    text = page.text
    assert "Beratungsfälle eröffnen" in text
    assert '<progress id="goal-progress-' in text and 'value="50"' in text
    assert "50 %" in text
    assert "Neues Ziel" not in text and "Bearbeiten" not in text


def test_goals_of_another_organisation_are_not_listed(login, counsellor_a, org_b):
    Goal.objects.create(organisation=org_b, year=2026, title="Geheimziel B", target=3)
    assert "Geheimziel B" not in login(counsellor_a).get(GOALS, {"jahr": 2026}).text


def test_lead_creates_a_goal_and_the_manual_value_of_a_counted_indicator_is_dropped(
    login, lead_a, org_a
):
    response = login(lead_a).post(
        GOALS + "neu/",
        {
            "year": 2026,
            "title": "Fälle abschließen",
            "indicator": Indicator.CASES_CLOSED,
            "target": 20,
            "manual_value": 99,
            "order": 1,
            "organisation": 12345,
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.of_organisation(org_a).get()
    assert (goal.year, goal.target, goal.manual_value) == (2026, 20, None)
    assert AuditEntry.objects.filter(action="goal.created", object_id=str(goal.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": ""}, "target", ""),
        ({"year": 1800}, "year", "größer oder gleich 1990"),
        ({"indicator": "workshops"}, "indicator", "keine gültige Auswahl"),
        ({"target": -3}, "target", "größer oder gleich 0"),
    ],
)
def test_bad_goal_input_gets_a_message_and_changes_nothing(
    login, lead_a, org_a, changes, field, message
):
    data = {"year": 2026, "title": "Ziel", "indicator": Indicator.MANUAL, "target": 5, "order": 0}
    data.update(changes)
    response = login(lead_a).post(GOALS + "neu/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text
    assert not Goal.objects.of_organisation(org_a).exists()


def test_lead_edits_and_deletes_a_goal(login, lead_a, org_a):
    goal = Goal.objects.create(organisation=org_a, year=2026, title="Alt", target=3)
    client = login(lead_a)
    response = client.post(
        f"{GOALS}{goal.pk}/",
        {"year": 2026, "title": "Neu", "indicator": Indicator.MANUAL, "target": 4, "order": 0},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.target) == ("Neu", 4)
    assert client.post(f"{GOALS}{goal.pk}/loeschen/").status_code == 302
    assert not Goal.objects.of_organisation(org_a).exists()
    assert AuditEntry.objects.filter(action="goal.deleted", object_id=str(goal.pk)).exists()


def test_counsellor_may_not_create_or_edit_goals(login, counsellor_a, org_a):
    goal = Goal.objects.create(organisation=org_a, year=2026, title="Ziel", target=3)
    client = login(counsellor_a)
    assert client.get(GOALS + "neu/").status_code == 403
    assert client.post(f"{GOALS}{goal.pk}/", {"title": "x"}).status_code == 404
    assert client.post(f"{GOALS}{goal.pk}/loeschen/").status_code == 404
    assert Goal.objects.of_organisation(org_a).filter(pk=goal.pk, title="Ziel").exists()


@pytest.mark.parametrize("suffix", ["", "loeschen/"])
def test_lead_of_other_organisation_gets_404_on_goal_urls(login, lead_b, org_a, suffix):
    goal = Goal.objects.create(organisation=org_a, year=2026, title="Ziel", target=3)
    client = login(lead_b)
    assert client.get(f"{GOALS}{goal.pk}/{suffix}").status_code == 404
    assert client.post(f"{GOALS}{goal.pk}/{suffix}", {"title": "x"}).status_code == 404
    assert Goal.objects.of_organisation(org_a).filter(pk=goal.pk).exists()


def test_anonymous_is_sent_to_login(db, anonymous):
    response = anonymous.get(GOALS)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_network_analyst_has_no_goals_page(login, network_analyst):
    assert login(network_analyst).get(GOALS).status_code == 403
