"""Submitting a report: stored once, encrypted, all or nothing; every bad input refused
with a clear message in the form's language and nothing stored."""

import io
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from wohnfair.audit.models import AuditEntry
from wohnfair.intake import services, spam
from wohnfair.intake.models import PendingReceipt, ReportFile, UsedChallenge
from wohnfair.intake.tests.conftest import (
    URL,
    all_reports,
    png_bytes,
    stored_files,
    upload,
    valid_data,
)

NOTHING_STORED = "Es wurde noch nichts gespeichert."


def assert_nothing_stored(media=None):
    assert all_reports().count() == 0
    assert ReportFile.objects.count() == 0
    if media is not None:
        assert stored_files(media) == []


# The happy path ------------------------------------------------------------------------


def test_an_anonymous_report_is_stored_with_its_answers(post_report):
    data = valid_data()
    response = post_report(data)
    assert response.status_code == 302
    assert response.url.startswith("/melden/bestaetigung/?t=")
    report = all_reports().get()
    assert report.submission_token == data["submission_token"]
    assert report.reference.startswith("M-")
    assert report.language == "de"
    assert report.situations == ["no_answer"]
    assert report.description == data["description"]
    assert report.postcode == "44137"
    assert report.respondent_kind.code == "housing_company"
    assert report.respondent_name == "Wohnbau Beispiel GmbH"
    # "my origin" and "my name" both mean the ground "ethnic origin"
    assert list(report.grounds.values_list("code", flat=True)) == ["ethnic_origin"]
    assert report.wish == "document_only"
    assert report.consents == {"statistics": 1}
    assert report.is_anonymous
    assert report.proof_of_work_verified
    assert report.organisation is None  # no catchment configured: network queue
    assert report.status == "received"
    entry = AuditEntry.objects.get(action="intake.report_received")
    assert entry.actor is None
    assert entry.details == {"source": "web", "files": 0, "anonymous": True, "verified": True}


