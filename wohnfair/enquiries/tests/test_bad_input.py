"""Bad input on every enquiry form: a clear German message, nothing stored, no mail."""

import time

import pytest
from django.core import mail

from wohnfair.enquiries.tests.conftest import all_enquiries, pow_answer, url, valid_data
from wohnfair.intake import spam

KINDS = ["contact", "mediation", "support", "accessibility"]


def refused(response, message: str, status: int = 400):
    assert response.status_code == status
    assert message in response.text
    assert "Es wurde noch nichts gespeichert" in response.text or status != 400
    assert all_enquiries().count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_message_is_asked_for(post_enquiry, kind):
    refused(post_enquiry(kind, message=""), "Dieses Feld ist zwingend erforderlich.")


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_email_is_refused(post_enquiry, kind):
    refused(post_enquiry(kind, email="aylin@"), "Bitte gültige E-Mail-Adresse eingeben.")


@pytest.mark.parametrize("kind", KINDS)
def test_oversized_text_is_refused(post_enquiry, kind):
    response = post_enquiry(kind, message="x" * 5001)
    refused(response, "höchstens 5000 Zeichen")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("markup", ["<script>alert(1)</script>", "<b>fett</b>", "<img src=x>"])
def test_markup_in_a_field_is_refused_and_shown_escaped(post_enquiry, kind, markup):
    response = post_enquiry(kind, name=markup)
    refused(response, "Bitte schreiben Sie nur einfachen Text")
    assert markup not in response.text


@pytest.mark.parametrize("kind", KINDS)
def test_a_too_fast_submission_is_refused(post_enquiry, kind):
    response = post_enquiry(kind, form_started=spam.started_token(time.time()))
    refused(response, "Das ging sehr schnell.")


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_honeypot_is_refused(post_enquiry, kind):
    refused(post_enquiry(kind, website="http://spam.example"), "Bitte leer lassen")


@pytest.mark.parametrize("kind", KINDS)
def test_a_forged_start_time_or_proof_of_work_is_refused(post_enquiry, kind):
    refused(post_enquiry(kind, form_started="forged"), "Das Formular ist abgelaufen")
    refused(post_enquiry(kind, pow="Zm9yZ2Vk"), "Die Prüfung gegen automatisch")


def test_a_missing_form_token_is_refused(post_enquiry):
    refused(post_enquiry(form_token=None), "Das Formular ist abgelaufen")


def test_contact_needs_an_email_or_a_phone(post_enquiry):
    refused(
        post_enquiry(email="", phone=""),
        "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.",
    )


def test_accessibility_feedback_may_be_anonymous(post_enquiry):
    assert post_enquiry("accessibility", email="", phone="", name="").status_code == 302
    assert all_enquiries().count() == 1


def test_mediation_needs_parties_and_area(post_enquiry):
    refused(post_enquiry("mediation", parties="", address_area=""), "Wer ist beteiligt?")


def test_invalid_choices_and_amounts_are_refused(post_enquiry):
    refused(post_enquiry("support", court_stage="supreme"), "Bitte eine gültige Auswahl treffen.")
    refused(post_enquiry("support", amount_needed="-5"), "größer oder gleich 0")
    refused(post_enquiry("support", amount_needed="viel"), "Bitte eine Zahl eingeben.")


def test_a_bad_phone_number_is_refused(post_enquiry):
    refused(post_enquiry(phone="call me maybe"), "Telefonnummer")


def test_a_reused_proof_of_work_is_refused(post_enquiry):
    answer = pow_answer()
    assert post_enquiry(pow=answer).status_code == 302
    response = post_enquiry(pow=answer)
    assert response.status_code == 400
    assert "wurde schon verwendet" in response.text
    assert all_enquiries().count() == 1


def test_the_form_comes_back_with_what_was_typed(post_enquiry):
    response = post_enquiry(email="aylin@", message="Mein Anliegen bleibt stehen")
    assert "Mein Anliegen bleibt stehen" in response.text


def test_errors_are_in_english_on_the_english_page(post_enquiry):
    response = post_enquiry(prefix="/en", message="")
    assert response.status_code == 400
    assert all_enquiries().count() == 0


def test_the_rate_limit_answers_429_and_stores_nothing(post_enquiry, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"submit": (1, 1000, 600)}
    assert post_enquiry().status_code == 302
    response = post_enquiry()
    assert response.status_code == 429
    assert "Gerade kommen sehr viele Anfragen an" in response.text
    assert response["Retry-After"]
    assert all_enquiries().count() == 1


def test_without_proof_of_work_the_tighter_limit_applies(post_enquiry, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"unverified": (1, 100, 3600)}
    assert post_enquiry(pow="").status_code == 302
    assert all_enquiries().get().proof_of_work_verified is False
    assert post_enquiry(pow="").status_code == 429
    assert all_enquiries().count() == 1


def test_anything_posted_never_gives_a_server_error(client, site_for_a):
    for data in ({}, {"form_token": "x" * 500}, {"message": "\x00"}, {"amount_needed": "1e999"}):
        for kind in KINDS:
            response = client.post(url(kind), {**valid_data(kind), **data})
            assert response.status_code in (302, 400)
