"""Documentation vocabularies: categories as data with stable codes.

Codes never change once used, so figures stay comparable across years and
organisations (advd and DeZIM/ADS minimum documentation standards). Retiring
a term (``is_active=False`` or ``valid_until``) keeps old cases intact.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Vocabulary(models.TextChoices):
    MERKMAL = "merkmal", _("Merkmal")  # the ground of discrimination
    LEBENSBEREICH = "lebensbereich", _("Lebensbereich")  # area of life
    FORM = "form", _("Form")
    EBENE = "ebene", _("Ebene")  # individual, institutional, structural
    VERURSACHENDE = "verursachende", _("Art der Verursachenden")  # who caused it
    CHANNEL = "channel", _("Zugangsweg")
    OUTCOME = "outcome", _("Ergebnis")
    CLOSING_REASON = "closing_reason", _("Abschlussgrund")
    EVIDENCE = "evidence", _("Beweismittel")
    INTERVENTION = "intervention", _("Intervention")


class TermQuerySet(models.QuerySet["Term"]):
    def of(self, vocabulary: str) -> TermQuerySet:
        return self.filter(vocabulary=vocabulary)

    def usable(self, on: date | None = None) -> TermQuerySet:
        """Terms that may be chosen for new entries on the given day."""
        on = on or date.today()
        return self.filter(is_active=True, valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Term(models.Model):
    vocabulary = models.CharField(_("Vokabular"), max_length=30, choices=Vocabulary.choices)
    code = models.SlugField(_("Code"), max_length=50, help_text=_("Stabil; nie ändern."))
    label = models.CharField(_("Bezeichnung"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    is_agg = models.BooleanField(
        _("AGG-Merkmal"), default=False, help_text=_("Geschützter Grund nach § 1 AGG.")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    valid_from = models.DateField(_("gültig ab"), default=date(2000, 1, 1))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["vocabulary", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique")
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        # Seeded labels are German msgids in the catalogues; admin-made terms fall back.
        return gettext(self.label)

    def is_usable_on(self, day: date) -> bool:
        return (
            self.is_active
            and self.valid_from <= day
            and (self.valid_until is None or self.valid_until >= day)
        )


class District(models.Model):
    """A city district or area an organisation reports by; never an exact address."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("Name"), max_length=120)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Stadtbezirk")
        verbose_name_plural = _("Stadtbezirke")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="district_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("Beratung")
    STATISTICS = "statistics", _("anonymisierte Statistik")
    PUBLICATION = "publication", _("anonymisierte Veröffentlichung")


class ConsentText(models.Model):
    """The exact wording a person agrees to; a new wording is a new version."""

    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("Version"))
    text = models.TextField(_("Text"))
    valid_from = models.DateField(_("gültig ab"))

    class Meta:
        verbose_name = _("Einwilligungstext")
        verbose_name_plural = _("Einwilligungstexte")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @classmethod
    def current(cls, purpose: str) -> ConsentText:
        return cls.objects.filter(purpose=purpose, valid_from__lte=date.today()).latest("version")
