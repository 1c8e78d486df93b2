import pytest

from wohnfair.audit.models import AuditEntry
from wohnfair.cases.models import CaseStatus, Note
from wohnfair.cases.tests.conftest import term


@pytest.fixture
def case(make_case, org_a, counsellor_a):
    return make_case(org_a, by=counsellor_a)


def url(case, suffix=""):
    return f"/staff/faelle/{case.number}/{suffix}"


def test_status_moves_along_allowed_transitions(login, counsellor_a, case):
    client = login(counsellor_a)
    client.post(url(case, "status/"), {"status": "in_progress"})
    client.post(url(case, "status/"), {"status": "waiting"})
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    assert AuditEntry.objects.filter(action="case.status_changed").count() == 2


def test_closing_needs_a_reason_and_is_refused_before_first_contact(login, counsellor_a, case):
    client = login(counsellor_a)
    missing = client.post(url(case, "abschliessen/"), {"closed_on": "2026-03-10"})
    too_early = client.post(
        url(case, "abschliessen/"),
        {"closed_on": "2026-01-01", "closing_reason": term("closing_reason", "resolved").pk},
    )
    assert missing.status_code == 400
    assert "zwingend erforderlich" in missing.text
    assert too_early.status_code == 400
    assert "vor dem Erstkontakt" in too_early.text
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_close_and_reopen(login, counsellor_a, case):
    client = login(counsellor_a)
    response = client.post(
        url(case, "abschliessen/"),
        {
            "closed_on": "2026-03-10",
            "closing_reason": term("closing_reason", "resolved").pk,
            "outcome": term("outcome", "apology").pk,
            "satisfaction": "4",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome.code, case.satisfaction) == ("closed", "apology", 4)
    assert client.post(url(case, "vorfaelle/neu/"), {}).status_code == 302  # refused: closed
    assert case.incidents.count() == 1
    client.post(url(case, "wiedereroeffnen/"))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_note_is_stored_encrypted_and_audited(login, counsellor_a, case):
    login(counsellor_a).post(url(case, "notizen/neu/"), {"text": "Termin am Montag"})
    assert Note.objects.get().text == "Termin am Montag"
    assert AuditEntry.objects.filter(action="case.note_added").exists()


def test_empty_note_is_refused(login, counsellor_a, case):
    response = login(counsellor_a).post(url(case, "notizen/neu/"), {"text": ""})
    assert response.status_code == 400
    assert not Note.objects.exists()


def test_add_incident_and_refuse_an_end_before_the_start(login, counsellor_a, case):
    client = login(counsellor_a)
    data = {
        "date": "2026-02-01",
        "lebensbereich": term("lebensbereich", "tenancy").pk,
        "merkmale": [term("merkmal", "disability").pk],
    }
    bad = client.post(url(case, "vorfaelle/neu/"), {**data, "date_end": "2026-01-01"})
    assert bad.status_code == 400
    assert case.incidents.count() == 1
    good = client.post(url(case, "vorfaelle/neu/"), data)
    assert good.status_code == 302
    assert case.incidents.count() == 2


def test_editing_an_incident_keeps_a_retired_term_it_already_has(login, counsellor_a, case):
    incident = case.incidents.get()
    retired = term("merkmal", "ethnic_origin")
    retired.is_active = False
    retired.save()
    response = login(counsellor_a).post(
        url(case, f"vorfaelle/{incident.pk}/"),
        {
            "date": "2026-02-20",
            "lebensbereich": term("lebensbereich", "flat_search").pk,
            "merkmale": [retired.pk],
            "description": "ergänzt",
        },
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.description == "ergänzt"


def test_add_a_conflict_party(login, counsellor_a, case):
    response = login(counsellor_a).post(
        url(case, "personen/neu/"),
        {"role": "party", "party_role": "Nachbarhaushalt 2. OG", "name": "Familie K."},
    )
    assert response.status_code == 302
    assert case.persons.filter(role="party", party_role="Nachbarhaushalt 2. OG").exists()


def test_consent_is_recorded_with_text_version_and_can_be_withdrawn(login, counsellor_a, case):
    client = login(counsellor_a)
    client.post(
        url(case, "einwilligungen/"), {"purposes": ["publication"], "given_on": "2026-03-05"}
    )
    consent = case.consents.get(purpose="publication")
    assert consent.text.version == 1
    client.post(url(case, f"einwilligungen/{consent.pk}/widerrufen/"))
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_consent_without_purpose_is_refused(login, counsellor_a, case):
    response = login(counsellor_a).post(
        url(case, "einwilligungen/"), {"purposes": [], "given_on": "2026-03-05"}
    )
    assert response.status_code == 400
    assert "mindestens einen Zweck" in response.text


def test_assign_counsellors_only_from_the_own_organisation(
    login, counsellor_a, counsellor_b, lead_a, case
):
    client = login(counsellor_a)
    refused = client.post(url(case, "beratende/"), {"counsellors": [counsellor_b.pk]})
    assert refused.status_code == 400
    assert list(case.counsellors.all()) == [counsellor_a]
    client.post(url(case, "beratende/"), {"counsellors": [counsellor_a.pk, lead_a.pk]})
    assert set(case.counsellors.all()) == {counsellor_a, lead_a}


def test_restricting_a_case_is_audited(login, counsellor_a, case):
    login(counsellor_a).post(
        url(case, "bearbeiten/"),
        {
            "case_type": "beratung",
            "channel": term("channel", "walk_in").pk,
            "who_came": "affected",
            "language": "de",
            "restricted": "on",
        },
    )
    case.refresh_from_db()
    assert case.restricted
    assert AuditEntry.objects.filter(action="case.restriction_changed").exists()
