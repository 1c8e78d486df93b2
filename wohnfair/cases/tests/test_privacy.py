import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import documents, services, workflow
from wohnfair.cases.models import (
    AggAssessment,
    Agreement,
    Case,
    Document,
    ErasureRecord,
    Incident,
    Intervention,
    Letter,
    MediationSession,
    Note,
    Notification,
    Person,
    Respondent,
    Task,
    name_search_token,
)
from wohnfair.cases.privacy import erase_person, export_person
from wohnfair.cases.tests.conftest import term

CANARY = "Kanarienvogel"
OTHER = "Zaunkoenigin"


@pytest.fixture
def case(make_case, org_a, counsellor_a):
    """A case of org A: advice-seeker with the canary name, a second person, a note."""
    case = make_case(
        org_a,
        by=counsellor_a,
        name=f"Frau {CANARY}",
        description="Die Wohnung war plötzlich vergeben.",
    )
    services.add_person(
        case,
        services.PersonData(
            name=f"Herr {OTHER}",
            role="involved",
            email="zaun@example.org",
            characteristics=[term("merkmal", "religion")],
        ),
        by=counsellor_a,
    )
    services.add_note(case, "Rückruf vereinbart", by=counsellor_a)
    return case


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_upload(name="absage.pdf"):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def stored_files(media):
    folder = media / documents.DIRECTORY
    return sorted(folder.iterdir()) if folder.exists() else []


def person_named(case, word):
    return next(person for person in case.persons.all() if word in person.name)


def url(name, case, person):
    return reverse(f"cases:{name}", args=[case.number, person.pk])


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def decrypted_everything() -> str:
    """Every stored value of the case tables, decrypted, plus the ledgers."""
    rows = [
        *Person.objects.values_list("name", "email", "phone", "address", "party_role"),
        *Incident.objects.values_list("description", flat=True),
        *Note.objects.values_list("text", flat=True),
        *Document.objects.values_list("title", "original_name"),
        *Intervention.objects.values_list("addressee", "summary", "result", "next_step"),
        *Task.objects.values_list("title", flat=True),
        *Letter.objects.values_list("recipient", "subject", "body"),
        *AggAssessment.objects.values_list("rationale", flat=True),
        *MediationSession.objects.values_list("place", "interpreter", "topics", "notes"),
        *Agreement.objects.values_list("text", "review_result"),
        *Notification.objects.values_list("message", flat=True),
        *Respondent.objects.unscoped("test").values_list("name", "address", "notes"),
        *ErasureRecord.objects.values_list(),
        *AuditEntry.objects.values_list("action", "object_type", "object_id", "details"),
    ]
    return str(rows)


# Export


def test_the_export_holds_the_persons_data_and_the_case_file(case):
    data = export_person(person_named(case, CANARY))
    assert data["person"]["name"] == f"Frau {CANARY}"
    assert data["person"]["email"] == "aylin@example.org"
    assert data["case"]["number"] == case.number
    assert data["case"]["case_type"] == {"code": "beratung", "label": "Beratungsfall"}
    assert data["case"]["first_contact"] == "2026-03-02"
    [incident] = data["incidents"]
    assert incident["description"] == "Die Wohnung war plötzlich vergeben."
    assert incident["merkmale"][0]["code"] == "ethnic_origin"
    assert incident["lebensbereich"]["label"] == "Wohnungssuche"
    assert [note["text"] for note in data["notes"]] == ["Rückruf vereinbart"]
    consents = {consent["purpose"]["code"]: consent for consent in data["consents"]}
    assert set(consents) == {"counselling", "statistics"}
    assert consents["counselling"]["text_version"] == 1
    assert consents["counselling"]["text"].startswith("Ich bin einverstanden")
    json.dumps(data)  # JSON-ready


def test_the_export_says_nothing_about_the_other_person_of_the_case(case):
    data = json.dumps(export_person(person_named(case, CANARY)), ensure_ascii=False)
    assert OTHER not in data
    assert "zaun@example.org" not in data
    assert "religion" not in data


