import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services
from wohnfair.cases.models import (
    Case,
    Document,
    ErasureRecord,
    Incident,
    Note,
    Person,
    name_search_token,
)
from wohnfair.cases.retention import add_months, anonymise_expired_cases, is_expired
from wohnfair.cases.tests.conftest import term

CANARY = "Kanarienvogel-7f3a9"
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2030, 1, 15)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime(2030, 1, 15, 3, 0, tzinfo=BERLIN), tick=False)
    return TODAY


@pytest.fixture
def closed_case(make_case, district_a):
    """A closed case with a narrative, a note, a second person and a respondent."""

    def _make(organisation, *, by, closed_on, **fields):
        case = make_case(
            organisation,
            by=by,
            name=f"Frau {CANARY}",
            description=f"Der Vermieter sagte zu {CANARY} ...",
            **fields,
        )
        services.add_person(
            case,
            services.PersonData(
                name=f"Herr {CANARY}",
                role="involved",
                address="Musterstraße 1",
                characteristics=[term("merkmal", "religion")],
            ),
            by=by,
        )
        respondent = services.create_respondent(
            organisation, by=by, kind=term("verursachende", "housing_company"), name="WohnAG"
        )
        Incident.objects.filter(case=case).update(
            respondent=respondent,
            district=district_a if organisation == district_a.organisation else None,
        )
        services.add_note(case, f"Rückruf bei {CANARY}", by=by)
        services.close_case(
            case,
            closing_reason=term("closing_reason", "resolved"),
            outcome=term("outcome", "apology"),
            closed_on=closed_on,
            satisfaction=4,
            by=by,
        )
        return Case.objects.unscoped("test").get(pk=case.pk)

    return _make


def statistics_of(case):
    case = Case.objects.unscoped("test").get(pk=case.pk)
    incident = Incident.objects.get(case=case)
    return {
        "number": case.number,
        "case_type": case.case_type,
        "status": case.status,
        "first_contact": case.first_contact,
        "channel": case.channel.code,
        "language": case.language,
        "who_came": case.who_came,
        "outcome": case.outcome.code,
        "closing_reason": case.closing_reason.code,
        "closed_on": case.closed_on,
        "satisfaction": case.satisfaction,
        "consents": sorted(case.consents.values_list("purpose", flat=True)),
        "incident_date": incident.date,
        "lebensbereich": incident.lebensbereich.code,
        "merkmale": sorted(incident.merkmale.values_list("code", flat=True)),
        "form": incident.form.code,
        "ebene": incident.ebene.code,
        "district": incident.district_id,
        "respondent": incident.respondent_id,
    }


def is_intact(case):
    return (
        Person.objects.filter(case=case).count() == 2
        and Incident.objects.get(case=case).description.endswith("...")
        and Note.objects.filter(case=case).count() == 1
        and Case.objects.unscoped("test").get(pk=case.pk).anonymised_at is None
    )


