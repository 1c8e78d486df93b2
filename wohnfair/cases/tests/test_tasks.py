"""Tasks on a case and the page "my tasks"."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory
from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services, workflow
from wohnfair.cases.models import Task
from wohnfair.cases.tests.conftest import term

TODAY = date(2026, 3, 11)  # a Wednesday; the week ends on Sunday 15 March


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    return TODAY


def url(case, suffix="aufgaben/neu/"):
    return f"/staff/faelle/{case.number}/{suffix}"


MY_TASKS = "/staff/aufgaben/"


def test_a_task_is_assigned_to_a_colleague(login, counsellor_a, lead_a, case_a):
    client = login(counsellor_a)
    page = client.get(url(case_a))
    assert page.status_code == 200
    assert str(lead_a) in page.text
    response = client.post(
        url(case_a), {"title": "Vermieter anrufen", "assignee": lead_a.pk, "due_on": "2026-03-13"}
    )
    assert response.status_code == 302
    task = Task.objects.get(case=case_a)
    assert (task.title, task.assignee, task.due_on, task.created_by) == (
        "Vermieter anrufen",
        lead_a,
        date(2026, 3, 13),
        counsellor_a,
    )
    assert task.done_at is None
    entry = AuditEntry.objects.get(action="case.task_added")
    assert entry.details == {"task": task.pk, "assignee": lead_a.pk, "due": True}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"due_on": "13.03.2026x"}, "Bitte ein gültiges Datum eingeben."),
        ({"assignee": "999999"}, "Bitte eine gültige Auswahl treffen."),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(
    login, counsellor_a, case_a, changes, message
):
    data = {"title": "Vermieter anrufen", "assignee": counsellor_a.pk, **changes}
    response = login(counsellor_a).post(url(case_a), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Task.objects.exists()


def test_a_member_of_another_organisation_cannot_be_assigned(
    login, counsellor_a, counsellor_b, editor_a, case_a
):
    client = login(counsellor_a)
    for outsider in [counsellor_b, editor_a]:
        response = client.post(url(case_a), {"title": "Heimlich", "assignee": outsider.pk})
        assert response.status_code == 400
        assert "Bitte eine gültige Auswahl treffen." in response.text
    assert not Task.objects.exists()
    with pytest.raises(ValidationError) as error:
        workflow.add_task(case_a, title="Heimlich", assignee=counsellor_b, by=counsellor_a)
    assert "Berater*innen dieser Organisation" in str(error.value)
    assert not Task.objects.exists()


def test_completing_a_task_is_recorded_once(login, counsellor_a, case_a):
    task = workflow.add_task(case_a, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    client = login(counsellor_a)
    assert client.get(url(case_a, f"aufgaben/{task.pk}/erledigt/")).status_code == 405
    first = client.post(url(case_a, f"aufgaben/{task.pk}/erledigt/"))
    assert first.status_code == 302
    task.refresh_from_db()
    done_at = task.done_at
    assert done_at is not None
    client.post(url(case_a, f"aufgaben/{task.pk}/erledigt/"))
    task.refresh_from_db()
    assert task.done_at == done_at
    assert AuditEntry.objects.filter(action="case.task_completed").count() == 1


def test_the_case_page_lists_open_and_done_tasks_and_marks_overdue_ones(
    login, counsellor_a, case_a
):
    workflow.add_task(
        case_a,
        title="Frist prüfen",
        assignee=counsellor_a,
        by=counsellor_a,
        due_on=date(2026, 3, 9),
    )
    done = workflow.add_task(case_a, title="Erledigtes", assignee=counsellor_a, by=counsellor_a)
    workflow.complete_task(done, by=counsellor_a)
    page = login(counsellor_a).get(case_a.get_absolute_url()).text
    section = page[page.index('id="aufgaben"') :]
    assert "Frist prüfen" in section
    assert "überfällig" in section
    assert "Erledigte Aufgaben" in section
    assert "Erledigtes" in section
    assert url(case_a, f"aufgaben/{done.pk}/erledigt/") not in section


def test_a_task_of_another_case_is_not_found_here(login, counsellor_a, org_a, case_a, make_case):
    other = make_case(org_a, by=counsellor_a, name="Andere Person")
    task = workflow.add_task(other, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    response = login(counsellor_a).post(url(case_a, f"aufgaben/{task.pk}/erledigt/"))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_a_closed_case_takes_no_tasks(login, counsellor_a, case_a):
    task = workflow.add_task(case_a, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    services.close_case(
        case_a,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=TODAY,
        by=counsellor_a,
    )
    client = login(counsellor_a)
    client.post(url(case_a), {"title": "Neu", "assignee": counsellor_a.pk})
    client.post(url(case_a, f"aufgaben/{task.pk}/erledigt/"))
    assert Task.objects.count() == 1
    task.refresh_from_db()
    assert task.done_at is None


# My tasks ------------------------------------------------------------------------------


def rows(page):
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [re.sub(r"\s+", " ", row) for row in body.split("<tr>")[1:]]


def test_my_tasks_lists_my_open_tasks_overdue_and_this_week_marked(
    login, counsellor_a, lead_a, org_a, case_a, make_case
):
    def add(title, due_on=None, assignee=counsellor_a, case=case_a):
        return workflow.add_task(case, title=title, assignee=assignee, by=lead_a, due_on=due_on)

    add("Überfällige Aufgabe", date(2026, 3, 10))
    add("Diese Woche", date(2026, 3, 15))
    add("Nächste Woche", date(2026, 3, 16))
    add("Ohne Datum")
    add("Für die Leitung", date(2026, 3, 12), assignee=lead_a)
    workflow.complete_task(add("Schon erledigt", date(2026, 3, 1)), by=counsellor_a)
    closed = make_case(org_a, by=counsellor_a, name="Geschlossen")
    add("Im abgeschlossenen Fall", date(2026, 3, 12), case=closed)
    services.close_case(
        closed,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=TODAY,
        by=counsellor_a,
    )

    page = login(counsellor_a).get(MY_TASKS)

    assert page.status_code == 200
    listed = rows(page.text)
    assert [
        next(t for t in ["Überfällige", "Diese Woche", "Nächste Woche", "Ohne Datum"] if t in r)
        for r in listed
    ] == ["Überfällige", "Diese Woche", "Nächste Woche", "Ohne Datum"]
    assert "überfällig" in listed[0]
    assert "diese Woche" in listed[1]
    assert "überfällig" not in listed[2] and "diese Woche" not in listed[2]
    assert case_a.number in listed[0]
    for absent in ["Für die Leitung", "Schon erledigt", "Im abgeschlossenen Fall"]:
        assert absent not in page.text
    assert "1 ist überfällig" in page.text


def test_my_tasks_stay_in_the_active_organisation_and_visible_cases(
    login, counsellor_a, lead_a, org_a, org_b, lead_b, make_case, case_a
):
    from wohnfair.accounts.middleware import ACTIVE_ORGANISATION_KEY

    MembershipFactory(organisation=org_b, user=counsellor_a, role=Role.COUNSELLOR)
    case_b = make_case(org_b, by=lead_b, name="Bochum")
    workflow.add_task(case_b, title="Aufgabe in Bochum", assignee=counsellor_a, by=lead_b)
    restricted = make_case(org_a, by=lead_a, restricted=True, counsellors=[lead_a])
    workflow.add_task(restricted, title="Vertraulich", assignee=counsellor_a, by=lead_a)
    workflow.add_task(case_a, title="Sichtbar", assignee=counsellor_a, by=lead_a)
    client = login(counsellor_a)

    def work_in(organisation):
        session = client.session
        session[ACTIVE_ORGANISATION_KEY] = organisation.pk
        session.save()
        return client.get(MY_TASKS).text

    in_a = work_in(org_a)
    assert "Sichtbar" in in_a
    assert "Aufgabe in Bochum" not in in_a
    assert "Vertraulich" not in in_a
    in_b = work_in(org_b)
    assert "Aufgabe in Bochum" in in_b
    assert "Sichtbar" not in in_b


def test_completing_from_my_tasks_returns_there(login, counsellor_a, case_a):
    task = workflow.add_task(case_a, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    client = login(counsellor_a)
    page = client.get(MY_TASKS).text
    assert url(case_a, f"aufgaben/{task.pk}/erledigt/") in page
    response = client.post(url(case_a, f"aufgaben/{task.pk}/erledigt/"), {"next": MY_TASKS})
    assert response.url == MY_TASKS
    elsewhere = client.post(
        url(case_a, f"aufgaben/{task.pk}/erledigt/"), {"next": "https://evil.example/"}
    )
    assert elsewhere.url.startswith(case_a.get_absolute_url())


def test_my_tasks_is_for_case_staff(login, editor_a, client):
    assert login(editor_a).get(MY_TASKS).status_code == 403
    client.logout()
    response = client.get(MY_TASKS)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


# Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b", "editor_a"])
def test_other_organisations_get_404(login, request, counsellor_a, case_a, intruder):
    task = workflow.add_task(case_a, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    client = login(request.getfixturevalue(intruder))
    assert client.get(url(case_a)).status_code == 404
    assert client.post(url(case_a), {"title": "x", "assignee": counsellor_a.pk}).status_code == 404
    assert client.post(url(case_a, f"aufgaben/{task.pk}/erledigt/")).status_code == 404
    assert Task.objects.count() == 1
    task.refresh_from_db()
    assert task.done_at is None


def test_anonymous_visitors_are_sent_to_login(client, counsellor_a, case_a):
    task = workflow.add_task(case_a, title="Anrufen", assignee=counsellor_a, by=counsellor_a)
    for target in [url(case_a), url(case_a, f"aufgaben/{task.pk}/erledigt/")]:
        response = client.post(target, {"title": "x", "assignee": counsellor_a.pk})
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
    task.refresh_from_db()
    assert task.done_at is None
    assert Task.objects.count() == 1
