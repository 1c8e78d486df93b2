"""Follow-up with the receipt code: status and thread, messages and files from the
reporter, one generic answer for wrong codes, throttling."""

import re
import time

import pytest
from django.core import signing

from wohnfair.audit.models import AuditEntry
from wohnfair.intake import receipts, services
from wohnfair.intake.models import ReportFile, ReportMessage
from wohnfair.intake.tests.conftest import png_bytes, stored_files, upload

STATUS_URL = "/melden/status/"
NOT_FOUND = "Zu diesem Code haben wir keine Meldung gefunden."


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def without_csrf(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


@pytest.fixture
def report_with_thread(submitted, counsellor_a):
    report, code = submitted()
    report.test_messages = [
        ReportMessage.objects.create(report=report, author=counsellor_a, body="Antwort der Stelle"),
        ReportMessage.objects.create(
            report=report, author=counsellor_a, body="Interne Notiz Kanarienvogel", internal=True
        ),
        ReportMessage.objects.create(report=report, author=None, body="Nachfrage der Person"),
    ]
    return report, code


def test_the_right_code_shows_status_and_thread_without_internal_notes(client, report_with_thread):
    report, code = report_with_thread
    response = client.post(STATUS_URL, {"receipt": code})
    assert response.status_code == 200
    page = response.text
    assert report.reference in page
    assert "Eingegangen" in page
    assert "Antwort der Stelle" in page
    assert "Nachfrage der Person" in page
    assert "Kanarienvogel" not in page
    assert "no-store" in response["Cache-Control"]
    assert code not in page.replace(" ", "")  # the code is not echoed


@pytest.mark.parametrize("style", ["grouped", "dashes", "arabic"])
def test_codes_may_be_typed_with_spaces_dashes_or_arabic_digits(client, submitted, style):
    report, code = submitted()
    typed = {
        "grouped": receipts.format_code(code),
        "dashes": "-".join(receipts.groups(code)),
        "arabic": "".join("٠١٢٣٤٥٦٧٨٩"[int(digit)] for digit in code),
    }[style]
    assert report.reference in client.post(STATUS_URL, {"receipt": typed}).text


@pytest.mark.parametrize(
    ("status", "label", "writable"),
    [
        ("received", "Eingegangen", True),
        ("in_progress", "In Bearbeitung", True),
        ("closed", "Abgeschlossen", False),
        ("spam", "Abgeschlossen", False),
        ("duplicate", "Abgeschlossen", False),
    ],
)
def test_the_reporter_sees_three_states(client, submitted, status, label, writable):
    report, code = submitted()
    services.reports("test").filter(pk=report.pk).update(status=status)
    page = client.post(STATUS_URL, {"receipt": code}).text
    assert label in page
    assert "Spam" not in page and "Doppelt" not in page
    assert ('name="body"' in page) is writable


def test_wrong_and_malformed_codes_get_one_generic_answer(client, submitted):
    report, code = submitted()
    wrong = str((int(code) + 7) % 10**16).zfill(16)
    answers = [
        without_csrf(client.post(STATUS_URL, {"receipt": typed}).text)
        for typed in (wrong, "1234", "<script>alert(1)</script>", "x" * 60, "٠" * 16)
    ]
    assert all(NOT_FOUND in answer for answer in answers)
    assert len(set(answers)) == 1
    assert "<script>alert(1)" not in answers[0]
    assert report.reference not in answers[0]


def test_an_empty_code_is_asked_for(client, db):
    page = client.post(STATUS_URL, {"receipt": ""}).text
    assert "Bitte geben Sie Ihren Code ein." in page


def test_receipt_attempts_are_throttled_per_address(client, submitted, settings):
    report, code = submitted()
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"receipt": (3, 1000, 600)}
    for _ in range(3):
        client.post(STATUS_URL, {"receipt": "0000 0000 0000 0000"}, REMOTE_ADDR="198.51.100.4")
    blocked = client.post("/en/melden/status/", {"receipt": code}, REMOTE_ADDR="198.51.100.4")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    assert int(blocked["Retry-After"]) > 0
    assert report.reference not in blocked.text
    other = client.post(STATUS_URL, {"receipt": code}, REMOTE_ADDR="198.51.100.5")
    assert report.reference in other.text


