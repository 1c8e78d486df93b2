"""Conflict mediation: sessions with the parties, agreements with review dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services, workflow
from wohnfair.cases.models import Agreement, MediationSession
from wohnfair.cases.tests.conftest import term

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime(2026, 3, 20, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    return TODAY


@pytest.fixture
def conflict(make_case, org_a, counsellor_a):
    """A neighbourhood conflict with two households."""
    case = make_case(org_a, by=counsellor_a, case_type="konflikt", name="Familie Yılmaz")
    services.add_person(
        case,
        services.PersonData(name="Herr Krause", role="party", party_role="Haushalt 2. OG"),
        by=counsellor_a,
    )
    return case


def parties(case):
    return list(case.persons.order_by("pk"))


@pytest.fixture
def session(conflict, counsellor_a):
    return workflow.add_session(
        conflict,
        date=date(2026, 3, 12),
        place="Nachbarschaftszentrum",
        participants=parties(conflict),
        by=counsellor_a,
    )


def url(case, suffix):
    return f"/staff/faelle/{case.number}/{suffix}"


def session_data(case, **changes):
    data = {
        "date": "2026-03-12",
        "place": "Nachbarschaftszentrum",
        "participants": [person.pk for person in parties(case)],
        "interpreter": "Türkisch, Frau Aydın",
        "topics": "Lärm nach 22 Uhr; Kinderwagen im Flur",
        "notes": "Beide Seiten schildern; Einigung auf Ruhezeiten.",
    }
    data.update(changes)
    return data


# Sessions ------------------------------------------------------------------------------


def test_a_session_is_documented_with_its_participants(login, counsellor_a, conflict):
    client = login(counsellor_a)
    page = client.get(url(conflict, "gespraeche/neu/"))
    assert page.status_code == 200
    assert "Haushalt 2. OG" in page.text
    response = client.post(url(conflict, "gespraeche/neu/"), session_data(conflict))
    assert response.status_code == 302
    session = MediationSession.objects.get(case=conflict)
    assert set(session.participants.all()) == set(parties(conflict))
    assert session.interpreter == "Türkisch, Frau Aydın"
    assert session.topics.startswith("Lärm")
    entry = AuditEntry.objects.get(action="case.session_added")
    assert entry.details == {"session": session.pk, "participants": 2}

    detail = client.get(conflict.get_absolute_url()).text
    assert "Nachbarschaftszentrum" in detail
    assert "Herr Krause (Haushalt 2. OG)" in detail
    assert "Kinderwagen im Flur" in detail
    assert "Einigung auf Ruhezeiten" in detail


def test_a_participant_from_another_case_is_refused(
    login, counsellor_a, conflict, make_case, org_a
):
    stranger = make_case(org_a, by=counsellor_a, name="Fremde Person").persons.get()
    response = login(counsellor_a).post(
        url(conflict, "gespraeche/neu/"), session_data(conflict, participants=[stranger.pk])
    )
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen." in response.text
    assert not MediationSession.objects.exists()
    with pytest.raises(ValidationError) as error:
        workflow.add_session(conflict, date=TODAY, participants=[stranger], by=counsellor_a)
    assert error.value.message_dict == {
        "participants": ["Teilnehmen können nur Personen dieses Falls."]
    }
    assert not MediationSession.objects.exists()


def test_a_session_needs_a_date(login, counsellor_a, conflict):
    response = login(counsellor_a).post(
        url(conflict, "gespraeche/neu/"), session_data(conflict, date="")
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert not MediationSession.objects.exists()


# Agreements ----------------------------------------------------------------------------


def agreement_data(session, **changes):
    data = {
        "session": session.pk,
        "text": "Ruhezeit ab 22 Uhr; Kinderwagen im Keller.",
        "agreed_on": "2026-03-12",
        "review_on": "2026-04-12",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_an_agreement_is_recorded_with_its_review_date(login, counsellor_a, conflict, session):
    client = login(counsellor_a)
    page = client.get(url(conflict, "vereinbarungen/neu/"))
    assert page.status_code == 200
    response = client.post(url(conflict, "vereinbarungen/neu/"), agreement_data(session))
    assert response.status_code == 302
    agreement = Agreement.objects.get(case=conflict)
    assert (agreement.session, agreement.agreed_on, agreement.review_on) == (
        session,
        date(2026, 3, 12),
        date(2026, 4, 12),
    )
    assert agreement.text.startswith("Ruhezeit")
    entry = AuditEntry.objects.get(action="case.agreement_added")
    assert entry.details == {"agreement": agreement.pk, "review": True}
    detail = client.get(conflict.get_absolute_url()).text
    assert "Kinderwagen im Keller" in detail
    assert url(conflict, f"vereinbarungen/{agreement.pk}/ueberprueft/") in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"review_on": "2026-03-11"}, "Die Überprüfung kann nicht vor dem Datum der Vereinbarung"),
        (
            {"agreed_on": "2026-03-11", "review_on": "2026-03-11"},
            "Die Vereinbarung kann nicht vor dem Gespräch liegen.",
        ),
        ({"agreed_on": "2026-03-21", "review_on": "2026-04-21"}, "Das Datum liegt in der Zukunft."),
        ({"text": "  "}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_agreement_dates_get_a_german_message_and_store_nothing(
    login, counsellor_a, conflict, session, changes, message
):
    response = login(counsellor_a).post(
        url(conflict, "vereinbarungen/neu/"), agreement_data(session, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Agreement.objects.exists()


def test_the_service_refuses_a_review_before_the_session(conflict, session, counsellor_a):
    with pytest.raises(ValidationError) as error:
        workflow.add_agreement(
            conflict,
            text="Ruhe",
            agreed_on=date(2026, 3, 12),
            review_on=date(2026, 3, 1),
            session=session,
            by=counsellor_a,
        )
    assert "review_on" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_a_session_of_another_case_is_refused(login, counsellor_a, conflict, make_case, org_a):
    other = make_case(org_a, by=counsellor_a, case_type="konflikt", name="Andere")
    foreign = workflow.add_session(other, date=date(2026, 3, 1), by=counsellor_a)
    response = login(counsellor_a).post(
        url(conflict, "vereinbarungen/neu/"), agreement_data(foreign)
    )
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen." in response.text
    with pytest.raises(ValidationError):
        workflow.add_agreement(
            conflict, text="Ruhe", agreed_on=TODAY, session=foreign, by=counsellor_a
        )
    assert not Agreement.objects.exists()


# Reviews -------------------------------------------------------------------------------


@pytest.fixture
def agreement(conflict, session, counsellor_a):
    return workflow.add_agreement(
        conflict,
        text="Ruhezeit ab 22 Uhr",
        agreed_on=date(2026, 3, 12),
        review_on=date(2026, 3, 19),
        session=session,
        by=counsellor_a,
    )


def review_url(conflict, agreement):
    return url(conflict, f"vereinbarungen/{agreement.pk}/ueberprueft/")


def test_the_review_is_recorded(login, counsellor_a, conflict, agreement):
    client = login(counsellor_a)
    detail = client.get(conflict.get_absolute_url()).text
    assert "Überprüfung fällig" in detail
    page = client.get(review_url(conflict, agreement))
    assert page.status_code == 200
    assert "Ruhezeit ab 22 Uhr" in page.text
    response = client.post(
        review_url(conflict, agreement),
        {"reviewed_on": "2026-03-20", "review_result": "Hält; keine Beschwerden mehr."},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.reviewed_on == TODAY
    assert agreement.review_result == "Hält; keine Beschwerden mehr."
    assert AuditEntry.objects.get(action="case.agreement_reviewed").details == {
        "agreement": agreement.pk
    }
    assert "Hält; keine Beschwerden mehr." in client.get(conflict.get_absolute_url()).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"reviewed_on": "2026-03-11"},
            "Die Überprüfung kann nicht vor dem Datum der Vereinbarung",
        ),
        ({"reviewed_on": "2026-03-21"}, "Das Datum liegt in der Zukunft."),
        ({"review_result": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_bad_review_gets_a_german_message_and_changes_nothing(
    login, counsellor_a, conflict, agreement, changes, message
):
    data = {"reviewed_on": "2026-03-20", "review_result": "Hält.", **changes}
    response = login(counsellor_a).post(review_url(conflict, agreement), data)
    assert response.status_code == 400
    assert message in response.text
    agreement.refresh_from_db()
    assert (agreement.reviewed_on, agreement.review_result) == (None, "")


def test_an_agreement_of_another_case_is_not_found_here(
    login, counsellor_a, conflict, agreement, make_case, org_a
):
    other = make_case(org_a, by=counsellor_a, case_type="konflikt", name="Andere")
    response = login(counsellor_a).post(
        review_url(other, agreement), {"reviewed_on": "2026-03-20", "review_result": "x"}
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.reviewed_on is None


# Case types and access -----------------------------------------------------------------


def test_mediation_pages_exist_for_conflict_cases_only(login, counsellor_a, case_a):
    client = login(counsellor_a)
    for suffix in ["gespraeche/neu/", "vereinbarungen/neu/"]:
        assert client.get(url(case_a, suffix)).status_code == 404
        assert client.post(url(case_a, suffix), {"date": "2026-03-12"}).status_code == 404
    assert not MediationSession.objects.exists()
    with pytest.raises(ValidationError):
        workflow.add_session(case_a, date=TODAY, by=counsellor_a)
    assert 'id="vermittlung"' not in client.get(case_a.get_absolute_url()).text


def test_a_closed_conflict_case_takes_no_sessions(login, counsellor_a, conflict):
    services.close_case(
        conflict,
        closing_reason=term("closing_reason", "resolved"),
        outcome=term("outcome", "settlement"),
        closed_on=TODAY,
        by=counsellor_a,
    )
    response = login(counsellor_a).post(url(conflict, "gespraeche/neu/"), session_data(conflict))
    assert response.status_code == 302
    assert not MediationSession.objects.exists()


@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b", "editor_a"])
def test_other_organisations_get_404(login, request, conflict, session, agreement, intruder):
    client = login(request.getfixturevalue(intruder))
    for target, data in [
        (url(conflict, "gespraeche/neu/"), session_data(conflict)),
        (url(conflict, "vereinbarungen/neu/"), agreement_data(session)),
        (review_url(conflict, agreement), {"reviewed_on": "2026-03-20", "review_result": "x"}),
    ]:
        assert client.get(target).status_code == 404
        assert client.post(target, data).status_code == 404
    assert MediationSession.objects.count() == 1
    assert Agreement.objects.count() == 1
    agreement.refresh_from_db()
    assert agreement.reviewed_on is None


def test_anonymous_visitors_are_sent_to_login(client, conflict, session, agreement):
    for target in [
        url(conflict, "gespraeche/neu/"),
        url(conflict, "vereinbarungen/neu/"),
        review_url(conflict, agreement),
    ]:
        response = client.post(target, {"date": "2026-03-12"})
        assert response.status_code == 302
        assert response.url.startswith("/konto/login/")
    assert MediationSession.objects.count() == 1
