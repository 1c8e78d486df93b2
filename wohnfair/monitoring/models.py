"""Statistics policy, goals and milestones, generated reports, API tokens and
imported pool figures.

The organisation's own figures are counted from the case file
(``aggregation.py``); ``MonthlyCount`` keeps those counts per month so that the
dashboard does not scan every case, and ``StaleMonth`` marks the months that a
change made stale until they are recounted (``summary.py``). Stored besides: the
organisation's choices, goals with their hand-entered values, narrative texts
of reports, the finished PDFs, and counts imported from installations that run
elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation
from wohnfair.lib.scoping import ScopedQuerySet


class OrganisationScopedQuerySet[M: models.Model](ScopedQuerySet[M]):
    def of_organisation(self, organisation: Organisation) -> OrganisationScopedQuerySet[M]:
        return self.filter(organisation=organisation)._mark_scoped()


class StatisticsPolicy(models.Model):
    """How an organisation's figures may be shown beyond its own staff."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="statistics_policy"
    )
    min_cell = models.PositiveSmallIntegerField(
        _("kleinste gezeigte Zahl (k)"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_(
            "In gepoolten und öffentlichen Zahlen erscheint jede Zelle zwischen 1 und k−1 als „<k“."
        ),
    )
    show_in_network_columns = models.BooleanField(
        _("eigene Spalte in der Netzwerkstatistik"),
        default=False,
        help_text=_("Das Netzwerk darf die (unterdrückten) Zahlen dieser Stelle einzeln zeigen."),
    )
    publish_statistics = models.BooleanField(
        _("Statistik öffentlich zeigen"),
        default=False,
        help_text=_("Eine öffentliche Seite zeigt die anonymisierten, unterdrückten Zahlen."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Statistik-Regeln")
        verbose_name_plural = _("Statistik-Regeln")

    def __str__(self) -> str:
        return str(self.organisation)


class Indicator(models.TextChoices):
    """What a goal measures; all but ``manual`` are counted from the data."""

    CASES_OPENED = "cases_opened", _("eröffnete Beratungsfälle")
    CASES_WITH_INTERVENTION = "cases_with_intervention", _("Fälle mit Intervention")
    CASES_CLOSED = "cases_closed", _("abgeschlossene Fälle")
    REPORTS_RECEIVED = "reports_received", _("eingegangene Meldungen")
    MEDIATION_CASES = "mediation_cases", _("Konfliktvermittlungen")
    MANUAL = "manual", _("von Hand erfasst")


class Goal(models.Model):
    """A yearly goal (Ziel) with an indicator and a target."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    title = models.CharField(_("Ziel"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    indicator = models.CharField(
        _("Indikator"), max_length=40, choices=Indicator.choices, default=Indicator.MANUAL
    )
    target = models.PositiveIntegerField(_("Zielwert"))
    manual_value = models.PositiveIntegerField(
        _("erreichter Wert"),
        null=True,
        blank=True,
        help_text=_("Nur für Indikatoren, die nicht aus den Daten gezählt werden."),
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "order", "id"]
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class Milestone(models.Model):
    """A dated step in the organisation's history (Meilenstein)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("Datum"))
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Text"), blank=True)
    is_public = models.BooleanField(
        _("öffentlich"), default=False, help_text=_("Erscheint auf der Website unter Meilensteine.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")

    def __str__(self) -> str:
        return f"{self.date:%Y}: {self.title}"


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Jahresbericht")
    FUNDER = "funder", _("Sachbericht für Zuwendungsgeber")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class StatisticsReport(models.Model):
    """An annual or funder's report: narrative texts by the lead, figures counted
    for the period, rendered to PDF in the background."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Art"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    period_start = models.DateField(_("Zeitraum von"))
    period_end = models.DateField(_("Zeitraum bis"))
    # Narrative sections written in the browser, keyed by section code.
    narrative = models.JSONField(_("Texte"), default=dict, blank=True)
    # For reports that are published: only cases with consent to statistics,
    # small cells suppressed (``pooled=True`` in the aggregation).
    consented_only = models.BooleanField(
        _("nur Fälle mit Einwilligung zur Statistik (für Veröffentlichung)"), default=False
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt"), default=0)
    error = models.CharField(max_length=300, blank=True)
    # Name of the PDF in the encrypted file store; empty until generated.
    file_name = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")

    def __str__(self) -> str:
        return self.title


class ApiToken(models.Model):
    """A token for the read-only statistics API. Only its SHA-256 is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("Bezeichnung"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PoolImport(models.Model):
    """Counts imported from another installation's export (pooling format)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The network that imported the counts.",
    )
    source_code = models.CharField(_("Kürzel der Stelle"), max_length=20)
    source_name = models.CharField(_("Name der Stelle"), max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    schema_version = models.PositiveSmallIntegerField()
    granularity = models.CharField(max_length=10, default="total")
    min_cell = models.PositiveSmallIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "source_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source_code", "period_start", "period_end"],
                name="monitoring_pool_import_once_per_period",
            )
        ]
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")

    def __str__(self) -> str:
        return f"{self.source_code} {self.period_start}–{self.period_end}"


class PoolCount(models.Model):
    """One imported cell: dimension, vocabulary code, period bucket, count.

    ``count`` is None where the source suppressed the cell (between 1 and k−1
    there, or suppressed to protect such a cell). The number of cases of a
    dimension is stored as the cell with the empty code and bucket.
    """

    pool_import = models.ForeignKey(PoolImport, on_delete=models.CASCADE, related_name="counts")
    dimension = models.CharField(max_length=40)
    code = models.CharField(max_length=60)
    bucket = models.CharField(max_length=10, blank=True)  # "2025", "2025-Q3", "2025-07" or ""
    count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pool_import", "dimension", "code", "bucket"],
                name="monitoring_pool_count_unique_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.code} {self.bucket} = {self.count}"


class MonthlyCount(models.Model):
    """Pre-counted figures of one organisation and first-contact month (``summary.py``).

    Per case type, status and ``pooled`` (the cases qualify for pooled figures:
    consent to statistics not withdrawn, or anonymised) and per dimension value:
    the distinct cases with that value. ``value`` is the grouped value as text
    (term or district id, case type); the empty value holds the distinct cases
    with any value of a dimension whose cases may have several. Rebuilt from the
    case tables by ``summary.rebuild_month``; never edited.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    case_type = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    pooled = models.BooleanField()
    dimension = models.CharField(max_length=30)
    value = models.CharField(max_length=40, blank=True)
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "month",
                    "case_type",
                    "status",
                    "pooled",
                    "dimension",
                    "value",
                ],
                name="one_monthly_count_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m} {self.dimension}={self.value}"


class StaleMonth(models.Model):
    """A change to the cases of one organisation and month that the summary has not seen.

    Written (one row per change, never updated) when case data changes; deleted
    by the rebuild of the month that read the change. Rows are the lock that
    serialises rebuilds of a month, too.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month

    class Meta:
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"
