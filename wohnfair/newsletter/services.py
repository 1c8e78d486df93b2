"""Newsletter workflows: sign-up with double opt-in, confirmation, unsubscribing, sending.

Answers to the public never reveal whether an address is on the list: signing up an
address that is confirmed already looks exactly like a new sign-up (and sends no mail).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from wohnfair.newsletter.models import (
    Delivery,
    DeliveryStatus,
    NewsletterPage,
    Sending,
    SendingStatus,
    Subscriber,
    SubscriberStatus,
    email_index,
)

logger = logging.getLogger(__name__)

CONFIRMATION_HOURS = 72
TOKEN_BYTES = 32
UNSUBSCRIBE_SALT = "wohnfair.newsletter.unsubscribe"
BATCH_SIZE = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Sign-up and confirmation -------------------------------------------------------------


def subscribe(email: str, *, language: str, notify: bool = True) -> Subscriber:
    """Put an address on the list as pending and mail it a confirmation link.

    A confirmed address stays as it is and gets no mail; the caller shows the same
    answer whatever happened.
    """
    email = email.strip()
    index = email_index(email)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email_index=index).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, email_index=index)
            except IntegrityError:  # a twin request created it a moment ago
                subscriber = Subscriber.objects.select_for_update().get(email_index=index)
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return subscriber
        token = secrets.token_urlsafe(TOKEN_BYTES)
        subscriber.email = email
        subscriber.language = (language or settings.LANGUAGE_CODE)[:10]
        subscriber.status = SubscriberStatus.PENDING
        subscriber.token_hash = token_hash(token)
        subscriber.token_expires_at = timezone.now() + timedelta(hours=CONFIRMATION_HOURS)
        subscriber.unsubscribed_at = None
        subscriber.save()
        if notify:
            transaction.on_commit(partial(_send_confirmation, subscriber.pk, token), robust=True)
    return subscriber


def confirmation_url(token: str) -> str:
    return settings.SITE_URL + reverse("newsletter:confirm", args=[token])


def unsubscribe_token(subscriber: Subscriber) -> str:
    """A signature of the subscriber's id, without timestamp: the link in every mail stays
    the same and valid as long as the row exists."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse(
        "newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]
    )


def _send_confirmation(pk: int, token: str) -> None:
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not subscriber.email:
        return
    try:
        with translation.override(subscriber.language):
            context = {
                "confirm_url": confirmation_url(token),
                "hours": CONFIRMATION_HOURS,
                "unsubscribe_url": unsubscribe_url(subscriber),
            }
            send_mail(
                subject=_("Bitte bestätigen Sie Ihre Anmeldung zum Newsletter"),
                message=render_to_string("newsletter/email_confirm.txt", context),
                from_email=None,
                recipient_list=[subscriber.email],
            )
    except Exception:
        logger.exception("the newsletter confirmation mail could not be sent")


class TokenProblem(Exception):
    """``reason``: "invalid" (unknown, forged or used) or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pending_for_token(token: object) -> Subscriber:
    """The pending subscriber a confirmation token belongs to, or TokenProblem."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise TokenProblem("invalid")
    subscriber = Subscriber.objects.filter(
        token_hash=token_hash(token), status=SubscriberStatus.PENDING
    ).first()
    if subscriber is None:
        raise TokenProblem("invalid")
    if subscriber.token_expires_at is None or subscriber.token_expires_at < timezone.now():
        raise TokenProblem("expired")
    return subscriber


def confirm(token: object) -> Subscriber:
    """Confirm a sign-up; the link works once. Raises TokenProblem and changes nothing."""
    with transaction.atomic():
        subscriber = pending_for_token(token)
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.token_hash != subscriber.token_hash or locked.status != SubscriberStatus.PENDING:
            raise TokenProblem("invalid")
        locked.status = SubscriberStatus.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.token_hash = ""
        locked.token_expires_at = None
        locked.save()
    return locked


