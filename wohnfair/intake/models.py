"""Reports from the public portal (Meldeportal), their files and the message thread.

A report may be anonymous. The reporter follows up with a receipt code of 16
random digits, shown once and stored only as a slow, salted hash. Reports are
routed to the organisation whose catchment matches, else to the network queue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.lib.fields import EncryptedCharField, EncryptedTextField
from wohnfair.lib.scoping import ScopedQuerySet


class Situation(models.TextChoices):
    """What happened, in plain words (step 1 of the form)."""

    AD_EXCLUDED = "ad_excluded", _("Eine Anzeige hat Menschen wie mich ausgeschlossen")
    NO_ANSWER = (
        "no_answer",
        _("Keine Antwort oder eine Absage, nachdem ich meinen Namen genannt habe"),
    )
    VIEWING_REFUSED = "viewing_refused", _("Eine Besichtigung wurde mir verweigert")
    DIFFERENT_CONDITIONS = "different_conditions", _("Andere Bedingungen oder eine höhere Miete")
    LANDLORD_HARASSMENT = "landlord_harassment", _("Belästigung durch Vermieter*in oder Verwaltung")
    NEIGHBOUR_HARASSMENT = "neighbour_harassment", _("Belästigung durch Nachbar*innen")
    AUTHORITY = "authority", _("Ein Amt oder eine Wohnungsgesellschaft hat mich unfair behandelt")
    OTHER = "other", _("Etwas anderes")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("eingegangen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    CLOSED = "closed", _("abgeschlossen")
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Doppelte Meldung")


# What the reporter sees of a status (spam and duplicates look closed to them).
PUBLIC_STATUS = {
    ReportStatus.RECEIVED: ReportStatus.RECEIVED,
    ReportStatus.IN_PROGRESS: ReportStatus.IN_PROGRESS,
    ReportStatus.CLOSED: ReportStatus.CLOSED,
    ReportStatus.SPAM: ReportStatus.CLOSED,
    ReportStatus.DUPLICATE: ReportStatus.CLOSED,
}


class Wish(models.TextChoices):
    COUNSELLING = "counselling", _("Ich möchte beraten werden")
    DOCUMENT_ONLY = "document_only", _("Ich möchte den Vorfall nur melden")


class ReportQuerySet(ScopedQuerySet["Report"]):
    def of_organisation(self, organisation: Organisation) -> ReportQuerySet:
        return self.filter(organisation=organisation)._mark_scoped()

    def for_user(self, user: object, membership: Membership | None) -> ReportQuerySet:
        """Reports of the active organisation for counsellors and leads; the network
        queue (no organisation yet) for administrators of a network."""
        if membership is None or not membership.is_active:
            return self.none()._mark_scoped()
        if membership.role in (Role.COUNSELLOR, Role.LEAD):
            return self.of_organisation(membership.organisation)
        if membership.role == Role.ADMINISTRATOR and membership.organisation.is_network:
            members = membership.organisation.member_organisations.all()
            return self.filter(
                Q(organisation__isnull=True) | Q(organisation__in=members)
            )._mark_scoped()
        return self.none()._mark_scoped()


class Report(models.Model):
    """A report from the public portal, or one taken by phone or at the counter.

    Transitions (each by one function in ``intake.triage``, audited):
    received -> in_progress (assign, answer, open a case) -> closed;
    received | in_progress -> spam | duplicate; forwarding changes the organisation.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Leer: in der Netzwerk-Warteschlange."),
    )
    reference = models.CharField(_("Aktenzeichen"), max_length=20, unique=True)
    receipt_hash = models.CharField(max_length=128, unique=True, editable=False)
    submission_token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("Status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    language = models.CharField(_("Sprache der Meldung"), max_length=10, default="de")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Bei telefonisch oder persönlich aufgenommenen Meldungen."),
    )
    # 1. What happened
    situations = models.JSONField(_("Was ist passiert"), default=list)
    description = EncryptedTextField(_("Beschreibung"), blank=True)
    # 2. When and where
    incident_date = models.DateField(_("Datum"), null=True, blank=True)
    date_is_approximate = models.BooleanField(_("Datum ungefähr"), default=False)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    district = models.CharField(_("Stadtteil"), max_length=100, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True, db_index=True)
    # 3. Who
    respondent_kind = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Wer war es"),
    )
    respondent_name = EncryptedCharField(_("Name der Verursachenden"), blank=True)
    # 4. Why
    grounds = models.ManyToManyField(
        "cases.Term", blank=True, related_name="+", verbose_name=_("Gründe")
    )
    # 6. What the person wants
    wish = models.CharField(
        _("Wunsch"), max_length=20, choices=Wish.choices, default=Wish.COUNSELLING
    )
    # 7. Contact (all optional: a report may be anonymous)
    contact_name = EncryptedCharField(_("Name"), blank=True)
    contact_email = EncryptedCharField(_("E-Mail-Adresse"), blank=True)
    contact_phone = EncryptedCharField(_("Telefon"), blank=True)
    preferred_language = models.CharField(_("bevorzugte Sprache"), max_length=20, blank=True)
    call_times = EncryptedCharField(_("gute Zeiten für einen Anruf"), blank=True)
    # Consent per purpose: {"counselling": 1, "statistics": 1} maps purpose -> text version
    consents = models.JSONField(_("Einwilligungen"), default=dict)
    proof_of_work_verified = models.BooleanField(default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("zuständig"),
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="report"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_anonymous(self) -> bool:
        return not (self.contact_name or self.contact_email or self.contact_phone)

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[ReportStatus(self.status)]


class ReportFile(models.Model):
    """Evidence uploaded with a report or a follow-up message; encrypted like case documents."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    message = models.ForeignKey(
        "intake.ReportMessage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    original_name = EncryptedCharField(_("Dateiname"))
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Datei zur Meldung")
        verbose_name_plural = _("Dateien zu Meldungen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReportMessage(models.Model):
    """One message of the thread between reporter and office.

    ``author`` is None for the reporter. Internal notes are never shown to the reporter.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("Nachricht"))
    internal = models.BooleanField(_("intern"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.created_at:%Y-%m-%d}"

    @property
    def from_reporter(self) -> bool:
        return self.author_id is None


class CatchmentArea(models.Model):
    """A postcode or district an organisation is responsible for (routing of reports)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="catchment"
    )
    postcode_prefix = models.CharField(
        _("Postleitzahl oder Anfang"),
        max_length=5,
        blank=True,
        help_text=_("Zum Beispiel 44137 oder 441 für alle, die so beginnen."),
    )
    district = models.CharField(_("Stadt oder Stadtteil"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Zuständigkeitsgebiet")
        verbose_name_plural = _("Zuständigkeitsgebiete")
        ordering = ["organisation", "postcode_prefix", "district"]

    def __str__(self) -> str:
        return self.postcode_prefix or self.district


# Short-lived state of the public portal --------------------------------------------------
#
# Each row has an expiry; ``intake.state.prune`` deletes what has expired (on the first
# request of every new rate-limit window and in the scheduled task). Small tables with
# one indexed key each, written with one statement each (see ``intake.state``).


class RateCounter(models.Model):
    """A fixed-window rate-limit counter: ``scope:window:subject`` -> attempts counted.

    The subject is ``all`` or a keyed hash of the client's address (``spam.address_key``),
    never the address; the row goes a few seconds after its window ends.
    """

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("Zähler der Ratenbegrenzung")
        verbose_name_plural = _("Zähler der Ratenbegrenzung")

    def __str__(self) -> str:
        return self.key


class UsedChallenge(models.Model):
    """A solved proof-of-work challenge that was used for a report: it cannot be used again
    until it has expired (and then ``spam.verify_solution`` refuses it anyway)."""

    challenge = models.CharField(max_length=64, primary_key=True)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("verwendete Rechenaufgabe")
        verbose_name_plural = _("verwendete Rechenaufgaben")

    def __str__(self) -> str:
        return self.challenge


class PendingReceipt(models.Model):
    """The receipt code of a new report, encrypted, until the confirmation page has
    delivered it once (or it expires after ``services.RECEIPT_DISPLAY_SECONDS``).

    ``showing_until`` is set while one request is delivering the page: a second request
    meanwhile does not show the code; if the delivery breaks off, the code can be shown
    again at once (or, if the process died, once ``showing_until`` has passed).
    """

    key = models.CharField(max_length=40, primary_key=True)
    sealed = models.TextField()
    expires = models.DateTimeField(db_index=True)
    showing_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Code, der noch angezeigt wird")
        verbose_name_plural = _("Codes, die noch angezeigt werden")

    def __str__(self) -> str:
        return self.key