def test_months_are_added_by_the_calendar():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 37) == date(2030, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_the_period_ends_after_the_last_day_of_retention():
    assert not is_expired(date(2027, 1, 15), 36, TODAY)
    assert is_expired(date(2027, 1, 14), 36, TODAY)
    # 31 January + 1 month is the last day of February: expired from 1 March on.
    assert not is_expired(date(2027, 1, 31), 1, date(2027, 2, 28))
    assert is_expired(date(2027, 1, 31), 1, date(2027, 3, 1))


def test_a_case_closed_37_months_ago_is_anonymised(frozen, closed_case, org_a, counsellor_a):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    before = statistics_of(case)

    assert anonymise_expired_cases() == 1

    case.refresh_from_db()
    assert case.anonymised_at == datetime(2030, 1, 15, 3, 0, tzinfo=BERLIN)
    assert Person.objects.filter(case=case).count() == 0
    assert Incident.objects.get(case=case).description == ""
    assert Note.objects.filter(case=case).count() == 0
    assert statistics_of(case) == before
    assert before["merkmale"] == ["ethnic_origin"]
    assert before["respondent"] is not None


def test_anonymisation_leaves_a_content_free_erasure_record_and_an_audit_entry(
    frozen, closed_case, org_a, counsellor_a
):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    anonymise_expired_cases()

    record = ErasureRecord.objects.get()
    assert (record.organisation, record.case_number) == (org_a, case.number)
    assert (record.scope, record.reason, record.erased_by) == (
        "retention",
        "retention_period",
        None,
    )
    assert CANARY not in str([getattr(record, f.attname) for f in record._meta.concrete_fields])
    entry = AuditEntry.objects.get(action="case.anonymised")
    assert (entry.actor, entry.organisation, entry.object_id) == (None, org_a, str(case.pk))
    assert CANARY not in str(entry.details)


def test_the_canary_is_gone_from_the_stored_rows_after_anonymisation(
    frozen, closed_case, org_a, counsellor_a
):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    canary_token = name_search_token(CANARY.split("-")[0])  # the index of one name word
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_index FROM cases_person WHERE case_id = %s", [case.pk])
        assert any(canary_token in row[0] for row in cursor.fetchall())  # it was there

    anonymise_expired_cases()

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_person WHERE case_id = %s", [case.pk])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT name_index FROM cases_person")
        assert not any(canary_token in row[0] for row in cursor.fetchall())
        cursor.execute("SELECT description FROM cases_incident WHERE case_id = %s", [case.pk])
        assert [row[0] for row in cursor.fetchall()] == [""]
        cursor.execute("SELECT COUNT(*) FROM cases_note WHERE case_id = %s", [case.pk])
        assert cursor.fetchone()[0] == 0
    decrypted = [
        *Person.objects.values_list("name", "email", "phone", "address"),
        *Incident.objects.values_list("description", flat=True),
        *Note.objects.values_list("text", flat=True),
    ]
    assert CANARY not in str(decrypted)


def test_anonymisation_deletes_documents_with_their_files(
    frozen, make_case, org_a, counsellor_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    from pypdf import PdfWriter

    from wohnfair.cases import documents

    settings.MEDIA_ROOT = tmp_path / "media"
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    content = io.BytesIO()
    writer.write(content)
    case = make_case(org_a, by=counsellor_a, name=CANARY)
    upload = SimpleUploadedFile(f"{CANARY}.pdf", content.getvalue())
    document = documents.store_document(case, upload, by=counsellor_a)
    stored = settings.MEDIA_ROOT / documents.storage_path(document.storage_name)
    assert stored.exists()
    services.close_case(
        case,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=date(2026, 12, 15),
        by=counsellor_a,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_cases() == 1

    assert not Document.objects.filter(case=case).exists()
    assert not stored.exists()


def test_a_case_closed_35_months_ago_stays_intact(frozen, closed_case, org_a, counsellor_a):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2027, 2, 15))
    assert anonymise_expired_cases() == 0
    assert is_intact(case)
    assert ErasureRecord.objects.count() == 0


def test_a_case_is_kept_through_the_last_day_of_its_retention_period(
    frozen, closed_case, org_a, counsellor_a
):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2027, 1, 15))
    assert anonymise_expired_cases() == 0
    assert is_intact(case)


def test_a_case_under_legal_hold_stays_intact(frozen, closed_case, org_a, counsellor_a):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2020, 1, 1))
    case.legal_hold = True
    case.save(update_fields=["legal_hold"])
    assert anonymise_expired_cases() == 0
    assert is_intact(case)


def test_an_open_case_stays_intact_however_old(frozen, make_case, org_a, counsellor_a):
    case = make_case(org_a, by=counsellor_a, name=CANARY, first_contact=date(2020, 1, 6))
    assert anonymise_expired_cases() == 0
    assert Person.objects.filter(case=case).count() == 1
    assert Case.objects.unscoped("test").get(pk=case.pk).anonymised_at is None


