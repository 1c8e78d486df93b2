from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Membership, Organisation
from wohnfair.lib import crypto
from wohnfair.lib.fields import EncryptedCharField, EncryptedTextField
from wohnfair.lib.scoping import ScopedQuerySet


class PersonRole(models.TextChoices):
    ADVICE_SEEKER = "advice_seeker", _("ratsuchende Person")
    INVOLVED = "involved", _("weitere beteiligte Person")
    PARTY = "party", _("Konfliktpartei")


class Person(models.Model):
    """Someone in a case: the person seeking advice, others involved, or a conflict party.

    Name and contact data are encrypted; ``name_index`` holds keyed hashes of
    the words of the name so that staff can find a case by an exact name word.
    Characteristics are recorded only if the person wants them recorded.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("Rolle im Fall"), max_length=20, choices=PersonRole.choices)
    party_role = models.CharField(
        _("Rolle in der Vermittlung"),
        max_length=100,
        blank=True,
        help_text=_("Zum Beispiel: Mieterhaushalt Erdgeschoss, Beschwerdeführende"),
    )
    name = EncryptedCharField(_("Name oder Pseudonym"))
    name_index = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    email = EncryptedCharField(_("E-Mail-Adresse"), blank=True)
    phone = EncryptedCharField(_("Telefon"), blank=True)
    address = EncryptedTextField(_("Anschrift"), blank=True)
    preferred_language = models.CharField(_("bevorzugte Sprache"), max_length=40, blank=True)
    household_size = models.PositiveSmallIntegerField(_("Haushaltsgröße"), null=True, blank=True)
    characteristics = models.ManyToManyField(
        "cases.Term",
        blank=True,
        related_name="+",
        verbose_name=_("selbst beschriebene Merkmale"),
        help_text=_("Nur eintragen, wenn die Person es ausdrücklich möchte."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.name or str(_("Person ohne Namen"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_index = " ".join(crypto.blind_tokens(self.name or "", "person.name"))
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def name_search_token(word: str) -> str:
    return crypto.blind_index(word, "person.name")


class RespondentQuerySet(ScopedQuerySet["Respondent"]):
    def of_organisation(self, organisation: Organisation) -> RespondentQuerySet:
        return self.filter(organisation=organisation)._mark_scoped()

    def for_user(self, user: object, membership: Membership | None) -> RespondentQuerySet:
        from wohnfair.cases.models.case import CASE_ROLES

        if membership is None or membership.role not in CASE_ROLES:
            return self.none()._mark_scoped()
        return self.of_organisation(membership.organisation)


class Respondent(models.Model):
    """Who caused the discrimination (Verursachende): a reusable record of the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="respondents"
    )
    kind = models.ForeignKey(
        "cases.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("Art")
    )
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Anschrift oder Gebiet"), max_length=300, blank=True)
    flats_count = models.PositiveIntegerField(
        _("ungefähre Zahl vermieteter Wohnungen"),
        null=True,
        blank=True,
        help_text=_("Wichtig für § 19 AGG: Massengeschäft ab mehr als 50 Wohnungen."),
    )
    notes = EncryptedTextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Verursachende")
        verbose_name_plural = _("Verursachende")
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name
