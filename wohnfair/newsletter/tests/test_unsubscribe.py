"""Unsubscribing with the link of a mail: GET asks, POST unsubscribes; no login."""

from urllib.parse import urlsplit

from django.core import mail

from wohnfair.newsletter import services
from wohnfair.newsletter.models import Subscriber, SubscriberStatus
from wohnfair.newsletter.tests.conftest import make_subscriber


def path_for(subscriber):
    return urlsplit(services.unsubscribe_url(subscriber)).path


def test_get_asks_post_unsubscribes_and_erases_the_address(client, db):
    subscriber = make_subscriber("leser@example.org")
    path = path_for(subscriber)
    page = client.get(path)
    assert page.status_code == 200 and "Newsletter abbestellen" in page.text
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    done = client.post(path)
    assert done.status_code == 200 and "Sie sind abgemeldet" in done.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.email == "" and subscriber.unsubscribed_at is not None
    assert "bereits abgemeldet" in client.get(path).text
    assert client.post(path).status_code == 200  # idempotent


def test_a_forged_unsubscribe_link_changes_nothing(client, db):
    subscriber = make_subscriber("leser@example.org")
    for token in ("1", f"{subscriber.pk}:forged", "x" * 300):
        response = client.post(f"/newsletter/abmelden/{token}/")
        assert response.status_code == 400
        assert "ungültig" in response.text
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_signing_up_after_unsubscribing_starts_a_new_opt_in(db, django_capture_on_commit_callbacks):
    subscriber = make_subscriber("leser@example.org")
    services.unsubscribe(subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe("leser@example.org", language="de")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.email == "leser@example.org"
    assert len(mail.outbox) == 1