def test_each_organisation_keeps_data_for_its_own_period(
    frozen, closed_case, org_a, org_b, counsellor_a, counsellor_b
):
    org_b.retention_months = 12
    org_b.save(update_fields=["retention_months"])
    thirteen_months_ago = date(2028, 12, 14)
    case_a = closed_case(org_a, by=counsellor_a, closed_on=thirteen_months_ago)
    case_b = closed_case(org_b, by=counsellor_b, closed_on=thirteen_months_ago)
    eleven_months_ago = closed_case(org_b, by=counsellor_b, closed_on=date(2029, 2, 14))

    assert anonymise_expired_cases() == 1

    assert is_intact(case_a)
    assert is_intact(eleven_months_ago)
    assert Person.objects.filter(case=case_b).count() == 0
    assert ErasureRecord.objects.get().organisation == org_b


def test_a_second_run_changes_nothing(frozen, closed_case, org_a, counsellor_a):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    assert anonymise_expired_cases() == 1
    case.refresh_from_db()
    snapshot = (case.anonymised_at, case.updated_at, statistics_of(case))
    records, entries = ErasureRecord.objects.count(), AuditEntry.objects.count()

    assert anonymise_expired_cases() == 0

    case.refresh_from_db()
    assert (case.anonymised_at, case.updated_at, statistics_of(case)) == snapshot
    assert (ErasureRecord.objects.count(), AuditEntry.objects.count()) == (records, entries)


def test_a_failing_case_is_rolled_back_alone(frozen, closed_case, org_a, counsellor_a, monkeypatch):
    from wohnfair.cases import retention

    first = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 11, 15))
    second = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    original = retention.strip_identities

    def fail_on_first(case):
        result = original(case)
        if case.pk == first.pk:
            raise RuntimeError("disk full")
        return result

    monkeypatch.setattr(retention, "strip_identities", fail_on_first)
    with pytest.raises(retention.RetentionRunError):
        anonymise_expired_cases()

    assert is_intact(first)
    assert Person.objects.filter(case=second).count() == 0
    assert list(ErasureRecord.objects.values_list("case_number", flat=True)) == [second.number]


# Workflow records ----------------------------------------------------------------------


def add_workflow_records(case, user):
    """One of each workflow record of ``case``, each holding the canary."""
    from wohnfair.cases import workflow
    from wohnfair.cases.models import Agreement, Letter, MediationSession, Notification

    intervention = workflow.record_intervention(
        case,
        kind="complaint_letter",
        date=date(2026, 3, 5),
        by=user,
        addressee=f"Vermieter {CANARY}",
        summary=f"Beschwerde für {CANARY}",
        result=f"{CANARY} erhielt eine Antwort",
        next_step=f"{CANARY} anrufen",
    )
    task = workflow.add_task(
        case, title=f"{CANARY} zurückrufen", assignee=user, by=user, due_on=date(2026, 3, 20)
    )
    workflow.complete_task(task, by=user)
    Letter.objects.create(
        case=case,
        kind="complaint",
        recipient=f"Herr {CANARY}",
        subject=f"Betreff {CANARY}",
        body=f"Text {CANARY}",
        created_by=user,
    )
    workflow.save_assessment(
        case,
        {"grounds": ["ethnic_origin"], "mass_business": "no", "evidence": ["ad"]},
        f"Begründung zu {CANARY}",
        by=user,
    )
    session = MediationSession.objects.create(
        case=case,
        date=date(2026, 3, 6),
        place=f"Wohnung {CANARY}",
        interpreter=f"Dolmetscherin {CANARY}",
        topics=f"Lärm bei {CANARY}",
        notes=f"{CANARY} sagte ...",
    )
    session.participants.set(case.persons.all())
    Agreement.objects.create(
        case=case,
        session=session,
        text=f"{CANARY} hält Ruhezeiten ein",
        agreed_on=date(2026, 3, 6),
        review_on=date(2026, 4, 6),
        reviewed_on=date(2026, 4, 7),
        review_result=f"{CANARY} hält sich daran",
    )
    Notification.objects.create(
        user=user, organisation=case.organisation, case=case, message=f"Rückruf {CANARY}"
    )
    return intervention, task


