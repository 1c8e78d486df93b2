"""Enquiries from the public website: contact, mediation requests, requests for support
from the foundation (Stiftung) and feedback on accessibility.

Each enquiry belongs to the organisation that runs the website it came from (see
``routing.organisation_for_site``). Everything the person typed is encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.lib.fields import EncryptedCharField, EncryptedTextField
from wohnfair.lib.scoping import ScopedQuerySet


class EnquiryKind(models.TextChoices):
    CONTACT = "contact", _("Kontakt")
    MEDIATION = "mediation", _("Konfliktvermittlung")
    SUPPORT = "support", _("Unterstützung durch die Stiftung")
    ACCESSIBILITY = "accessibility", _("Rückmeldung zur Barrierefreiheit")


class EnquiryStatus(models.TextChoices):
    NEW = "new", _("neu")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    DONE = "done", _("erledigt")
    SPAM = "spam", _("Spam")


CLOSED_STATUSES = (EnquiryStatus.DONE, EnquiryStatus.SPAM)


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nein")
    UNKNOWN = "unknown", _("Weiß ich nicht")


class PreferredContact(models.TextChoices):
    EMAIL = "email", _("per E-Mail")
    PHONE = "phone", _("per Telefon")
    MEETING = "meeting", _("persönliches Gespräch in der Beratungsstelle")


class CourtStage(models.TextChoices):
    NOT_YET = "not_yet", _("Noch keine Klage eingereicht")
    FILED = "filed", _("Klage ist eingereicht")
    FIRST_INSTANCE = "first_instance", _("Verfahren in der ersten Instanz läuft")
    APPEAL = "appeal", _("Berufung oder Revision")
    CONCILIATION = "conciliation", _("Schlichtung oder Güteverhandlung")


class EnquiryQuerySet(ScopedQuerySet["Enquiry"]):
    def of_organisation(self, organisation: Organisation) -> EnquiryQuerySet:
        return self.filter(organisation=organisation)._mark_scoped()

    def for_user(self, user: object, membership: Membership | None) -> EnquiryQuerySet:
        """Counsellors and leads see the enquiries of their active organisation."""
        if membership is None or not membership.is_active:
            return self.none()._mark_scoped()
        if membership.role in (Role.COUNSELLOR, Role.LEAD):
            return self.of_organisation(membership.organisation)
        return self.none()._mark_scoped()


class Enquiry(models.Model):
    """One enquiry sent through a form of the public website.

    Transitions (``services.set_status``, audited): new -> in_progress -> done;
    new | in_progress -> spam; done | spam -> in_progress (reopened by mistake).
    Assigning a counsellor moves a new enquiry to in_progress. ``closed_at`` starts
    the retention period (``services.delete_expired_enquiries``).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="enquiries"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=EnquiryKind.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.NEW
    )
    language = models.CharField(_("Sprache"), max_length=10, default="de")
    submission_token = models.CharField(max_length=64, unique=True, editable=False)
    proof_of_work_verified = models.BooleanField(default=False)
    # Contact data (all kinds)
    name = EncryptedCharField(_("Name"), blank=True)
    email = EncryptedCharField(_("E-Mail-Adresse"), blank=True)
    phone = EncryptedCharField(_("Telefon"), blank=True)
    message = EncryptedTextField(_("Nachricht"))
    # Mediation request
    parties = EncryptedTextField(_("Wer ist beteiligt"), blank=True)
    address_area = EncryptedCharField(_("Wohngegend"), blank=True)
    other_party_knows = models.CharField(
        _("Weiß die andere Seite von der Anfrage"),
        max_length=10,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    preferred_contact = models.CharField(
        _("gewünschter Kontakt"), max_length=10, choices=PreferredContact.choices, blank=True
    )
    # Request for support (Stiftung)
    court_stage = models.CharField(
        _("Stand des Verfahrens"), max_length=20, choices=CourtStage.choices, blank=True
    )
    office_involved = models.CharField(
        _("Beratungsstelle schon beteiligt"),
        max_length=10,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    amount_needed = models.DecimalField(
        _("benötigter Betrag (Euro)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    # Accessibility feedback
    page_address = models.CharField(_("betroffene Seite"), max_length=500, blank=True)
    # Staff side
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
        verbose_name=_("zuständig"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("Fall"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anfrage")
        verbose_name_plural = _("Anfragen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@register_setting(icon="site")
class WebsiteSettings(BaseSiteSetting):
    """Which organisation runs a Wagtail site: it receives the site's enquiries."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisation"),
        help_text=_("Erhält die Anfragen aus den Formularen dieser Website."),
    )
    newsletter_sender_name = models.CharField(
        _("Absendername des Newsletters"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("Website-Einstellungen")
