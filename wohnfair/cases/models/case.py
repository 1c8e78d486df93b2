from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.lib.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from wohnfair.accounts.models import User

CASE_ROLES = frozenset({Role.COUNSELLOR, Role.LEAD})


class CaseType(models.TextChoices):
    COUNSELLING = "beratung", _("Beratungsfall")
    MEDIATION = "konflikt", _("Konfliktvermittlung")
    SHORT = "kurz", _("Kurzberatung")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("offen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    WAITING = "waiting", _("wartet")
    CLOSED = "closed", _("abgeschlossen")


class WhoCame(models.TextChoices):
    AFFECTED = "affected", _("betroffene Person")
    WITNESS = "witness", _("Zeug*in")
    PROXY = "proxy", _("Angehörige oder bevollmächtigte Person")
    ORGANISATION = "organisation", _("Organisation")


# Languages offered for counselling and contact (ISO 639-1 codes).
LANGUAGE_CHOICES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("ru", _("Russisch")),
    ("uk", _("Ukrainisch")),
    ("pl", _("Polnisch")),
    ("ro", _("Rumänisch")),
    ("bg", _("Bulgarisch")),
    ("fa", _("Persisch")),
    ("ku", _("Kurdisch")),
    ("other", _("andere Sprache")),
]


class CaseQuerySet(ScopedQuerySet["Case"]):
    def for_user(self, user: User, membership: Membership | None) -> CaseQuerySet:
        """The cases this user may see in the organisation they work in now.

        Leads see every case of their organisation; counsellors every case that
        is not restricted, and restricted ones only when assigned. Other roles
        (editors, testing, network analysts) see none.
        """
        if membership is None or membership.role not in CASE_ROLES or not membership.is_active:
            return self.none()._mark_scoped()
        scoped = self.filter(organisation_id=membership.organisation_id)
        if membership.role != Role.LEAD:
            scoped = scoped.filter(
                models.Q(restricted=False) | models.Q(counsellors=user)
            ).distinct()
        return scoped._mark_scoped()

    def of_organisation(self, organisation: Organisation) -> CaseQuerySet:
        return self.filter(organisation=organisation)._mark_scoped()

    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)


class Case(models.Model):
    """One case file (Fallakte) of an organisation.

    Status transitions, each performed by one function in ``cases.services``
    that writes the audit log:

        open -> in_progress -> waiting -> in_progress
        open | in_progress | waiting -> closed   (close_case; needs a closing reason)
        closed -> in_progress                    (reopen_case)
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("Fallnummer"), max_length=30)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    case_type = models.CharField(
        _("Fallart"), max_length=20, choices=CaseType.choices, default=CaseType.COUNSELLING
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    first_contact = models.DateField(_("Erstkontakt"))
    channel = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Zugangsweg"),
        null=True,
        blank=True,
    )
    language = models.CharField(_("Sprache der Beratung"), max_length=20, default="de")
    interpreter_needed = models.BooleanField(_("Dolmetschen nötig"), default=False)
    who_came = models.CharField(
        _("Wer kam"), max_length=20, choices=WhoCame.choices, default=WhoCame.AFFECTED
    )
    restricted = models.BooleanField(
        _("vertraulich"),
        default=False,
        help_text=_("Nur für die zugewiesenen Berater*innen und die Leitung sichtbar."),
    )
    counsellors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="cases.CaseAssignment",
        related_name="assigned_cases",
        verbose_name=_("Berater*innen"),
    )
    outcome = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Ergebnis"),
    )
    closing_reason = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Abschlussgrund"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("Zufriedenheit der Person (1–5)"), null=True, blank=True
    )
    closed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    legal_hold = models.BooleanField(
        _("Aufbewahrungssperre"),
        default=False,
        help_text=_("Verhindert die Anonymisierung, etwa während eines Gerichtsverfahrens."),
    )
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-first_contact", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_unique")
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-first_contact"]),
            models.Index(fields=["organisation", "-first_contact", "-sequence"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.number])

    @property
    def language_label(self) -> str:
        return str(dict(LANGUAGE_CHOICES).get(self.language, self.language))

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseCounter(models.Model):
    """The last case number given per organisation and year (locked while counting)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class CaseAssignment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_assignment_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.user}"
