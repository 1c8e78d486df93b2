"""Double opt-in end to end: sign up, mail, confirm once; reuse, forgery and expiry refused."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from wohnfair.newsletter import services
from wohnfair.newsletter.models import Subscriber, SubscriberStatus
from wohnfair.newsletter.tests.conftest import (
    SIGNUP,
    link_in,
    make_subscriber,
    outbox_to,
    signup_data,
)

SAME_ANSWER = "Wenn die Adresse noch nicht angemeldet ist"


def sign_up(client, capture, **changes):
    with capture(execute=True):
        response = client.post(SIGNUP, signup_data(**changes))
    return response


def test_sign_up_confirm_once_and_the_link_is_spent(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert SAME_ANSWER in client.get(response.url).text
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    (message,) = mail.outbox
    assert message.to == ["leser@example.org"]
    link = link_in(message, "bestaetigen")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in subscriber.token_hash  # only a hash is stored
    assert subscriber.token_hash == services.token_hash(token)
    # Opening the link changes nothing (mail scanners follow links); the button confirms.
    page = client.get(link)
    assert page.status_code == 200 and "Ja, Newsletter bestellen" in page.text
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Anmeldung bestätigt" in confirmed.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.confirmed_at is not None and subscriber.token_hash == ""
    # The link is spent: a second use is refused and changes nothing.
    for method in (client.get, client.post):
        again = method(link)
        assert again.status_code == 400
        assert "ungültig oder wurde schon verwendet" in again.text
    assert Subscriber.objects.get().confirmed_at == subscriber.confirmed_at


def test_the_address_is_encrypted_and_unique_by_blind_index(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, email="Kanarie@Example.org")
    sign_up(client, django_capture_on_commit_callbacks, email="kanarie@example.org")
    assert Subscriber.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM newsletter_subscriber")
        assert "anarie" not in cursor.fetchone()[0]


def test_a_forged_link_is_refused(client, db):
    make_subscriber("leser@example.org", status="pending")
    for token in ("x" * 43, "kurz", "a" * 300):
        response = client.post(f"/newsletter/bestaetigen/{token}/")
        assert response.status_code == 400
        assert "ungültig" in response.text
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_an_expired_link_is_refused_and_changes_nothing(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0], "bestaetigen")
    Subscriber.objects.update(token_expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(link)
    assert response.status_code == 400
    assert "abgelaufen" in response.text
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_signing_up_again_sends_a_new_link_and_the_old_one_dies(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks)
    first, second = (link_in(message, "bestaetigen") for message in mail.outbox)
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_a_confirmed_address_gets_the_same_answer_and_no_mail(
    client, django_capture_on_commit_callbacks
):
    make_subscriber("leser@example.org")
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == "/newsletter/anmelden/danke/"
    assert mail.outbox == []
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_the_language_of_the_page_is_kept(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en" + SIGNUP, signup_data())
    assert response.status_code == 302
    assert Subscriber.objects.get().language == "en"
    assert outbox_to("leser@example.org")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"email": "leser@"}, "Bitte gültige E-Mail-Adresse eingeben."),
        ({"email": "a" * 250 + "@example.org"}, "höchstens 254 Zeichen"),
        ({"email": "<b>x</b>@example.org"}, "Bitte"),
        ({"website": "spam"}, "Bitte leer lassen"),
        ({"form_started": "forged"}, "Das Formular ist abgelaufen"),
        ({"pow": "Zm9yZ2Vk"}, "Die Prüfung gegen automatisch"),
        ({"form_token": None}, "Das Formular ist abgelaufen"),
    ],
)
def test_bad_sign_up_input_is_refused_with_a_message(
    client, django_capture_on_commit_callbacks, changes, message
):
    response = sign_up(client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 400
    assert message in response.text
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_a_too_fast_sign_up_is_refused(client, django_capture_on_commit_callbacks):
    import time

    from wohnfair.intake import spam

    response = sign_up(
        client, django_capture_on_commit_callbacks, form_started=spam.started_token(time.time())
    )
    assert response.status_code == 400
    assert "Das ging sehr schnell." in response.text
    assert Subscriber.objects.count() == 0 and mail.outbox == []
