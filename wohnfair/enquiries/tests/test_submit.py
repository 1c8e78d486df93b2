"""Sending an enquiry through the public forms: what is stored, mails, double submits."""

import pytest
from django.core import mail
from django.db import connection

from wohnfair.audit.models import AuditEntry
from wohnfair.enquiries.models import EnquiryStatus
from wohnfair.enquiries.tests.conftest import all_enquiries, url, valid_data


@pytest.mark.parametrize("kind", ["contact", "mediation", "support", "accessibility"])
def test_each_kind_is_stored_for_the_site_organisation(post_enquiry, org_a, kind):
    response = post_enquiry(kind)
    assert response.status_code == 302
    assert response.url == f"{url(kind)}danke/"
    assert "Vielen Dank für Ihre Anfrage" in post_enquiry.client.get(response.url).text
    enquiry = all_enquiries().get()
    assert (enquiry.organisation, enquiry.kind, enquiry.status, enquiry.language) == (
        org_a,
        kind,
        EnquiryStatus.NEW,
        "de",
    )
    assert enquiry.email == "aylin@example.org"
    assert enquiry.proof_of_work_verified is True
    assert AuditEntry.objects.filter(action="enquiry.received", organisation=org_a).count() == 1


def test_mediation_and_support_fields_are_kept(post_enquiry):
    post_enquiry("mediation")
    post_enquiry("support")
    mediation = all_enquiries().get(kind="mediation")
    assert (mediation.parties, mediation.address_area, mediation.other_party_knows) == (
        "Ich und die Familie über mir",
        "Nordstadt",
        "no",
    )
    assert mediation.preferred_contact == "phone"
    support = all_enquiries().get(kind="support")
    assert (support.court_stage, support.office_involved, str(support.amount_needed)) == (
        "filed",
        "yes",
        "1200.50",
    )


def test_the_amount_is_optional(post_enquiry):
    assert post_enquiry("support", amount_needed="").status_code == 302
    assert all_enquiries().get().amount_needed is None


def test_contact_data_and_message_are_encrypted_at_rest(post_enquiry):
    post_enquiry(message="Kanarienvogel-4711", name="Zebulon Quast")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, message, email FROM enquiries_enquiry")
        row = cursor.fetchone()
    assert "Kanarienvogel" not in " ".join(row)
    assert "Zebulon" not in " ".join(row)
    assert all_enquiries().get().message == "Kanarienvogel-4711"


def test_english_page_stores_the_language_and_answers_in_english(post_enquiry):
    response = post_enquiry(prefix="/en")
    assert response.status_code == 302
    assert response.url.startswith("/en/anfrage/")
    assert all_enquiries().get().language == "en"


def test_mails_go_out_after_commit_without_content(
    post_enquiry, counsellor_a, lead_a, counsellor_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_enquiry("mediation")
    enquiry = all_enquiries().get()
    sender, staff = sorted(mail.outbox, key=lambda message: len(message.to))
    assert sender.to == ["aylin@example.org"]
    assert "Lärm" not in sender.body and "Aylin" not in sender.body
    assert sorted(staff.to) == ["beratung@a.example", "leitung@a.example"]
    assert f"/staff/anfragen/{enquiry.pk}/" in staff.body
    for text in ("Lärm", "Aylin", "aylin@example.org", "Nordstadt"):
        assert text not in staff.body and text not in staff.subject


def test_no_confirmation_mail_without_an_address(post_enquiry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_enquiry(email="")
    assert all(message.to != [""] for message in mail.outbox)
    assert not [m for m in mail.outbox if "aylin" in " ".join(m.to)]


def test_the_same_form_sent_twice_stores_one_enquiry(client, site_for_a):
    data = valid_data()
    first = client.post(url(), data)
    data["pow"] = valid_data()["pow"]  # a fresh answer: only the form token repeats
    second = client.post(url(), data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert all_enquiries().count() == 1


def test_extra_fields_cannot_set_status_organisation_or_assignee(
    post_enquiry, org_b, counsellor_a, org_a
):
    post_enquiry(status="done", organisation=org_b.pk, assigned_to=counsellor_a.pk)
    enquiry = all_enquiries().get()
    assert (enquiry.status, enquiry.organisation, enquiry.assigned_to) == ("new", org_a, None)


def test_without_a_site_organisation_and_several_offices_nothing_is_stored(client, org_a, org_b):
    response = client.post(url(), valid_data())
    assert response.status_code == 503
    assert "Anfragen können gerade nicht angenommen werden" in response.text
    assert all_enquiries().count() == 0


def test_with_exactly_one_office_enquiries_go_there(client, org_a):
    assert client.post(url(), valid_data()).status_code == 302
    assert all_enquiries().get().organisation == org_a


def test_the_standalone_page_renders_a_complete_form(client, db):
    page = client.get(url("mediation"))
    assert page.status_code == 200
    text = page.text
    for needle in (
        'name="csrfmiddlewaretoken"',
        'name="form_token"',
        'name="form_started"',
        'name="website"',
        'name="pow"',
        "data-pow-url=",
        "intake/pow.js",
        'name="parties"',
        "Anfrage zur Konfliktvermittlung",
    ):
        assert needle in text
    assert "no-store" in page["Cache-Control"]


def test_an_unknown_kind_is_404(client, db):
    assert client.get("/anfrage/unbekannt/").status_code == 404


def test_no_public_page_loads_anything_from_another_host(client, db):
    for kind in ("contact", "support"):
        text = client.get(url(kind)).text
        for attribute in ('src="', 'href="', 'action="'):
            for value in text.split(attribute)[1:]:
                assert value.startswith(("/", "#")), value[:60]