def workflow_dump(case):
    from wohnfair.cases.models import (
        AggAssessment,
        Agreement,
        Intervention,
        Letter,
        MediationSession,
        Notification,
        Task,
    )

    return str(
        [
            *Intervention.objects.filter(case=case).values_list(
                "addressee", "summary", "result", "next_step"
            ),
            *Task.objects.filter(case=case).values_list("title", flat=True),
            *Letter.objects.filter(case=case).values_list("recipient", "subject", "body"),
            *AggAssessment.objects.filter(case=case).values_list("rationale", flat=True),
            *MediationSession.objects.filter(case=case).values_list(
                "place", "interpreter", "topics", "notes"
            ),
            *Agreement.objects.filter(case=case).values_list("text", "review_result"),
            *Notification.objects.filter(case=case).values_list("message", flat=True),
        ]
    )


def test_anonymisation_strips_the_workflow_records_and_keeps_their_statistics(
    frozen, closed_case, org_a, counsellor_a
):
    from wohnfair.cases.models import (
        AggAssessment,
        Agreement,
        Letter,
        MediationSession,
        Notification,
    )
    from wohnfair.cases.privacy import ANONYMISED_TASK_TITLE

    case = closed_case(org_a, by=counsellor_a, closed_on=date(2026, 12, 15))
    intervention, task = add_workflow_records(case, counsellor_a)
    assert CANARY in workflow_dump(case)
    result_before = AggAssessment.objects.get(case=case).result

    assert anonymise_expired_cases() == 1

    assert CANARY not in workflow_dump(case)
    intervention.refresh_from_db()
    assert (intervention.kind.code, intervention.date, intervention.by) == (
        "complaint_letter",
        date(2026, 3, 5),
        counsellor_a,
    )
    assert (intervention.addressee, intervention.summary, intervention.result) == ("", "", "")
    assert intervention.next_step == ""
    task.refresh_from_db()
    assert task.title == ANONYMISED_TASK_TITLE
    assert task.due_on == date(2026, 3, 20)
    assert task.done_at is not None
    assert not Letter.objects.filter(case=case).exists()
    assessment = AggAssessment.objects.get(case=case)
    assert assessment.rationale == ""
    assert assessment.result == result_before
    session = MediationSession.objects.get(case=case)
    assert session.date == date(2026, 3, 6)
    assert session.participants.count() == 0
    agreement = Agreement.objects.get(case=case)
    assert (agreement.agreed_on, agreement.review_on, agreement.reviewed_on) == (
        date(2026, 3, 6),
        date(2026, 4, 6),
        date(2026, 4, 7),
    )
    assert (agreement.text, agreement.review_result) == ("", "")
    assert not Notification.objects.filter(case=case).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT addressee FROM cases_intervention WHERE case_id = %s", [case.pk])
        assert [row[0] for row in cursor.fetchall()] == [""]
        cursor.execute("SELECT COUNT(*) FROM cases_letter WHERE case_id = %s", [case.pk])
        assert cursor.fetchone()[0] == 0


def test_a_case_within_its_retention_period_keeps_its_workflow_records(
    frozen, closed_case, org_a, counsellor_a
):
    case = closed_case(org_a, by=counsellor_a, closed_on=date(2027, 2, 15))
    add_workflow_records(case, counsellor_a)
    before = workflow_dump(case)

    assert anonymise_expired_cases() == 0

    assert workflow_dump(case) == before
    assert CANARY in before
