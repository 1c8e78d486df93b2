"""Staff enter a report taken by phone or at the counter, and see its receipt code once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wohnfair.audit.models import AuditEntry
from wohnfair.intake import receipts
from wohnfair.intake.models import CatchmentArea, Report

ENTER = reverse("intake:enter_report")
TOKEN = "staff-entered-" + "x" * 24


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**changes):
    data = {
        "submission_token": TOKEN,
        "situations": ["no_answer"],
        "description": "Am Telefon: Absage nach Nennung des Namens.",
        "postcode": "44795",
        "city": "Bochum",
        "wish": "counselling",
        "grounds": ["name"],
        "contact_name": "Aylin Demir",
        "contact_phone": "0231 555 0101",
        "preferred_language": "tr",
        "consent_counselling": "on",
        "consent_statistics": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def reports():
    return Report.objects.unscoped("test")


def png_upload():
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(output, format="PNG")
    return SimpleUploadedFile("anzeige.png", output.getvalue(), content_type="image/png")


def test_the_page_shows_the_report_form(login, counsellor_a):
    response = login(counsellor_a).get(ENTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Meldung aufnehmen" in page
    assert 'name="submission_token"' in page
    assert 'name="situations"' in page


def test_a_report_taken_by_phone_belongs_to_the_office_and_shows_the_code_once(
    login, counsellor_a, org_a, org_b
):
    # The catchment would send the report elsewhere; the office that took it keeps it.
    CatchmentArea.objects.create(organisation=org_b, postcode_prefix="447")
    client = login(counsellor_a)
    response = client.post(ENTER, form_data(files=[png_upload()]))
    assert response.status_code == 302
    report = reports().get()
    assert report.entered_by == counsellor_a
    assert report.organisation == org_a
    assert report.language == "tr"
    assert report.files.count() == 1
    assert AuditEntry.objects.filter(action="report.taken_by_office").exists()

    shown = client.get(response.url)
    assert shown.status_code == 200
    groups = shown.context["code_groups"]
    assert len(groups) == 4 and all(len(group) == 4 for group in groups)
    assert receipts.verify("".join(groups), report.receipt_hash)
    assert report.reference in shown.content.decode()

    again = client.get(response.url)
    assert again.context["code_groups"] is None
    assert "bereits angezeigt" in again.content.decode()


def test_a_resent_form_stores_one_report(login, counsellor_a):
    client = login(counsellor_a)
    client.post(ENTER, form_data())
    response = client.post(ENTER, form_data())
    assert reports().count() == 1
    assert response.status_code == 302
    assert response.url == reverse("intake:detail", args=[reports().get().reference])


def test_bad_input_is_refused_and_nothing_is_stored(login, counsellor_a):
    response = login(counsellor_a).post(
        ENTER, form_data(situations=None, consent_counselling=None, consent_statistics=None)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte kreuzen Sie mindestens eine Antwort an." in page
    assert "Es wurde noch nichts gespeichert." in page
    assert not reports().exists()


def test_the_code_link_of_another_office_answers_404_and_keeps_the_code(
    login, counsellor_a, counsellor_b
):
    response = login(counsellor_a).post(ENTER, form_data())
    assert login(counsellor_b).get(response.url).status_code == 404
    assert login(counsellor_a).get(response.url).context["code_groups"] is not None


def test_a_forged_code_link_answers_404(login, counsellor_a):
    assert login(counsellor_a).get(ENTER, {"t": "forged"}).status_code == 404
