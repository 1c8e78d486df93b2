"""Opening a case from a report keeps the link, the consent versions, the grounds and the files."""

import hashlib
import io
import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import documents
from wohnfair.cases.models import Case, ConsentText, Respondent
from wohnfair.intake import services as intake_services
from wohnfair.intake import triage
from wohnfair.intake.models import Report, ReportFile, ReportStatus
from wohnfair.intake.tests.staff_helpers import make_report, reporter_message, term

TOKEN = "open-case-token-" + "a" * 20


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(colour="red"):
    output = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(output, format="PNG")
    return output.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(report, data, name, content_type, message=None):
    return ReportFile.objects.create(
        report=report,
        message=message,
        original_name=name,
        storage_name=intake_services.write_file(data),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


@pytest.fixture
def report_a(org_a):
    return make_report(
        org_a,
        situations=["neighbour_harassment"],
        description="Die Nachbarn beschimpfen uns seit Monaten.",
        incident_date=date(2026, 2, 20),
        contact_name="Mehmet Yılmaz",
        contact_email="m.yilmaz@example.org",
        contact_phone="0231 555 0101",
        preferred_language="tr",
        call_times="werktags ab 17 Uhr",
        respondent_name="Hausverwaltung Krause",
        respondent_kind=term("verursachende", "agent"),
        grounds=["ethnic_origin", "religion"],
        consents={"counselling": 1, "statistics": 1},
    )


def fresh(report):
    return Report.objects.unscoped("test").get(pk=report.pk)


def cases():
    return Case.objects.unscoped("test")


# The service ---------------------------------------------------------------------------


def test_the_case_is_prefilled_from_the_report(report_a, counsellor_a, org_a):
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    assert case.organisation == org_a
    assert case.case_type == "beratung"
    assert case.channel == term("channel", "web_report")
    assert case.language == "tr"
    assert case.first_contact == timezone.localdate(report_a.created_at)
    assert list(case.counsellors.all()) == [counsellor_a]

    person = case.persons.get()
    assert (person.name, person.email, person.phone, person.preferred_language) == (
        "Mehmet Yılmaz",
        "m.yilmaz@example.org",
        "0231 555 0101",
        "tr",
    )
    incident = case.incidents.get()
    assert incident.date == date(2026, 2, 20)
    assert not incident.date_is_approximate
    assert incident.lebensbereich == term("lebensbereich", "neighbourhood")
    assert {t.code for t in incident.merkmale.all()} == {"ethnic_origin", "religion"}
    assert incident.description == "Die Nachbarn beschimpfen uns seit Monaten."
    note = case.notes.get().text
    assert "werktags ab 17 Uhr" in note and report_a.reference in note

    report = fresh(report_a)
    assert report.case == case
    assert report.status == ReportStatus.IN_PROGRESS
    assert report.assigned_to == counsellor_a
    assert case.report == report


def test_the_consents_keep_the_versions_the_reporter_agreed_to(report_a, counsellor_a):
    ConsentText.objects.create(
        purpose="counselling", version=2, text="Neue Fassung", valid_from=date(2026, 1, 2)
    )
    assert ConsentText.current("counselling").version == 2
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    assert {(c.purpose, c.text.version) for c in case.consents.all()} == {
        ("counselling", 1),
        ("statistics", 1),
    }
    assert all(c.given_on == timezone.localdate(report_a.created_at) for c in case.consents.all())


def test_an_anonymous_report_gets_a_pseudonym_the_fallback_ground_and_an_approximate_date(
    org_a, counsellor_a
):
    report = make_report(org_a, grounds=[], incident_date=None, consents={"statistics": 1})
    case = triage.open_case_from_report(report, by=counsellor_a)
    assert case.persons.get().name == f"Anonyme Meldung {report.reference}"
    incident = case.incidents.get()
    assert [t.code for t in incident.merkmale.all()] == ["other"]
    assert incident.date == timezone.localdate(report.created_at)
    assert incident.date_is_approximate
    assert incident.lebensbereich == term("lebensbereich", "flat_search")


@pytest.mark.parametrize(
    ("situations", "area"),
    [
        (["neighbour_harassment"], "neighbourhood"),
        (["authority"], "allocation"),
        (["landlord_harassment"], "tenancy"),
        (["ad_excluded", "viewing_refused"], "flat_search"),
        (["no_answer", "authority"], "allocation"),
        (["other"], "flat_search"),
        ([], "flat_search"),
        (["unknown-code"], "flat_search"),
    ],
)
def test_the_area_of_life_follows_the_mapping_table(situations, area):
    assert triage.lebensbereich_code(situations) == area


def test_every_situation_has_an_area_of_life():
    from wohnfair.intake.models import Situation

    assert set(triage.SITUATION_LEBENSBEREICH) == set(Situation.values)


def test_a_report_taken_by_staff_gets_the_staff_channel(org_a, counsellor_a, lead_a):
    report = make_report(org_a, entered_by=lead_a)
    case = triage.open_case_from_report(report, by=counsellor_a)
    assert case.channel == term("channel", "telephone")


def test_the_files_become_case_documents_once_each(report_a, counsellor_a):
    image = png_bytes()
    attach(report_a, image, "anzeige.png", "image/png")
    attach(report_a, PDF, "absage.pdf", "application/pdf")
    later = reporter_message(report_a, "Noch ein Bild")
    attach(report_a, image, "anzeige-nochmal.png", "image/png", message=later)
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    docs = list(case.documents.order_by("pk"))
    assert [d.original_name for d in docs] == ["anzeige.png", "absage.pdf"]
    assert documents.read_document(docs[0]) == image
    assert documents.read_document(docs[1]) == PDF
    assert docs[0].title == f"Aus der Meldung {report_a.reference}"
    assert {t.code for t in case.incidents.get().evidence.all()} == {"photos"}


def test_a_failure_after_the_files_were_stored_leaves_no_file_behind(
    report_a, counsellor_a, monkeypatch, settings
):
    attach(report_a, PDF, "absage.pdf", "application/pdf")
    real_log_action = triage.log_action

    def failing(actor, organisation, action, *args, **kwargs):
        if action == "report.case_opened":
            raise RuntimeError("database gone")
        return real_log_action(actor, organisation, action, *args, **kwargs)

    monkeypatch.setattr(triage, "log_action", failing)
    with pytest.raises(RuntimeError):
        triage.open_case_from_report(report_a, by=counsellor_a)
    assert not cases().exists()
    assert list((settings.MEDIA_ROOT / documents.DIRECTORY).iterdir()) == []


def test_an_existing_respondent_is_linked(report_a, counsellor_a, org_a):
    respondent = Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "agent"), name="Hausverwaltung Krause"
    )
    case = triage.open_case_from_report(report_a, by=counsellor_a, respondent=respondent)
    assert case.incidents.get().respondent == respondent