def test_texts_and_contact_data_are_encrypted_at_rest(post_report):
    post_report(
        valid_data(
            description="Kanarienvogel-Beschreibung",
            respondent_name="Kanarienvogel-Vermieter",
            contact_name="Kanarienvogel-Name",
            contact_email="kanarienvogel@example.org",
            contact_phone="0231 9999",
            call_times="Kanarienvogel-Zeiten",
            consent_counselling="on",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_report")
        raw = str(cursor.fetchall())
    assert "anarienvogel" not in raw
    assert "0231 9999" not in raw
    report = all_reports().get()
    assert report.contact_email == "kanarienvogel@example.org"


@pytest.mark.parametrize(
    ("prefix", "language", "direction"),
    [("", "de", "ltr"), ("/en", "en", "ltr"), ("/tr", "tr", "ltr"), ("/ar", "ar", "rtl")],
)
def test_the_form_in_four_languages(client, post_report, prefix, language, direction):
    page = client.get(f"{prefix}/melden/")
    assert page.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in page.text
    assert "action=" not in page.text.split('class="report-form"')[0].rsplit("<form", 1)[-1]
    response = post_report(valid_data(), url=f"{prefix}/melden/")
    assert response.status_code == 302
    assert response.url.startswith(f"{prefix}/melden/bestaetigung/")
    assert all_reports().get().language == language
    confirmation = client.get(response.url)
    assert f'<html lang="{language}" dir="{direction}">' in confirmation.text


def test_the_german_form_links_the_easy_language_page(client, db):
    page = client.get("/melden/").text
    assert 'href="/melden/leichte-sprache/"' in page
    easy = client.get("/melden/leichte-sprache/")
    assert easy.status_code == 200
    assert "Leichter Sprache" in easy.text


def test_no_public_page_loads_anything_from_another_host(client, db):
    for url in ["/melden/", "/en/melden/status/", "/ar/melden/leichte-sprache/"]:
        page = client.get(url).text
        for attribute in ("src=", "href="):
            for part in page.split(attribute)[1:]:
                target = part[1:].split(part[0], 1)[0]
                assert not target.startswith(("http:", "https:", "//")), (url, target)


def test_pages_are_never_cached(client, post_report):
    assert "no-store" in client.get("/melden/")["Cache-Control"]
    response = post_report(valid_data(description="x" * (20_000)))
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get("/melden/status/")["Cache-Control"]


def test_a_confirmation_mail_goes_out_after_commit_without_the_code(
    post_report, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_report(
            valid_data(contact_email="person@example.org", consent_counselling="on"),
            url="/en/melden/",
        )
        assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["person@example.org"]
    report = all_reports().get()
    assert report.reference in message.body
    assert "/en/melden/status/" in message.body
    page = client.get(response.url).text
    from wohnfair.intake.tests.conftest import receipt_from

    code = receipt_from(page)
    assert code not in message.body.replace(" ", "")
    assert "Nach meinem Namen" not in message.body
    assert "Your report has been received" in message.subject


def test_no_mail_without_an_address(post_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_report(valid_data())
    assert mail.outbox == []


def test_images_are_reencoded_without_metadata_and_stored_encrypted(post_report, media):
    photo = png_bytes((40, 30), exif=True)
    assert b"Kanarienvogel" in photo
    response = post_report(valid_data(), files=[upload("foto.jpg", photo, "image/jpeg")])
    assert response.status_code == 302
    stored = ReportFile.objects.get()
    assert stored.original_name == "foto.jpg"
    assert stored.content_type == "image/jpeg"
    data = services.read_report_file(stored)
    assert b"Kanarienvogel" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (40, 30)
        assert not image.getexif()
    [path] = stored_files(media)
    assert path.name == stored.storage_name
    raw = path.read_bytes()
    assert b"JFIF" not in raw and b"\xff\xd8" not in raw[:4]


def test_up_to_five_files_are_taken(post_report):
    files = [upload(f"bild{i}.png", png_bytes(), "image/png") for i in range(5)]
    assert post_report(valid_data(), files=files).status_code == 302
    assert ReportFile.objects.count() == 5


def test_a_file_name_with_markup_is_kept_as_text(post_report, client):
    response = post_report(valid_data(), files=[upload("<script>.jpg", png_bytes(exif=True))])
    assert response.status_code == 302
    assert ReportFile.objects.get().original_name == "<script>.jpg"


# Idempotency ---------------------------------------------------------------------------


def test_the_same_form_sent_twice_stores_one_report(post_report, client):
    data = valid_data()
    first = post_report(data)
    second = post_report(data)
    assert all_reports().count() == 1
    # The code was not shown yet (the browser dropped the first answer): show it now.
    assert second.status_code == 302
    assert second.url == first.url
    assert "data-receipt-code" in client.get(second.url).text
    # Once shown, a resent form tells which report was stored, without the code.
    third = post_report(data)
    assert third.status_code == 200
    assert "Diese Meldung ist schon angekommen" in third.text
    assert all_reports().get().reference in third.text
    assert "data-receipt-code" not in third.text
    assert all_reports().count() == 1


def test_a_resent_form_with_files_writes_no_second_file(post_report, media):
    data = valid_data()
    post_report(data, files=[upload("a.png", png_bytes(), "image/png")])
    post_report(data, files=[upload("a.png", png_bytes(), "image/png")])
    assert ReportFile.objects.count() == 1
    assert len(stored_files(media)) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_stores_one_report(vocabularies, media):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    data = valid_data()
    barrier = threading.Barrier(4)
    answers = []

    def submit():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            answers.append(Client().post(URL, data))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all_reports().count() == 1
    assert sorted(answer.status_code for answer in answers) in (
        [200, 200, 200, 302],
        [200, 200, 302, 302],
        [200, 302, 302, 302],
        [302, 302, 302, 302],
    )
    report = all_reports().get()
    assert all(answer.status_code == 302 or report.reference in answer.text for answer in answers)


# All or nothing ------------------------------------------------------------------------


def test_a_failure_inside_the_transaction_leaves_no_rows_and_no_files(
    post_report, monkeypatch, media, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "log_action", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        post_report(
            valid_data(contact_email="a@example.org", consent_counselling="on"),
            files=[upload("a.png", png_bytes(), "image/png")],
        )
    assert_nothing_stored(media)
    assert mail.outbox == []


# Staff enter a report through the same form --------------------------------------------


def test_staff_enter_a_report_through_submit_report(counsellor_a, org_a):
    from wohnfair.intake.forms import ReportForm

    data = valid_data(contact_phone="0231 123456", consent_counselling="on")
    for spam_field in ("form_started", "pow", "website"):
        data.pop(spam_field)
    form = ReportForm(data, check_spam=False)
    assert form.is_valid(), form.errors
    report, code = services.submit_report(
        form.cleaned_data, form.cleaned_data["files"], language="tr", entered_by=counsellor_a
    )
    assert len(code) == 16
    assert report.entered_by == counsellor_a
    assert report.language == "tr"
    assert services.find_report_by_receipt(code) == report
    entry = AuditEntry.objects.get(action="intake.report_received")
    assert entry.actor == counsellor_a
    assert entry.details["source"] == "staff"


def test_submit_report_checks_uploads_itself(db, media):
    with pytest.raises(ValidationError):
        services.submit_report(
            {"situations": ["other"], "description": "x", "consents": ["statistics"]},
            [upload("programm.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)],
            language="de",
        )
    assert_nothing_stored(media)


def test_signed_in_staff_skip_the_spam_checks_on_the_public_form(login, counsellor_a, client):
    login(counsellor_a)
    data = valid_data(form_started="", pow="")
    response = client.post(URL, data)
    assert response.status_code == 302
    report = all_reports().get()
    assert report.entered_by == counsellor_a


def test_extra_fields_cannot_set_status_organisation_or_hash(post_report, org_a):
    post_report(
        valid_data(
            status="closed",
            organisation=org_a.pk,
            receipt_hash="0" * 128,
            reference="X-1",
            proof_of_work_verified="",
            entered_by="1",
        )
    )
    report = all_reports().get()
    assert report.status == "received"
    assert report.organisation is None
    assert report.receipt_hash != "0" * 128
    assert report.reference != "X-1"
    assert report.entered_by is None


# Bad input -----------------------------------------------------------------------------


def refused(response, message: str, media=None):
    assert response.status_code == 200
    assert message in response.text, response.text[-4000:]
    assert NOTHING_STORED in response.text or "nothing has been saved" in response.text
    assert_nothing_stored(media)


def test_without_any_consent_nothing_is_stored(post_report):
    refused(
        post_report(valid_data(consent_statistics=None)),
        "Ohne Ihre Einwilligung dürfen wir die Meldung nicht speichern",
    )


def test_counselling_needs_the_counselling_consent(post_report):
    refused(
        post_report(valid_data(wish="counselling")),
        "Dafür brauchen wir Ihre Einwilligung zur Beratung",
    )


def test_contact_data_need_the_counselling_consent(post_report):
    refused(
        post_report(valid_data(contact_email="a@example.org")),
        "Sie haben Kontaktdaten angegeben",
    )


def test_a_date_in_the_future_is_refused(post_report):
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    refused(post_report(valid_data(incident_date=tomorrow)), "Das Datum liegt in der Zukunft")


def test_a_12_mb_file_is_refused(post_report, media):
    big = upload("gross.pdf", b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024))
    refused(post_report(valid_data(), files=[big]), "„gross.pdf“ ist größer als 10 MB.", media)


def test_an_executable_renamed_jpg_is_refused(post_report, media):
    program = upload("urlaub.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    refused(post_report(valid_data(), files=[program]), "„urlaub.jpg“ ist ein Programm.", media)


def test_an_elf_program_and_a_script_are_refused(post_report, media):
    for name, content in [
        ("bild.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 100),
        ("a.txt", b"#!/bin/sh\nrm -rf /\n"),
    ]:
        response = post_report(valid_data(), files=[upload(name, content)])
        refused(response, f"„{name}“ ist ein Programm.", media)


def test_a_program_with_its_own_extension_is_called_a_program(post_report, media):
    response = post_report(valid_data(), files=[upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 100)])
    refused(response, "„setup.exe“ ist ein Programm.", media)


def test_content_that_does_not_match_the_name_is_refused(post_report, media):
    response = post_report(
        valid_data(), files=[upload("brief.pdf", png_bytes(), "application/pdf")]
    )
    refused(response, "„brief.pdf“ ist etwas anderes, als die Endung des Namens sagt.", media)


def test_a_spreadsheet_is_not_taken_on_the_public_form(post_report, media):
    response = post_report(valid_data(), files=[upload("liste.xlsx", b"PK\x03\x04" + b"\x00" * 50)])
    refused(response, "„liste.xlsx“ hat eine Endung, die wir nicht annehmen.", media)


def test_six_files_are_too_many(post_report, media):
    files = [upload(f"b{i}.png", png_bytes(), "image/png") for i in range(6)]
    refused(post_report(valid_data(), files=files), "höchstens 5 Dateien", media)


def test_a_file_name_with_markup_is_shown_escaped_in_an_error(post_report, media):
    name = "<img src=x onerror=alert(1)>.exe"
    response = post_report(valid_data(), files=[upload(name, b"MZ\x00")])
    refused(response, "„&lt;img src=x onerror=alert(1)&gt;.exe“", media)
    assert "<img src=x" not in response.text


def test_100_kb_of_text_is_refused_with_a_message(post_report):
    refused(
        post_report(valid_data(description="x" * 102_400)),
        "Bitte schreiben Sie höchstens 10000 Zeichen (jetzt: 102400).",
    )


def test_long_text_in_a_short_field_is_refused(post_report):
    response = post_report(valid_data(city="x" * 5000))
    assert all_reports().count() == 0
    assert "id_city_error" in response.text


def test_markup_in_any_field_is_shown_as_text(post_report):
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post_report(
        valid_data(
            description=markup,
            city=markup[:100],
            respondent_name=markup,
            contact_name=markup,
            consent_statistics=None,  # an error, so that the form comes back filled in
        )
    )
    assert all_reports().count() == 0
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text


def test_markup_is_stored_as_typed(post_report):
    markup = "<b>fett</b> & <script>alert(1)</script>"
    post_report(valid_data(description=markup))
    assert all_reports().get().description == markup


def test_a_missing_situation_and_wish_are_asked_for(post_report):
    response = post_report(valid_data(situations=None, wish=None))
    refused(response, "Bitte kreuzen Sie mindestens eine Antwort an.")
    assert "Bitte wählen Sie aus, was Sie möchten." in response.text
    assert 'href="#id_situations_0"' in response.text


def test_other_needs_a_description(post_report):
    refused(
        post_report(valid_data(situations=["other"], description="")),
        "Bitte beschreiben Sie kurz, was passiert ist.",
    )


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/en", "The date is in the future"),
        ("/tr", "Tarih gelecekte"),
        ("/ar", "التاريخ في المستقبل"),
    ],
)
def test_messages_come_in_the_language_of_the_form(post_report, prefix, expected):
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = post_report(valid_data(incident_date=tomorrow), url=f"{prefix}/melden/")
    assert expected in response.text
    assert "Das Datum liegt in der Zukunft" not in response.text
    assert all_reports().count() == 0


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("/en", "is a program"), ("/tr", "bir program"), ("/ar", "برنامج")],
)
def test_file_messages_come_in_the_language_of_the_form(post_report, prefix, expected, media):
    program = upload("urlaub.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    response = post_report(valid_data(), url=f"{prefix}/melden/", files=[program])
    assert expected in response.text
    assert_nothing_stored(media)


# Random input --------------------------------------------------------------------------

FIELDS = [
    "submission_token",
    "form_started",
    "pow",
    "website",
    "situations",
    "description",
    "incident_date",
    "date_is_approximate",
    "postcode",
    "city",
    "district",
    "respondent_kind",
    "respondent_name",
    "grounds",
    "wish",
    "consent_publication",
    "contact_name",
    "contact_email",
    "contact_phone",
    "preferred_language",
    "call_times",
    "consent_counselling",
    "consent_statistics",
]
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)
values = st.one_of(text, st.lists(text, max_size=4), st.sampled_from(["on", "", "2026-01-01"]))


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)), st.booleans())
def test_random_form_input_never_gives_a_server_error(client, settings, data, start_valid):
    unlimited = (10**9, 10**9, 600)
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = dict.fromkeys(spam.LIMITS, unlimited)
    payload = valid_data() if start_valid else {}
    payload.update(data)
    for prefix in ("", "/ar"):
        response = client.post(f"{prefix}/melden/", payload)
        assert response.status_code in (200, 302), response.status_code
    receipt = data.get("description", "")
    response = client.post(
        "/melden/status/", {"receipt": receipt if isinstance(receipt, str) else ""}
    )
    assert response.status_code == 200


