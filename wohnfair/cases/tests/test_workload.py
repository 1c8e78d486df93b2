"""The lead's workload view, marking a deadline met on the case page, and notifications."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import deadlines, services
from wohnfair.cases.models import Case, CaseStatus, Deadline, Notification, Task
from wohnfair.cases.tests.conftest import term

TODAY = date(2026, 11, 26)
WORKLOAD = "/staff/auslastung/"
NOTIFICATIONS = "/staff/benachrichtigungen/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-11-26 10:00 +01:00", tick=False)


@pytest.fixture
def office_a(make_case, org_a, counsellor_a, lead_a):
    """Three open cases of A (one restricted to the lead), a deadline due soon, a late task."""
    soon = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 9))  # due 09.12.
    make_case(org_a, by=counsellor_a, incident_date=date(2026, 11, 20))  # due 20.01.
    restricted = make_case(
        org_a, by=lead_a, restricted=True, counsellors=[lead_a], incident_date=date(2026, 11, 1)
    )
    Task.objects.create(
        case=soon,
        title="Rückruf Hausverwaltung",
        assignee=counsellor_a,
        created_by=lead_a,
        due_on=TODAY - timedelta(days=3),
    )
    Task.objects.create(
        case=soon,
        title="Noch Zeit",
        assignee=counsellor_a,
        created_by=lead_a,
        due_on=TODAY + timedelta(days=3),
    )
    return {"soon": soon, "restricted": restricted}


@pytest.fixture
def office_b(make_case, org_b, counsellor_b, lead_b):
    case = make_case(org_b, by=counsellor_b, incident_date=date(2026, 10, 9))
    Task.objects.create(
        case=case,
        title="Geheime Aufgabe B",
        assignee=counsellor_b,
        created_by=lead_b,
        due_on=TODAY - timedelta(days=5),
    )
    Case.objects.unscoped("test").filter(pk=case.pk).update(
        status=CaseStatus.WAITING, updated_at=timezone.now() - timedelta(days=90)
    )
    return case


def test_lead_sees_caseload_deadlines_tasks_and_long_waits(
    login, office_a, office_b, lead_a, counsellor_a, counsellor_b
):
    waiting = office_a["soon"]
    Case.objects.unscoped("test").filter(pk=waiting.pk).update(
        status=CaseStatus.WAITING, updated_at=timezone.now() - timedelta(days=31)
    )
    response = login(lead_a).get(WORKLOAD)
    assert response.status_code == 200
    page = response.text
    counts = {row["user"]: row["open_cases"] for row in response.context["counsellors"]}
    assert counts == {counsellor_a: 2, lead_a: 1}
    assert response.context["open_total"] == 3
    assert [row.case for row in response.context["at_risk"]] == [waiting]
    assert "13 Tage" in page
    assert "Rückruf Hausverwaltung" in page
    assert "3 Tage überfällig" in page
    assert "Noch Zeit" not in page
    assert [case.pk for case in response.context["waiting"]] == [waiting.pk]
    # The other organisation is never shown
    assert office_b.number not in page
    assert "Geheime Aufgabe B" not in page
    assert str(counsellor_b) not in page
    assert "Aylin" not in page  # no person names in the workload


def test_a_case_waiting_less_than_the_alert_time_is_not_listed(login, office_a, lead_a, org_a):
    Case.objects.unscoped("test").filter(pk=office_a["soon"].pk).update(
        status=CaseStatus.WAITING, updated_at=timezone.now() - timedelta(days=10)
    )
    assert login(lead_a).get(WORKLOAD).context["waiting"] == []
    org_a.waiting_alert_days = 7
    org_a.save()
    assert len(login(lead_a).get(WORKLOAD).context["waiting"]) == 1


def test_cases_of_former_staff_and_unassigned_cases_stand_out(
    login, office_a, lead_a, counsellor_a
):
    counsellor_a.memberships.update(is_active=False)
    office_a["restricted"].assignments.all().delete()
    response = login(lead_a).get(WORKLOAD)
    former = [row for row in response.context["counsellors"] if not row["active"]]
    assert [(row["user"], row["open_cases"]) for row in former] == [(counsellor_a, 2)]
    assert response.context["unassigned"] == 1
    assert "nicht mehr aktiv" in response.text
    assert "1 offener Fall ist niemandem zugewiesen." in response.text


@pytest.mark.parametrize("persona", ["counsellor_a", "editor_a", "network_analyst"])
def test_only_leads_see_the_workload(login, request, persona):
    assert login(request.getfixturevalue(persona)).get(WORKLOAD).status_code == 403


def test_the_lead_of_another_org_sees_only_theirs(login, office_a, office_b, lead_b):
    response = login(lead_b).get(WORKLOAD)
    assert [row.case for row in response.context["at_risk"]] == [office_b]
    assert office_a["soon"].number not in response.text
    assert "Rückruf Hausverwaltung" not in response.text
    assert "Geheime Aufgabe B" in response.text


def test_anonymous_visitors_are_sent_to_login(client):
    for url in (WORKLOAD, NOTIFICATIONS):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")


# --- marking a deadline met --------------------------------------------------------------


def met_url(case, deadline):
    return reverse("cases:mark_deadline_met", args=[case.number, deadline.pk])


def test_the_case_page_shows_the_running_deadline_with_a_form(login, office_a, counsellor_a):
    case = office_a["soon"]
    page = login(counsellor_a).get(case.get_absolute_url()).text
    assert "Fristen" in page
    assert "§ 21 Abs. 5 AGG" in page
    assert "09.12.2026" in page
    assert met_url(case, case.deadlines.get()) in page


def test_a_counsellor_marks_a_deadline_met(login, office_a, counsellor_a):
    case = office_a["soon"]
    deadline = case.deadlines.get()
    response = login(counsellor_a).post(met_url(case, deadline), {"met_on": "2026-11-25"})
    assert response.status_code == 302
    assert response.url == case.get_absolute_url() + "#fristen"
    deadline.refresh_from_db()
    assert deadline.met_on == date(2026, 11, 25)
    assert AuditEntry.objects.filter(action="case.deadline_met", actor=counsellor_a).exists()
    page = login(counsellor_a).get(case.get_absolute_url()).text
    assert "gewahrt" in page
    assert met_url(case, deadline) not in page
    assert deadline not in deadlines.at_risk(case.organisation, TODAY)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-27", "Das Datum liegt in der Zukunft."),
        ("2026-10-08", "Das Datum liegt vor dem Fristbeginn am 09.10.2026."),
        ("", "Bitte geben Sie das Datum der Geltendmachung an."),
        ("gestern", "Bitte geben Sie ein gültiges Datum an."),
    ],
)
def test_an_impossible_date_is_refused_with_a_clear_message(
    login, office_a, counsellor_a, value, message
):
    case = office_a["soon"]
    deadline = case.deadlines.get()
    response = login(counsellor_a).post(met_url(case, deadline), {"met_on": value})
    assert response.status_code == 400
    assert message in response.text
    deadline.refresh_from_db()
    assert deadline.met_on is None
    assert not AuditEntry.objects.filter(action="case.deadline_met").exists()


def test_a_date_after_the_end_is_refused(login, make_case, org_a, counsellor_a):
    case = make_case(org_a, by=counsellor_a)  # 20.02.2026 - 20.04.2026
    response = login(counsellor_a).post(
        met_url(case, case.deadlines.get()), {"met_on": "2026-04-21"}
    )
    assert response.status_code == 400
    assert "nach dem Fristende am 20.04.2026" in response.text
    assert case.deadlines.get().met_on is None


def test_marking_met_needs_post_and_a_deadline_of_this_case(
    login, office_a, counsellor_a, make_case, org_a
):
    case = office_a["soon"]
    other = make_case(org_a, by=counsellor_a)
    client = login(counsellor_a)
    assert client.get(met_url(case, case.deadlines.get())).status_code == 405
    foreign_deadline = other.deadlines.get()
    assert client.post(met_url(case, foreign_deadline), {"met_on": "2026-04-01"}).status_code == (
        404
    )
    foreign_deadline.refresh_from_db()
    assert foreign_deadline.met_on is None


def test_another_organisation_gets_404_and_changes_nothing(login, office_a, lead_b):
    case = office_a["soon"]
    deadline = case.deadlines.get()
    response = login(lead_b).post(met_url(case, deadline), {"met_on": "2026-11-25"})
    assert response.status_code == 404
    deadline.refresh_from_db()
    assert deadline.met_on is None


def test_a_closed_case_is_read_only(login, office_a, counsellor_a):
    case = office_a["soon"]
    Case.objects.unscoped("test").filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    response = login(counsellor_a).post(
        met_url(case, case.deadlines.get()), {"met_on": "2026-11-25"}
    )
    assert response.status_code == 302
    assert case.deadlines.get().met_on is None


def test_the_panel_counts_the_days_left_when_the_page_passes_rows(
    rf, make_case, org_a, counsellor_a
):
    from django.template.loader import render_to_string

    case = make_case(org_a, by=counsellor_a, incident_date=date(2026, 10, 9))  # due 09.12.
    for incident_date in (date(2026, 9, 1), date(2026, 11, 25)):  # due 02.11. and 25.01.
        services.add_incident(
            case,
            services.IncidentData(
                date=incident_date,
                lebensbereich=term("lebensbereich", "tenancy"),
                merkmale=[term("merkmal", "religion")],
            ),
            by=counsellor_a,
        )
    met = case.deadlines.get(starts_on=date(2026, 9, 1))
    Deadline.objects.filter(pk=met.pk).update(met_on=date(2026, 10, 30))
    rows = deadlines.panel_rows(case)
    assert [(row.due_on, row.days_left) for row in rows] == [
        (date(2026, 12, 9), 13),
        (date(2027, 1, 25), 60),
        (date(2026, 11, 2), -24),  # met ones last
    ]
    html = render_to_string(
        "cases/deadlines/_panel.html", {"case": case, "deadline_rows": rows}, request=rf.get("/")
    )
    assert "noch 13 Tage" in html
    assert "noch 60 Tage" in html
    assert "gewahrt" in html
    assert html.count("<form") == 2
    overdue = make_case(org_a, by=counsellor_a, incident_date=date(2026, 9, 1))
    html = render_to_string(
        "cases/deadlines/_panel.html",
        {"case": overdue, "deadline_rows": deadlines.panel_rows(overdue)},
        request=rf.get("/"),
    )
    assert "abgelaufen – nicht gewahrt" in html
    assert "seit 24 Tagen überschritten" in html
    assert 'max="2026-11-02"' in html  # a claim after the end cannot meet it


def test_conflict_mediation_shows_no_deadline_panel(login, make_case, org_a, counsellor_a):
    case = make_case(org_a, by=counsellor_a, case_type="konflikt")
    page = login(counsellor_a).get(case.get_absolute_url()).text
    assert 'id="fristen"' not in page


# --- notifications -----------------------------------------------------------------------


def test_notifications_are_the_users_own_newest_first_and_can_be_marked_read(
    login, office_a, org_a, org_b, counsellor_a, lead_a, counsellor_b
):
    case = office_a["soon"]
    Notification.objects.create(user=counsellor_a, organisation=org_a, case=case, message="alt")
    Notification.objects.create(user=counsellor_a, organisation=org_a, case=case, message="neu")
    Notification.objects.create(user=lead_a, organisation=org_a, message="für die Leitung")
    Notification.objects.create(user=counsellor_b, organisation=org_b, message="aus Bochum")
    client = login(counsellor_a)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 200
    assert [n.message for n in response.context["page"]] == ["neu", "alt"]
    assert response.context["unread"] == 2
    assert "für die Leitung" not in response.text
    assert "aus Bochum" not in response.text
    assert case.get_absolute_url() in response.text

    response = client.post(NOTIFICATIONS)
    assert response.status_code == 302
    assert not Notification.objects.filter(user=counsellor_a, read_at__isnull=True).exists()
    assert Notification.objects.get(user=lead_a).read_at is None
    assert client.get(NOTIFICATIONS).context["unread"] == 0


def test_notifications_of_another_organisation_stay_there(login, org_a, org_b, counsellor_a):
    from wohnfair.accounts.middleware import ACTIVE_ORGANISATION_KEY
    from wohnfair.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=counsellor_a, organisation=org_b)
    Notification.objects.create(user=counsellor_a, organisation=org_a, message="in Dortmund")
    Notification.objects.create(user=counsellor_a, organisation=org_b, message="in Bochum")
    client = login(counsellor_a)

    def work_in(organisation):
        session = client.session
        session[ACTIVE_ORGANISATION_KEY] = organisation.pk
        session.save()

    work_in(org_a)
    page = client.get(NOTIFICATIONS).text
    assert "in Dortmund" in page
    assert "in Bochum" not in page
    client.post(NOTIFICATIONS)
    assert Notification.objects.get(organisation=org_b).read_at is None
    work_in(org_b)
    page = client.get(NOTIFICATIONS).text
    assert "in Bochum" in page
    assert "in Dortmund" not in page


def test_editors_have_no_notification_page(login, editor_a):
    assert login(editor_a).get(NOTIFICATIONS).status_code == 403


def test_navigation_shows_workload_to_leads_only(login, lead_a, counsellor_a):
    lead_page = login(lead_a).get(NOTIFICATIONS).text
    assert WORKLOAD in lead_page
    counsellor_page = login(counsellor_a).get(NOTIFICATIONS).text
    assert WORKLOAD not in counsellor_page
    assert NOTIFICATIONS in counsellor_page
