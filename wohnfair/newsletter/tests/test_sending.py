"""Sending a newsletter page: every confirmed subscriber gets exactly one mail, with the
unsubscribe link and header; a rerun sends nothing twice; progress counts are right."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from wohnfair.newsletter import services
from wohnfair.newsletter.models import Delivery, DeliveryStatus, Sending, SendingStatus
from wohnfair.newsletter.tasks import send_newsletter
from wohnfair.newsletter.tests.conftest import make_subscriber


@pytest.fixture
def subscribers(db):
    confirmed = [make_subscriber(f"leser{n}@example.org") for n in range(5)]
    pending = make_subscriber("offen@example.org", status="pending")
    gone = make_subscriber("weg@example.org", status="unsubscribed")
    return confirmed, pending, gone


def test_all_confirmed_get_exactly_one_mail_and_a_rerun_sends_nothing(
    newsletter_page, subscribers, lead_a, django_capture_on_commit_callbacks
):
    confirmed, _pending, _gone = subscribers
    with django_capture_on_commit_callbacks(execute=True):
        sending = services.start_sending(newsletter_page, by=lead_a)
    assert DBTaskResult.objects.filter(task_path__endswith="send_newsletter").count() == 1
    assert sending.total == 5
    sent = send_newsletter.call(sending.pk)
    assert sent == 5
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(s.email for s in confirmed)
    # A retried task finds nothing left to send.
    send_newsletter.call(sending.pk)
    assert len(mail.outbox) == 5
    assert Delivery.objects.filter(sending=sending).count() == 5
    sending.refresh_from_db()
    progress = services.progress(sending)
    assert (progress.total, progress.sent, progress.failed, progress.finished) == (5, 5, 0, True)
    assert sending.status == SendingStatus.DONE


def test_small_batches_still_reach_everyone_once(newsletter_page, subscribers, lead_a):
    sending = Sending.objects.create(page=newsletter_page, started_by=lead_a, total=5)
    services.run_sending(sending.pk, batch_size=2)
    assert len(mail.outbox) == 5
    assert len({message.to[0] for message in mail.outbox}) == 5


def test_the_mail_has_text_html_and_the_unsubscribe_link(newsletter_page, lead_a, db):
    subscriber = make_subscriber("leser@example.org")
    sending = Sending.objects.create(page=newsletter_page, started_by=lead_a, total=1)
    services.run_sending(sending.pk)
    (message,) = mail.outbox
    assert message.subject == "Newsletter März"
    link = services.unsubscribe_url(subscriber)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert link in message.body
    assert "AKTUELLE AKTION" in message.body and "Fachtag" in message.body
    assert "<b>" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<b>Fachtag</b>" in html and link in html
    assert "http" not in html.replace(link, "").replace("http://127.0.0.1:8000", "")


def test_a_failed_mail_is_counted_and_not_retried(newsletter_page, lead_a, db, settings):
    make_subscriber("leser@example.org")
    sending = Sending.objects.create(page=newsletter_page, started_by=lead_a, total=1)
    settings.MAILERS = {
        "default": {"BACKEND": "wohnfair.newsletter.tests.failing_backend.FailingBackend"}
    }
    progress = services.run_sending(sending.pk)
    assert (progress.sent, progress.failed) == (0, 1)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    services.run_sending(sending.pk)
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_a_page_is_sent_once(newsletter_page, subscribers, lead_a):
    services.start_sending(newsletter_page, by=lead_a)
    with pytest.raises(services.AlreadySent):
        services.start_sending(newsletter_page, by=lead_a)
    assert Sending.objects.count() == 1