def test_a_new_respondent_is_created(report_a, counsellor_a, org_a):
    case = triage.open_case_from_report(
        report_a,
        by=counsellor_a,
        new_respondent=triage.NewRespondent("Krause GmbH", term("verursachende", "agent")),
    )
    respondent = case.incidents.get().respondent
    assert respondent.name == "Krause GmbH"
    assert respondent.organisation == org_a


def test_a_foreign_respondent_is_refused_and_nothing_is_stored(report_a, counsellor_a, org_b):
    foreign = Respondent.objects.create(
        organisation=org_b, kind=term("verursachende", "agent"), name="Fremd"
    )
    with pytest.raises(triage.TriageError):
        triage.open_case_from_report(report_a, by=counsellor_a, respondent=foreign)
    assert not cases().exists()
    assert fresh(report_a).case is None


@pytest.mark.parametrize(
    "fields",
    [{"status": ReportStatus.SPAM}, {"status": ReportStatus.DUPLICATE}, {"organisation": None}],
)
def test_spam_duplicates_and_queued_reports_open_no_case(org_a, counsellor_a, fields):
    report = make_report(fields.pop("organisation", org_a), **fields)
    with pytest.raises(triage.TriageError):
        triage.open_case_from_report(report, by=counsellor_a)
    assert not cases().exists()


def test_opening_twice_gives_one_case(report_a, counsellor_a):
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    with pytest.raises(triage.CaseAlreadyOpened) as raised:
        triage.open_case_from_report(report_a, by=counsellor_a)
    assert raised.value.case == case
    assert cases().count() == 1


def test_an_unknown_consent_version_stops_everything(org_a, counsellor_a):
    report = make_report(org_a, consents={"counselling": 7})
    with pytest.raises(triage.TriageError, match="unbekannte Textversion"):
        triage.open_case_from_report(report, by=counsellor_a)
    assert not cases().exists()


def test_an_unreadable_file_stops_everything(report_a, counsellor_a, monkeypatch):
    attach(report_a, PDF, "absage.pdf", "application/pdf")

    def broken(report_file):
        raise OSError("disk gone")

    monkeypatch.setattr(triage, "report_file_bytes", broken)
    with pytest.raises(triage.TriageError):
        triage.open_case_from_report(report_a, by=counsellor_a)
    assert not cases().exists()
    assert not Respondent.objects.unscoped("test").exists()
    report = fresh(report_a)
    assert report.case is None and report.status == ReportStatus.RECEIVED


def test_the_audit_names_codes_only(report_a, counsellor_a):
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    entry = AuditEntry.objects.get(action="report.case_opened")
    assert entry.details == {"case": case.pk, "old": "received"}
    for entry in AuditEntry.objects.all():
        assert "Mehmet" not in str(entry.details) and "Nachbarn" not in str(entry.details)