def test_receipt_attempts_are_throttled_overall(client, submitted, settings):
    _report, code = submitted()
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"receipt": (100, 3, 600)}
    for number in range(3):
        client.post(STATUS_URL, {"receipt": "1" * 16}, REMOTE_ADDR=f"198.51.100.{number}")
    response = client.post(STATUS_URL, {"receipt": code}, REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429


def open_thread(client, code):
    page = client.post(STATUS_URL, {"receipt": code}).text
    return {"access": hidden(page, "access"), "message_token": hidden(page, "message_token")}


def test_the_reporter_writes_a_message_with_a_file(client, submitted, media):
    report, code = submitted()
    form = open_thread(client, code)
    response = client.post(
        STATUS_URL,
        {
            **form,
            "body": "Hier ist der Brief <b>vom Amt</b>.",
            "files": [upload("<script>.jpg", png_bytes(exif=True))],
        },
    )
    assert response.status_code == 200
    assert "Ihre Nachricht wurde gesendet." in response.text
    message = ReportMessage.objects.get(report=report)
    assert message.author is None and not message.internal
    assert message.body == "Hier ist der Brief <b>vom Amt</b>."
    stored = ReportFile.objects.get(message=message)
    assert stored.original_name == "<script>.jpg"
    assert len(stored_files(media)) == 1
    # shown as text, never as markup
    assert "Hier ist der Brief &lt;b&gt;vom Amt&lt;/b&gt;." in response.text
    assert "&lt;script&gt;.jpg" in response.text
    assert "<script>.jpg" not in response.text
    assert AuditEntry.objects.filter(action="intake.reporter_message").count() == 1


def test_a_resent_message_is_stored_once(client, submitted):
    report, code = submitted()
    form = open_thread(client, code)
    client.post(STATUS_URL, {**form, "body": "Einmal bitte"})
    again = client.post(STATUS_URL, {**form, "body": "Einmal bitte"})
    assert "Wir haben sie nur einmal gespeichert." in again.text
    assert ReportMessage.objects.filter(report=report).count() == 1


def test_a_bad_file_in_a_message_stores_nothing(client, submitted, media):
    report, code = submitted()
    form = open_thread(client, code)
    response = client.post(
        STATUS_URL,
        {**form, "body": "Mit Anhang", "files": [upload("bild.jpg", b"MZ\x90\x00" + b"\x00" * 64)]},
    )
    assert "„bild.jpg“ ist ein Programm." in response.text
    assert ReportMessage.objects.filter(report=report).count() == 0
    assert stored_files(media) == []


def test_an_expired_or_forged_access_token_asks_for_the_code_again(client, submitted, time_machine):
    report, code = submitted()
    form = open_thread(client, code)
    forged = signing.dumps({"r": report.pk, "h": "0" * 16}, salt=services.ACCESS_SALT)
    response = client.post(STATUS_URL, {**form, "access": forged, "body": "Hallo"})
    assert "Bitte geben Sie Ihren Code noch einmal ein." in response.text
    time_machine.move_to(time.time() + services.ACCESS_SECONDS + 60)
    response = client.post(STATUS_URL, {**form, "body": "Hallo"})
    assert "Bitte geben Sie Ihren Code noch einmal ein." in response.text
    assert ReportMessage.objects.filter(report=report).count() == 0


def test_a_closed_report_takes_no_messages(client, submitted):
    report, code = submitted()
    form = open_thread(client, code)
    services.reports("test").filter(pk=report.pk).update(status="closed")
    response = client.post(STATUS_URL, {**form, "body": "Noch etwas"})
    assert "Zu einer abgeschlossenen Meldung" in response.text
    assert ReportMessage.objects.filter(report=report).count() == 0


def test_an_empty_or_too_long_message_is_refused(client, submitted):
    report, code = submitted()
    form = open_thread(client, code)
    assert (
        "Bitte schreiben Sie eine Nachricht."
        in client.post(STATUS_URL, {**form, "body": "   "}).text
    )
    assert (
        "höchstens 10000 Zeichen" in client.post(STATUS_URL, {**form, "body": "x" * 100_000}).text
    )
    assert ReportMessage.objects.filter(report=report).count() == 0


def test_answers_are_marked_read_when_the_reporter_sees_them(client, report_with_thread):
    report, code = report_with_thread
    client.post(STATUS_URL, {"receipt": code})
    answer, internal, question = (
        ReportMessage.objects.get(pk=message.pk) for message in report.test_messages
    )
    assert answer.read_at is not None
    assert internal.read_at is None
    assert question.read_at is None


def test_the_follow_up_page_in_english_and_arabic(client, submitted):
    _report, code = submitted()
    english = client.post("/en/melden/status/", {"receipt": code})
    assert '<html lang="en" dir="ltr">' in english.text
    assert "Received" in english.text
    arabic = client.get("/ar/melden/status/")
    assert '<html lang="ar" dir="rtl">' in arabic.text