def subscriber_for_unsubscribe(token: object) -> Subscriber | None:
    """The subscriber an unsubscribe link names, or None when the link is not genuine."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return Subscriber.objects.filter(pk=int(value)).first()


def unsubscribe(subscriber: Subscriber) -> Subscriber:
    """Take the address off the list and erase it; idempotent."""
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.email = ""
    subscriber.token_hash = ""
    subscriber.token_expires_at = None
    subscriber.save()
    return subscriber


def delete_expired_pending(now: Any = None) -> int:
    """Sign-ups never confirmed are deleted a week after their link expired."""
    now = now or timezone.now()
    stale = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, token_expires_at__lt=now - timedelta(days=7)
    ).exclude(pk__in=Delivery.objects.values("subscriber"))
    count, _ = stale.delete()
    return count


# Sending -------------------------------------------------------------------------------


def confirmed_subscribers() -> Any:
    return Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)


class AlreadySent(Exception):
    def __init__(self, sending: Sending) -> None:
        super().__init__("this newsletter was sent already")
        self.sending = sending


def start_sending(page: NewsletterPage, *, by: Any) -> Sending:
    """Create the sending of a page and enqueue its task after commit; once per page."""
    from wohnfair.newsletter.tasks import send_newsletter

    with transaction.atomic():
        existing = Sending.objects.filter(page=page).first()
        if existing is not None:
            raise AlreadySent(existing)
        try:
            with transaction.atomic():
                sending = Sending.objects.create(
                    page=page, started_by=by, total=confirmed_subscribers().count()
                )
        except IntegrityError:
            raise AlreadySent(Sending.objects.get(page=page)) from None
        transaction.on_commit(partial(send_newsletter.enqueue, sending.pk))
    return sending


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    status: str

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def finished(self) -> bool:
        return self.status in (SendingStatus.DONE, SendingStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


def progress(sending: Sending) -> Progress:
    counts = {DeliveryStatus.SENT: 0, DeliveryStatus.FAILED: 0}
    for status in counts:
        counts[status] = sending.deliveries.filter(status=status).count()
    total = max(sending.total, counts[DeliveryStatus.SENT] + counts[DeliveryStatus.FAILED])
    return Progress(
        total=total,
        sent=counts[DeliveryStatus.SENT],
        failed=counts[DeliveryStatus.FAILED],
        status=sending.status,
    )


def render_mail(page: NewsletterPage, subscriber: Subscriber) -> EmailMultiAlternatives:
    """The mail of a newsletter page to one subscriber: text and HTML, with the
    unsubscribe link in the body and in the List-Unsubscribe header."""
    link = unsubscribe_url(subscriber)
    context = {
        "page": page,
        "unsubscribe_url": link,
        "page_url": settings.SITE_URL + (page.url or ""),
        "sender_name": sender_name(page),
    }
    with translation.override(subscriber.language):
        html = render_to_string("newsletter/email_newsletter.html", context)
        text = render_to_string(
            "newsletter/email_newsletter.txt", {**context, "body_text": _text(page)}
        )
    mail = EmailMultiAlternatives(
        subject=page.title,
        body=text,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{link}>"},
    )
    mail.attach_alternative(html, "text/html")
    return mail


def _text(page: NewsletterPage) -> str:
    parts = []
    for block in page.body:
        if block.block_type == "heading":
            parts.append(str(block.value).upper())
        else:
            parts.append(
                strip_tags(
                    str(block.value.source if hasattr(block.value, "source") else block.value)
                )
            )
    return "\n\n".join(part.strip() for part in parts if part.strip())


def sender_name(page: NewsletterPage) -> str:
    from wohnfair.enquiries.models import WebsiteSettings

    site = page.get_site()
    if site is None:
        return ""
    settings_row = WebsiteSettings.objects.filter(site=site).first()
    return settings_row.newsletter_sender_name if settings_row else ""


def send_batch(sending: Sending, *, batch_size: int = BATCH_SIZE) -> int:
    """Send to up to ``batch_size`` confirmed subscribers without a delivery of this
    sending; returns how many were tried. Each delivery is claimed (inserted) before
    its mail goes out, so no rerun or parallel worker sends one twice."""
    page = sending.page.specific
    todo = list(
        confirmed_subscribers()
        .exclude(pk__in=sending.deliveries.values("subscriber"))
        .order_by("pk")[:batch_size]
    )
    tried = 0
    for subscriber in todo:
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(sending=sending, subscriber=subscriber)
        except IntegrityError:
            continue  # another worker has it
        tried += 1
        try:
            mail = render_mail(page, subscriber)
            mail.send()
        except Exception:
            logger.exception("a newsletter mail could not be sent")
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status = DeliveryStatus.SENT
        delivery.save(update_fields=["status", "updated_at"])
    return tried


def run_sending(sending_id: int, *, batch_size: int = BATCH_SIZE) -> Progress:
    """Send a whole newsletter in batches; safe to run again (sends only what is left)."""
    sending = Sending.objects.select_related("page").get(pk=sending_id)
    Sending.objects.filter(pk=sending.pk).update(status=SendingStatus.RUNNING)
    try:
        while send_batch(sending, batch_size=batch_size):
            pass
    except Exception:
        Sending.objects.filter(pk=sending.pk).update(
            status=SendingStatus.FAILED, finished_at=timezone.now()
        )
        raise
    Sending.objects.filter(pk=sending.pk).update(
        status=SendingStatus.DONE, finished_at=timezone.now()
    )
    sending.refresh_from_db()
    return progress(sending)