def test_a_person_who_is_not_the_advice_seeker_gets_their_own_data_only(case):
    data = export_person(person_named(case, OTHER))
    assert data["person"]["name"] == f"Herr {OTHER}"
    assert data["person"]["characteristics"][0]["code"] == "religion"
    assert data["case_records_included"] is False
    assert (
        data["incidents"],
        data["notes"],
        data["consents"],
        data["documents"],
        data["interventions"],
    ) == ([],) * 5
    assert CANARY not in json.dumps(data, ensure_ascii=False)


def test_the_export_holds_the_interventions_for_the_advice_seeker(case, counsellor_a):
    workflow.record_intervention(
        case,
        kind="claim",
        date=date(2026, 3, 5),
        by=counsellor_a,
        addressee="Hausverwaltung Nord",
        summary="Ansprüche geltend gemacht",
        result="Antwort steht aus",
        next_step="Nachfassen",
    )
    [intervention] = export_person(person_named(case, CANARY))["interventions"]
    assert intervention == {
        "date": "2026-03-05",
        "kind": {"code": "claim", "label": "Geltendmachung von Ansprüchen"},
        "addressee": "Hausverwaltung Nord",
        "summary": "Ansprüche geltend gemacht",
        "result": "Antwort steht aus",
        "next_step": "Nachfassen",
    }
    other = export_person(person_named(case, OTHER))
    assert other["interventions"] == []
    assert "Hausverwaltung Nord" not in json.dumps(other, ensure_ascii=False)


def test_the_export_lists_documents_without_their_content(case, counsellor_a):
    Document.objects.create(
        case=case,
        uploaded_by=counsellor_a,
        title="Absage",
        original_name="absage.pdf",
        storage_name="r" * 32,
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
    )
    [document] = export_person(person_named(case, CANARY))["documents"]
    assert (document["title"], document["file_name"], document["size"]) == (
        "Absage",
        "absage.pdf",
        1234,
    )
    assert "storage_name" not in document


def test_the_json_download_holds_person_a_and_not_person_b(case, login, counsellor_a):
    person = person_named(case, CANARY)
    response = login(counsellor_a).get(url("export_json", case, person))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert f"Frau {CANARY}" in body
    assert OTHER not in body
    entry = AuditEntry.objects.get(action="case.person_exported")
    assert entry.details == {"person": person.pk, "format": "json"}
    assert entry.object_id == str(case.pk)