def test_the_consent_wordings_on_the_form_are_in_the_catalogue(db):
    from wohnfair.cases.models import ConsentText
    from wohnfair.intake.forms import CONSENT_TEXT_MSGIDS

    assert set(ConsentText.objects.values_list("text", flat=True)) <= set(CONSENT_TEXT_MSGIDS)


def test_files_left_by_an_outer_rollback_are_cleaned_up_later(post_report, media, time_machine):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    post_report(valid_data(), files=[upload("bleibt.png", png_bytes(), "image/png")])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_report(
            {"situations": ["other"], "description": "x", "consents": ["statistics"]},
            [upload("waise.png", png_bytes(), "image/png")],
            language="de",
        )
        raise RuntimeError("the caller's transaction fails after the report was stored")
    assert len(stored_files(media)) == 2
    assert services.delete_orphaned_report_files() == 0  # young files are kept
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert services.delete_orphaned_report_files() == 1
    [kept] = stored_files(media)
    assert kept.name == ReportFile.objects.get().storage_name


def test_a_taken_reference_is_replaced_and_nothing_of_the_first_try_stays(post_report, monkeypatch):
    assert post_report(valid_data()).status_code == 302
    taken = all_reports().get().reference
    fresh = iter([taken, "M-2026-NEW234"])
    monkeypatch.setattr(services, "new_reference", lambda year=None: next(fresh))
    data = valid_data()
    assert post_report(data).status_code == 302
    report = all_reports().get(submission_token=data["submission_token"])
    assert report.reference == "M-2026-NEW234"
    assert AuditEntry.objects.filter(action="intake.report_received").count() == 2
    assert PendingReceipt.objects.count() == 2


def test_when_no_free_reference_is_found_nothing_is_stored(post_report, monkeypatch, media):
    assert post_report(valid_data()).status_code == 302
    taken = all_reports().get().reference
    monkeypatch.setattr(services, "new_reference", lambda year=None: taken)
    with pytest.raises(RuntimeError, match="no free reference"):
        post_report(valid_data(), files=[upload("a.png", png_bytes(), "image/png")])
    assert all_reports().count() == 1
    assert UsedChallenge.objects.count() == 1
    assert len(stored_files(media)) == 0
