"""The intervention log of a case: pages, service, audit, and the § 21(5) deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services, workflow
from wohnfair.cases.models import Deadline, Intervention, PeriodRule
from wohnfair.cases.tests.conftest import term

TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    return TODAY


def url(case, suffix="interventionen/neu/"):
    return f"/staff/faelle/{case.number}/{suffix}"


def data(**changes):
    values = {
        "kind": term("intervention", "complaint_letter").pk,
        "date": "2026-03-05",
        "addressee": "Hausverwaltung Nord",
        "summary": "Beschwerde über die Absage",
        "result": "",
        "next_step": "Antwort abwarten",
    }
    values.update(changes)
    return values


@pytest.fixture
def deadline(case_a):
    """The open § 21(5) deadline of the incident on 20 February 2026.

    Opening the case may already have created it (``deadlines.ensure_deadlines``);
    otherwise it is created directly.
    """
    deadline, _ = Deadline.objects.get_or_create(
        case=case_a,
        rule=PeriodRule.objects.get(code="agg_21_5"),
        incident=case_a.incidents.get(),
        defaults={"starts_on": date(2026, 2, 20), "due_on": date(2026, 4, 20)},
    )
    assert (deadline.starts_on, deadline.due_on, deadline.met_on) == (
        date(2026, 2, 20),
        date(2026, 4, 20),
        None,
    )
    return deadline


def test_a_counsellor_logs_an_intervention(login, counsellor_a, case_a):
    client = login(counsellor_a)
    response = client.post(url(case_a), data())
    assert response.status_code == 302
    intervention = Intervention.objects.get(case=case_a)
    assert intervention.kind.code == "complaint_letter"
    assert (intervention.date, intervention.by) == (date(2026, 3, 5), counsellor_a)
    assert intervention.addressee == "Hausverwaltung Nord"
    assert intervention.summary == "Beschwerde über die Absage"
    assert intervention.next_step == "Antwort abwarten"

    entry = AuditEntry.objects.get(action="case.intervention_added")
    assert entry.details == {"intervention": intervention.pk, "kind": "complaint_letter"}

    page = client.get(case_a.get_absolute_url()).text
    assert "Beschwerdebrief" in page
    assert "Hausverwaltung Nord" in page
    assert "Antwort abwarten" in page
    assert url(case_a, f"interventionen/{intervention.pk}/") in page


def test_the_form_offers_today_and_the_intervention_types(login, counsellor_a, case_a):
    page = login(counsellor_a).get(url(case_a))
    assert page.status_code == 200
    assert 'value="2026-03-10"' in page.text
    assert "Geltendmachung von Ansprüchen" in page.text
    assert "Verweis an die Stiftung (Rechtshilfe)" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-03-11"}, "Das Datum liegt in der Zukunft."),
        ({"date": "2026-03-01"}, "Das Datum liegt vor dem Erstkontakt."),
        ({"date": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"kind": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"summary": "x" * 20001}, "höchstens 20000 Zeichen"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(
    login, counsellor_a, case_a, changes, message
):
    response = login(counsellor_a).post(url(case_a), data(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert not Intervention.objects.exists()
    assert not AuditEntry.objects.filter(action="case.intervention_added").exists()


def test_a_term_of_another_vocabulary_is_refused(login, counsellor_a, case_a):
    response = login(counsellor_a).post(url(case_a), data(kind=term("outcome", "apology").pk))
    assert response.status_code == 400
    assert "gültige Auswahl" in response.text
    assert not Intervention.objects.exists()
    with pytest.raises(ValidationError):
        workflow.record_intervention(
            case_a, kind=term("outcome", "apology"), date=TODAY, by=counsellor_a
        )


def test_the_service_refuses_a_future_date(case_a, counsellor_a):
    with pytest.raises(ValidationError) as error:
        workflow.record_intervention(
            case_a, kind="information", date=date(2026, 3, 11), by=counsellor_a
        )
    assert error.value.message_dict == {"date": ["Das Datum liegt in der Zukunft."]}
    assert not Intervention.objects.exists()


def test_editing_changes_the_content_and_keeps_who_did_it(login, counsellor_a, lead_a, case_a):
    intervention = workflow.record_intervention(
        case_a, kind="statement_request", date=date(2026, 3, 4), by=counsellor_a
    )
    client = login(lead_a)
    page = client.get(url(case_a, f"interventionen/{intervention.pk}/"))
    assert page.status_code == 200
    response = client.post(
        url(case_a, f"interventionen/{intervention.pk}/"),
        data(kind=term("intervention", "statement_request").pk, result="Stellungnahme erhalten"),
    )
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.result == "Stellungnahme erhalten"
    assert intervention.by == counsellor_a
    entry = AuditEntry.objects.get(action="case.intervention_updated")
    assert entry.actor == lead_a
    assert "Stellungnahme" not in str(entry.details)


def test_a_refused_edit_changes_nothing(login, counsellor_a, case_a):
    intervention = workflow.record_intervention(
        case_a, kind="information", date=date(2026, 3, 4), by=counsellor_a, summary="vorher"
    )
    response = login(counsellor_a).post(
        url(case_a, f"interventionen/{intervention.pk}/"),
        data(kind=term("intervention", "information").pk, date="2026-12-24", summary="nachher"),
    )
    assert response.status_code == 400
    assert "Das Datum liegt in der Zukunft." in response.text
    intervention.refresh_from_db()
    assert (intervention.summary, intervention.date) == ("vorher", date(2026, 3, 4))
    assert not AuditEntry.objects.filter(action="case.intervention_updated").exists()


def test_an_intervention_of_another_case_is_not_found_here(
    login, counsellor_a, org_a, case_a, make_case
):
    other = make_case(org_a, by=counsellor_a, name="Andere Person")
    intervention = workflow.record_intervention(
        other, kind="information", date=TODAY, by=counsellor_a, summary="vorher"
    )
    client = login(counsellor_a)
    edit = url(case_a, f"interventionen/{intervention.pk}/")
    assert client.get(edit).status_code == 404
    assert client.post(edit, data(summary="nachher")).status_code == 404
    intervention.refresh_from_db()
    assert intervention.summary == "vorher"


def test_a_closed_case_takes_no_interventions(login, counsellor_a, case_a):
    services.close_case(
        case_a,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=TODAY,
        by=counsellor_a,
    )
    response = login(counsellor_a).post(url(case_a), data())
    assert response.status_code == 302
    assert not Intervention.objects.exists()


# The § 21(5) deadline ------------------------------------------------------------------


def test_a_geltendmachung_marks_the_open_deadline_met(login, counsellor_a, case_a, deadline):
    response = login(counsellor_a).post(
        url(case_a), data(kind=term("intervention", "claim").pk, date="2026-03-09")
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get(case=case_a)
    deadline.refresh_from_db()
    assert deadline.met_on == date(2026, 3, 9)
    assert deadline.met_by == intervention
    assert not case_a.deadlines.filter(met_on__isnull=True).exists()
    assert AuditEntry.objects.get(action="case.intervention_added").details["kind"] == "claim"
    assert AuditEntry.objects.filter(action="case.deadline_met").exists()


def test_other_interventions_leave_the_deadline_open(case_a, counsellor_a, deadline):
    workflow.record_intervention(case_a, kind="complaint_letter", date=TODAY, by=counsellor_a)
    deadline.refresh_from_db()
    assert deadline.met_on is None


def test_changing_an_intervention_into_a_geltendmachung_marks_the_deadline_met(
    case_a, counsellor_a, deadline
):
    intervention = workflow.record_intervention(
        case_a, kind="complaint_letter", date=date(2026, 3, 6), by=counsellor_a
    )
    workflow.update_intervention(intervention, by=counsellor_a, kind=term("intervention", "claim"))
    deadline.refresh_from_db()
    assert (deadline.met_on, deadline.met_by) == (date(2026, 3, 6), intervention)


def test_a_geltendmachung_of_another_case_leaves_this_deadline_open(
    case_a, counsellor_a, deadline, make_case, org_a
):
    other = make_case(org_a, by=counsellor_a, name="Andere Person")
    workflow.record_intervention(other, kind="claim", date=TODAY, by=counsellor_a)
    deadline.refresh_from_db()
    assert deadline.met_on is None


# Access --------------------------------------------------------------------------------


@pytest.fixture
def existing(case_a, counsellor_a):
    return workflow.record_intervention(
        case_a, kind="information", date=TODAY, by=counsellor_a, summary="vorher"
    )


@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b", "editor_a"])
def test_other_organisations_get_404(login, request, case_a, existing, intruder):
    client = login(request.getfixturevalue(intruder))
    for target in [url(case_a), url(case_a, f"interventionen/{existing.pk}/")]:
        assert client.get(target).status_code == 404
        assert client.post(target, data(summary="nachher")).status_code == 404
    assert Intervention.objects.count() == 1
    existing.refresh_from_db()
    assert existing.summary == "vorher"


def test_anonymous_visitors_are_sent_to_login(client, case_a, existing):
    for target in [url(case_a), url(case_a, f"interventionen/{existing.pk}/")]:
        response = client.post(target, data())
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
    assert Intervention.objects.count() == 1
