"""Newsletter: subscribers with double opt-in, newsletter pages, and their sending.

A subscriber's e-mail address is encrypted; a blind index (keyed hash) keeps it unique
and findable. The confirmation link carries a random token of which only the SHA-256
is stored; it expires and works once. Sending a newsletter page records one
``Delivery`` per subscriber, unique per sending, so a retried task never mails twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wohnfair.lib import crypto
from wohnfair.lib.fields import EncryptedCharField

INDEX_CONTEXT = "newsletter.email"


def email_index(email: str) -> str:
    """The blind index that finds a subscriber by address (keyed with the current key)."""
    return crypto.blind_index(email.strip(), INDEX_CONTEXT)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("unbestätigt")
    CONFIRMED = "confirmed", _("bestätigt")
    UNSUBSCRIBED = "unsubscribed", _("abgemeldet")


class Subscriber(models.Model):
    """One address on the newsletter list.

    Transitions (``services``): pending -> confirmed (link in the confirmation mail);
    pending | confirmed -> unsubscribed (link in every mail; the address is then
    erased, the blind index stays so a new sign-up finds the row); unsubscribed ->
    pending (signing up again).
    """

    email = EncryptedCharField(_("E-Mail-Adresse"), blank=True)
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnent*in")
        verbose_name_plural = _("Abonnent*innen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} #{self.pk}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The index follows the address and the current key, so that
        # ``rotate_encryption_keys`` rebuilds it; an erased address keeps its old index.
        if self.email:
            self.email_index = email_index(self.email)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class NewsletterPage(Page):
    """One newsletter issue: a web page and the mail sent to every confirmed subscriber."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Zwischenüberschrift"), form_classname="title")),
            (
                "paragraph",
                blocks.RichTextBlock(
                    label=_("Absatz"), features=["bold", "italic", "link", "ol", "ul"]
                ),
            ),
        ],
        blank=True,
        verbose_name=_("Inhalt"),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types: list[str] = []
    template = "newsletter/newsletter_page.html"

    class Meta:
        verbose_name = _("Newsletter")
        verbose_name_plural = _("Newsletter")


class SendingStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("wird versendet")
    DONE = "done", _("versendet")
    FAILED = "failed", _("abgebrochen")


class Sending(models.Model):
    """Sending one newsletter page to the list; one per page (a page goes out once)."""

    page = models.OneToOneField(NewsletterPage, on_delete=models.CASCADE, related_name="sending")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SendingStatus.choices, default=SendingStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")

    def __str__(self) -> str:
        return f"{self.page_id}: {self.get_status_display()}"


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", _("in Arbeit")
    SENT = "sent", _("gesendet")
    FAILED = "failed", _("fehlgeschlagen")


class Delivery(models.Model):
    """One mail of a sending; claimed before it is sent, so it is never sent twice."""

    sending = models.ForeignKey(Sending, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["sending", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sending_id}/{self.subscriber_id}: {self.status}"
