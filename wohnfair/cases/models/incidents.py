from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.lib.fields import EncryptedTextField


class Incident(models.Model):
    """What happened, documented in the shared categories (one case may have several)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="incidents")
    date = models.DateField(_("Datum"))
    date_end = models.DateField(_("bis (bei Zeiträumen)"), null=True, blank=True)
    date_is_approximate = models.BooleanField(_("Datum ungefähr"), default=False)
    district = models.ForeignKey(
        "cases.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stadtbezirk"),
    )
    lebensbereich = models.ForeignKey(
        "cases.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("Lebensbereich")
    )
    merkmale = models.ManyToManyField("cases.Term", related_name="+", verbose_name=_("Merkmale"))
    form = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Form"),
    )
    ebene = models.ForeignKey(
        "cases.Term",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Ebene"),
    )
    respondent = models.ForeignKey(
        "cases.Respondent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("Verursachende"),
    )
    evidence = models.ManyToManyField(
        "cases.Term", blank=True, related_name="+", verbose_name=_("vorhandene Beweismittel")
    )
    description = EncryptedTextField(_("Beschreibung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Vorfall")
        verbose_name_plural = _("Vorfälle")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.date:%d.%m.%Y}"
