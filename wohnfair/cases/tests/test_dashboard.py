"""The staff dashboard: what is due for me, and for the lead what is at risk."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wohnfair.cases.models import Notification, Task

TODAY = date(2026, 11, 26)  # a Thursday
DASHBOARD = "/staff/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-11-26 10:00 +01:00", tick=False)


@pytest.fixture
def work(make_case, org_a, counsellor_a, lead_a):
    mine = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 9))  # due 09.12.
    make_case(org_a, by=counsellor_a, incident_date=date(2026, 11, 20))  # due 20.01.2027
    leads = make_case(org_a, by=lead_a, counsellors=[lead_a], incident_date=date(2026, 10, 1))

    def task(title, due_on, assignee=counsellor_a, case=mine):
        return Task.objects.create(
            case=case, title=title, assignee=assignee, created_by=lead_a, due_on=due_on
        )

    task("Überfällige Aufgabe", TODAY - timedelta(days=2))
    task("Am Sonntag fällig", date(2026, 11, 29))
    task("Nächste Woche fällig", date(2026, 12, 1))
    task("Ohne Datum", None)
    task("Aufgabe der Leitung", TODAY, assignee=lead_a, case=leads)
    done = task("Schon erledigt", TODAY - timedelta(days=5))
    Task.objects.filter(pk=done.pk).update(done_at="2026-11-20T10:00+01:00")
    Notification.objects.create(user=counsellor_a, organisation=org_a, case=mine, message="x")
    Notification.objects.create(user=counsellor_a, organisation=org_a, case=mine, message="y")
    return {"mine": mine, "leads": leads}


def test_a_counsellor_sees_deadlines_tasks_and_notifications(login, work, counsellor_a):
    response = login(counsellor_a).get(DASHBOARD)
    assert response.status_code == 200
    page = response.text
    context = response.context
    # Only deadlines of my cases in the next 14 days (and overdue ones)
    assert [row.case for row in context["my_deadlines"]] == [work["mine"]]
    assert context["my_deadlines"][0].days_left == 13
    assert "09.12.2026" in page
    # Tasks: due this week (overdue first, marked), then the rest; done and others' tasks hidden
    assert [row["task"].title for row in context["due_this_week"]] == [
        "Überfällige Aufgabe",
        "Am Sonntag fällig",
    ]
    assert [row["task"].title for row in context["later_tasks"]] == [
        "Nächste Woche fällig",
        "Ohne Datum",
    ]
    assert context["due_this_week"][0]["overdue"]
    assert "2 Tage überfällig" in page
    assert (context["open_tasks"], context["overdue_tasks"]) == (4, 1)
    assert "Schon erledigt" not in page
    assert "Aufgabe der Leitung" not in page
    assert "2 ungelesene Benachrichtigungen" in page
    assert "/staff/benachrichtigungen/" in page
    # The lead's overview is not shown
    assert "Gefährdete Fristen der Organisation" not in page
    assert "/staff/auslastung/" not in page
    # What the page showed before stays
    assert "Planerladen Dortmund" in page
    assert "Berater*in" in page


def test_a_lead_also_sees_the_organisations_deadlines_at_risk(login, work, lead_a):
    response = login(lead_a).get(DASHBOARD)
    page = response.text
    assert [row.case for row in response.context["my_deadlines"]] == [work["leads"]]
    assert [row.case for row in response.context["org_at_risk"]] == [work["leads"], work["mine"]]
    assert "Gefährdete Fristen der Organisation" in page
    assert "/staff/auslastung/" in page
    assert [row["task"].title for row in response.context["due_this_week"]] == [
        "Aufgabe der Leitung"
    ]


def test_an_editor_sees_the_workspace_without_case_work(login, work, editor_a):
    response = login(editor_a).get(DASHBOARD)
    assert response.status_code == 200
    assert not response.context["case_work"]
    assert "Meine offenen Fristen" not in response.text
    assert "Redaktion" in response.text


def test_nothing_of_another_organisation_appears(login, work, lead_b):
    response = login(lead_b).get(DASHBOARD)
    page = response.text
    assert response.context["my_deadlines"] == []
    assert response.context["org_at_risk"] == []
    assert work["mine"].number not in page
    assert "Überfällige Aufgabe" not in page
    assert "0 ungelesene Benachrichtigungen" in page


def test_the_dashboard_needs_a_few_queries_however_much_is_due(
    login, work, lead_a, make_case, org_a
):
    client = login(lead_a)
    client.get(DASHBOARD)  # the first request also refreshes the session

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        case = make_case(org_a, by=lead_a, counsellors=[lead_a], incident_date=date(2026, 10, 1))
        Task.objects.create(case=case, title="t", assignee=lead_a, created_by=lead_a, due_on=TODAY)
    assert queries() == before
    assert before <= 15
