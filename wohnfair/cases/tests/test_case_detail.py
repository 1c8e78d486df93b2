from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services, workflow
from wohnfair.cases.models import Document
from wohnfair.cases.tests.conftest import term


def test_counsellor_sees_person_incident_and_timeline(login, org_a, counsellor_a, make_case):
    case = make_case(
        org_a, by=counsellor_a, description="Die Maklerin legte auf, als sie den Namen hörte."
    )
    services.add_note(case, "Rückruf vereinbart", by=counsellor_a)
    page = login(counsellor_a).get(case.get_absolute_url()).text
    assert "Aylin Demir" in page
    assert "aylin@example.org" in page
    assert "Maklerin legte auf" in page
    assert "Rückruf vereinbart" in page
    assert "Fall angelegt" in page
    assert "ethnische Herkunft" in page


def test_viewing_a_case_is_audited_without_content(login, org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)
    login(counsellor_a).get(case.get_absolute_url())
    entry = AuditEntry.objects.get(action="case.viewed")
    assert (entry.actor, entry.object_id) == (counsellor_a, str(case.pk))
    assert "Aylin" not in str(entry.details)


def test_lead_sees_the_audit_trail_and_counsellor_does_not(
    login, org_a, lead_a, counsellor_a, make_case
):
    case = make_case(org_a, by=counsellor_a)
    login(counsellor_a).get(case.get_absolute_url())
    trail = login(lead_a).get(f"/staff/faelle/{case.number}/protokoll/")
    assert trail.status_code == 200
    assert "case.viewed" in trail.text
    assert "case.opened" in trail.text
    assert login(counsellor_a).get(f"/staff/faelle/{case.number}/protokoll/").status_code == 404


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_page_runs_a_constant_number_of_queries(login, org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)
    client = login(counsellor_a)
    query_count(client, case.get_absolute_url())  # first request also refreshes the session
    small = query_count(client, case.get_absolute_url())
    for n in range(12):
        services.add_incident(
            case,
            services.IncidentData(
                date=date(2026, 2, n + 1),
                lebensbereich=term("lebensbereich", "tenancy"),
                merkmale=[term("merkmal", "age"), term("merkmal", "religion")],
                evidence=[term("evidence", "emails")],
            ),
            by=counsellor_a,
        )
        services.add_note(case, f"Notiz {n}", by=counsellor_a)
        workflow.record_intervention(
            case,
            kind=term("intervention", "information"),
            date=date(2026, 3, 5),
            by=counsellor_a,
            addressee="Vermieter",
            summary="Telefonat",
            result="",
            next_step="",
        )
        workflow.add_task(
            case,
            title=f"Aufgabe {n}",
            assignee=counsellor_a,
            due_on=date(2026, 12, 1),
            by=counsellor_a,
        )
        services.add_person(
            case, services.PersonData(name=f"Partei {n}", role="party"), by=counsellor_a
        )
        Document.objects.create(
            case=case,
            uploaded_by=counsellor_a,
            original_name=f"d{n}.pdf",
            storage_name=f"s{n:031d}",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    large = query_count(client, case.get_absolute_url())
    assert large == small


def test_anonymised_case_shows_no_edit_actions(login, org_a, counsellor_a, make_case):
    from django.utils import timezone

    case = make_case(org_a, by=counsellor_a)
    case.anonymised_at = timezone.now()
    case.save()
    page = login(counsellor_a).get(case.get_absolute_url()).text
    assert "Anonymisiert am" in page
    assert "Falldaten bearbeiten" not in page