def test_concurrent_openings_make_one_case(vocabularies, org_a, counsellor_a):
    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    report = make_report(org_a)
    outcomes = []

    def open_one():
        from django.db import connection as thread_connection

        try:
            triage.open_case_from_report(fresh(report), by=counsellor_a)
            outcomes.append("opened")
        except triage.CaseAlreadyOpened:
            outcomes.append("already")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "already", "already", "opened"]
    assert cases().count() == 1


# The page ------------------------------------------------------------------------------


def url(report):
    return reverse("intake:open_case", args=[report.reference])


def post_data(**changes):
    data = {
        "form_token": TOKEN,
        "channel": term("channel", "web_report").pk,
        "respondent": "",
        "respondent-new_respondent_name": "",
        "respondent-new_respondent_kind": "",
    }
    data.update(changes)
    return data


def test_the_page_offers_a_similar_respondent(login, counsellor_a, org_a, report_a):
    Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "agent"), name="Hausverwaltung Krause GmbH"
    )
    response = login(counsellor_a).get(url(report_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ähnliche Verursachende gibt es schon" in page
    assert "Hausverwaltung Krause GmbH" in page
    assert 'value="Hausverwaltung Krause"' in page  # the name from the report, prefilled
    assert AuditEntry.objects.filter(action="report.viewed").exists()


def test_a_similar_name_must_be_confirmed_before_a_new_respondent(
    login, counsellor_a, org_a, report_a
):
    Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "agent"), name="Hausverwaltung Krause GmbH"
    )
    new = {
        "respondent-new_respondent_name": "Hausverwaltung Krause",
        "respondent-new_respondent_kind": term("verursachende", "agent").pk,
    }
    client = login(counsellor_a)
    response = client.post(url(report_a), post_data(**new))
    assert response.status_code == 400
    assert "Ähnliche Verursachende gibt es schon" in response.content.decode()
    assert not cases().exists()
    response = client.post(
        url(report_a),
        post_data(form_token="b" * 30, **new, **{"respondent-confirm_new_respondent": "on"}),
    )
    case = cases().get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.incidents.get().respondent.name == "Hausverwaltung Krause"


def test_choosing_the_offered_respondent(login, counsellor_a, org_a, report_a):
    existing = Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "agent"), name="Hausverwaltung Krause GmbH"
    )
    response = login(counsellor_a).post(url(report_a), post_data(respondent=existing.pk))
    assert response.status_code == 302
    assert cases().get().incidents.get().respondent == existing


def test_a_foreign_respondent_id_is_refused(login, counsellor_a, org_b, report_a):
    foreign = Respondent.objects.create(
        organisation=org_b, kind=term("verursachende", "agent"), name="Fremd"
    )
    response = login(counsellor_a).post(url(report_a), post_data(respondent=foreign.pk))
    assert response.status_code == 400
    assert "gehören nicht zu Ihrer Organisation" in response.content.decode()
    assert not cases().exists()


def test_a_double_submission_opens_one_case(login, counsellor_a, report_a):
    client = login(counsellor_a)
    first = client.post(url(report_a), post_data())
    second = client.post(url(report_a), post_data())
    case = cases().get()
    assert first.url == case.get_absolute_url()
    assert second.status_code == 302 and second.url == case.get_absolute_url()
    third = client.post(url(report_a), post_data(form_token="c" * 30))
    assert third.url == case.get_absolute_url()
    assert cases().count() == 1


def test_a_missing_form_token_is_refused(login, counsellor_a, report_a):
    response = login(counsellor_a).post(url(report_a), post_data(form_token=""))
    assert response.status_code == 400
    assert "Das Formular ist ungültig" in response.content.decode()
    assert not cases().exists()


def test_reporter_messages_stay_reachable_from_the_case(login, counsellor_a, report_a):
    client = login(counsellor_a)
    client.post(url(report_a), post_data())
    case = cases().get()
    reporter_message(report_a, "Gibt es Neuigkeiten?")
    detail = client.get(reverse("intake:detail", args=[report_a.reference])).content.decode()
    assert case.get_absolute_url() in detail
    assert "Gibt es Neuigkeiten?" in detail
    assert [m.body for m in case.report.messages.all()] == ["Gibt es Neuigkeiten?"]


def test_a_confidential_case_hides_its_report_from_counsellors_who_may_not_open_it(
    login, report_a, lead_a, counsellor_a, org_a
):
    from wohnfair.accounts.models import Role
    from wohnfair.cases import services as case_services
    from wohnfair.intake.tests.staff_helpers import member

    other = member(org_a, Role.COUNSELLOR, "zweite@a.example")
    case = triage.open_case_from_report(report_a, by=counsellor_a)
    case_services.set_restricted(case, True, by=lead_a)
    detail = reverse("intake:detail", args=[report_a.reference])
    assert login(other).get(detail).status_code == 404
    assert (
        report_a.reference
        not in login(other).get(reverse("intake:queue"), {"status": "alle"}).content.decode()
    )
    assert login(counsellor_a).get(detail).status_code == 200
    assert login(lead_a).get(detail).status_code == 200