def test_the_pdf_download_is_readable_and_names_person_and_case(case, login, lead_a):
    person = person_named(case, CANARY)
    response = login(lead_a).get(url("export_pdf", case, person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert CANARY in text
    assert case.number in text
    assert OTHER not in text
    assert AuditEntry.objects.get(action="case.person_exported").details["format"] == "pdf"


def test_a_person_of_another_case_is_not_found_under_this_case(
    case, make_case, login, counsellor_a, org_a
):
    other_case = make_case(org_a, by=counsellor_a, name="Dritte Person")
    stranger = other_case.persons.get()
    for name in ["export_json", "export_pdf", "erase_person"]:
        assert login(counsellor_a).get(url(name, case, stranger)).status_code == 404


# Erasure


def test_erasure_removes_the_person_everywhere(case, lead_a):
    person = person_named(case, CANARY)
    record = erase_person(person, by=lead_a, reason="request")

    assert not Person.objects.filter(pk=person.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM cases_person_characteristics WHERE person_id = %s", [person.pk]
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT name_index FROM cases_person")
        assert not any(name_search_token(CANARY) in row[0] for row in cursor.fetchall())
    assert CANARY not in decrypted_everything()
    assert Incident.objects.get(case=case).description == ""
    assert Note.objects.filter(case=case).count() == 0
    assert Person.objects.filter(case=case).get().name == f"Herr {OTHER}"
    assert (record.scope, record.reason, record.case_number) == ("person", "request", case.number)
    assert CANARY not in str([getattr(record, f.attname) for f in record._meta.concrete_fields])
    entry = AuditEntry.objects.get(action="case.person_erased")
    assert entry.actor == lead_a
    assert entry.details["reason"] == "request"


def add_workflow_records(case, user):
    """Workflow records of the case that name the advice-seeker."""
    intervention = workflow.record_intervention(
        case,
        kind="complaint_letter",
        date=date(2026, 3, 5),
        by=user,
        addressee=f"für Frau {CANARY}",
        summary=f"{CANARY} beschwert sich",
        result=f"{CANARY} erhielt Antwort",
        next_step=f"{CANARY} anrufen",
    )
    task = workflow.add_task(case, title=f"{CANARY} zurückrufen", assignee=user, by=user)
    Letter.objects.create(
        case=case, kind="complaint", recipient=CANARY, subject=CANARY, body=CANARY, created_by=user
    )
    workflow.save_assessment(case, {"grounds": ["ethnic_origin"]}, f"{CANARY} erzählte", by=user)
    session = MediationSession.objects.create(
        case=case, date=date(2026, 3, 6), place=CANARY, topics=CANARY, notes=CANARY
    )
    session.participants.set(case.persons.all())
    Agreement.objects.create(case=case, session=session, text=CANARY, agreed_on=date(2026, 3, 6))
    Notification.objects.create(
        user=user, organisation=case.organisation, case=case, message=f"Rückruf {CANARY}"
    )
    return intervention, task


def test_erasing_the_only_advice_seeker_strips_the_workflow_records(case, lead_a, counsellor_a):
    from wohnfair.cases.privacy import ANONYMISED_TASK_TITLE

    intervention, task = add_workflow_records(case, counsellor_a)
    assert CANARY in decrypted_everything()

    erase_person(person_named(case, CANARY), by=lead_a, reason="request")

    assert CANARY not in decrypted_everything()
    intervention.refresh_from_db()
    assert (intervention.kind.code, intervention.date) == ("complaint_letter", date(2026, 3, 5))
    task.refresh_from_db()
    assert task.title == ANONYMISED_TASK_TITLE
    assert not Letter.objects.filter(case=case).exists()
    assert AggAssessment.objects.get(case=case).result["status"] == "applies"
    session = MediationSession.objects.get(case=case)
    assert [person.name for person in session.participants.all()] == [f"Herr {OTHER}"]
    assert session.notes == ""


def test_erasing_a_further_person_keeps_the_workflow_records(case, lead_a, counsellor_a):
    intervention, task = add_workflow_records(case, counsellor_a)
    erase_person(person_named(case, OTHER), by=lead_a, reason="request")
    intervention.refresh_from_db()
    task.refresh_from_db()
    assert intervention.summary == f"{CANARY} beschwert sich"
    assert task.title == f"{CANARY} zurückrufen"
    assert Letter.objects.filter(case=case).count() == 1
    assert [person.name for person in MediationSession.objects.get().participants.all()] == [
        f"Frau {CANARY}"
    ]


def test_erasure_keeps_the_statistics_of_the_case(case, lead_a):
    erase_person(person_named(case, CANARY), by=lead_a, reason="no_longer_needed")
    case = Case.objects.unscoped("test").get(pk=case.pk)
    incident = case.incidents.get()
    assert (case.case_type, case.first_contact, case.channel.code) == (
        "beratung",
        date(2026, 3, 2),
        "walk_in",
    )
    assert list(incident.merkmale.values_list("code", flat=True)) == ["ethnic_origin"]
    assert incident.lebensbereich.code == "flat_search"


def test_erasure_deletes_the_documents_and_their_files(
    case, lead_a, counsellor_a, media, django_capture_on_commit_callbacks
):
    documents.store_document(case, pdf_upload(), by=counsellor_a, title=f"Brief an {CANARY}")
    assert len(stored_files(media)) == 1
    assert export_person(person_named(case, CANARY))["documents"][0]["file_name"] == "absage.pdf"

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person_named(case, CANARY), by=lead_a, reason="request")

    assert Document.objects.filter(case=case).count() == 0
    assert stored_files(media) == []
    assert CANARY not in decrypted_everything()
    assert AuditEntry.objects.get(action="case.person_erased").details["documents"] == 1


def test_a_failed_erasure_keeps_person_records_and_files(
    case, lead_a, counsellor_a, media, monkeypatch, django_capture_on_commit_callbacks
):
    from wohnfair.cases import privacy

    documents.store_document(case, pdf_upload(), by=counsellor_a)
    person = person_named(case, CANARY)

    def broken_ledger(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(privacy.ErasureRecord.objects, "create", broken_ledger)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erase_person(person, by=lead_a, reason="request")

    assert Person.objects.filter(pk=person.pk).exists()
    assert Note.objects.filter(case=case).count() == 1
    assert Incident.objects.get(case=case).description != ""
    assert Document.objects.filter(case=case).count() == 1
    assert len(stored_files(media)) == 1


def test_erasing_a_further_person_keeps_the_advice_seekers_records(case, lead_a):
    erase_person(person_named(case, OTHER), by=lead_a, reason="consent_withdrawn")
    assert OTHER not in decrypted_everything()
    assert Incident.objects.get(case=case).description != ""
    assert Note.objects.filter(case=case).count() == 1
    assert person_named(case, CANARY)


def test_erasing_one_of_two_advice_seekers_keeps_the_shared_records(case, lead_a):
    services.add_person(case, services.PersonData(name="Zweite Ratsuchende"), by=lead_a)
    erase_person(person_named(case, CANARY), by=lead_a, reason="request")
    assert Incident.objects.get(case=case).description != ""
    assert Note.objects.filter(case=case).count() == 1


def test_an_unknown_reason_is_refused_and_changes_nothing(case, lead_a):
    person = person_named(case, CANARY)
    with pytest.raises(ValueError):
        erase_person(person, by=lead_a, reason="because")
    assert Person.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.count() == 0


def test_the_lead_sees_a_confirmation_page_and_erases_with_a_reason(case, login, lead_a):
    person = person_named(case, CANARY)
    client = login(lead_a)
    page = client.get(url("erase_person", case, person))
    assert page.status_code == 200
    assert "Endgültig löschen" in page.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()  # GET changes nothing

    response = client.post(url("erase_person", case, person), {"reason": "request"})

    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.get().erased_by == lead_a


@pytest.mark.parametrize("reason", [None, "", "because", "request'; DROP TABLE x"])
def test_erasure_without_a_valid_reason_answers_400_in_german_and_changes_nothing(
    case, login, lead_a, reason
):
    person = person_named(case, CANARY)
    data = {} if reason is None else {"reason": reason}
    response = login(lead_a).post(url("erase_person", case, person), data)
    assert response.status_code == 400
    assert "Grund" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert Note.objects.filter(case=case).count() == 1
    assert ErasureRecord.objects.count() == 0
    assert not AuditEntry.objects.filter(action="case.person_erased").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_counsellor_may_not_erase(case, login, counsellor_a, method):
    person = person_named(case, CANARY)
    response = getattr(login(counsellor_a), method)(
        url("erase_person", case, person), {"reason": "request"}
    )
    assert response.status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.count() == 0


@pytest.mark.parametrize("name", ["export_json", "export_pdf", "erase_person"])
@pytest.mark.parametrize("intruder", ["counsellor_b", "lead_b"])
def test_members_of_another_organisation_get_404(case, login, request, name, intruder):
    person = person_named(case, CANARY)
    client = login(request.getfixturevalue(intruder))
    assert client.get(url(name, case, person)).status_code == 404
    assert client.post(url(name, case, person), {"reason": "request"}).status_code == 404
    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="case.person_exported").exists()


@pytest.mark.parametrize("name", ["export_json", "export_pdf", "erase_person"])
def test_anonymous_visitors_are_sent_to_login(case, client, name):
    person = person_named(case, CANARY)
    response = client.get(url(name, case, person))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
