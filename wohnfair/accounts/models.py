"""Users, organisations and memberships.

An installation serves one organisation or a whole network. Every user works in
one or more organisations through a membership with exactly one role; the
active organisation of a session decides whose data the user sees.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.manager import RelatedManager


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff of an organisation, an editor, an analyst.

    People who report incidents never get an account; they follow up with a
    receipt code instead.
    """

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(_("Name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(
        _("Zugang zur Systemverwaltung"),
        default=False,
        help_text=_("Darf die technische Verwaltung unter /admin/ öffnen."),
    )
    date_joined = models.DateTimeField(_("angelegt am"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    if TYPE_CHECKING:
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(is_active=True).select_related("organisation")


class FederalState(models.TextChoices):
    """German federal states as ISO 3166-2 codes (they decide public holidays)."""

    BW = "DE-BW", "Baden-Württemberg"
    BY = "DE-BY", "Bayern"
    BE = "DE-BE", "Berlin"
    BB = "DE-BB", "Brandenburg"
    HB = "DE-HB", "Bremen"
    HH = "DE-HH", "Hamburg"
    HE = "DE-HE", "Hessen"
    MV = "DE-MV", "Mecklenburg-Vorpommern"
    NI = "DE-NI", "Niedersachsen"
    NW = "DE-NW", "Nordrhein-Westfalen"
    RP = "DE-RP", "Rheinland-Pfalz"
    SL = "DE-SL", "Saarland"
    SN = "DE-SN", "Sachsen"
    ST = "DE-ST", "Sachsen-Anhalt"
    SH = "DE-SH", "Schleswig-Holstein"
    TH = "DE-TH", "Thüringen"


class Organisation(models.Model):
    """A counselling office, or a network that pools anonymised figures of its members."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Beratungsstelle")
        NETWORK = "network", _("Netzwerk")

    name = models.CharField(_("Name"), max_length=200)
    code = models.CharField(
        _("Kürzel"),
        max_length=10,
        unique=True,
        help_text=_("Großbuchstaben, zum Beispiel PL; erscheint in Fallnummern."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    state = models.CharField(
        _("Bundesland"), max_length=5, choices=FederalState.choices, default=FederalState.NW
    )
    networks = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_organisations",
        limit_choices_to={"kind": "network"},
        verbose_name=_("Netzwerke"),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("Aufbewahrung personenbezogener Daten (Monate nach Abschluss)"),
        default=36,
        help_text=_("Danach werden abgeschlossene Fälle anonymisiert; Statistik bleibt."),
    )
    reminder_lead_days = models.CharField(
        _("Erinnerung an Fristen (Tage vorher)"),
        max_length=50,
        default="14,7,2",
        help_text=_("Durch Komma getrennt, zum Beispiel 14,7,2."),
    )
    waiting_alert_days = models.PositiveSmallIntegerField(
        _("Fälle gelten als lange wartend nach (Tagen)"), default=30
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NETWORK


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Berater*in")
    LEAD = "lead", _("Leitung")
    EDITOR = "editor", _("Redaktion")
    TESTING_COORDINATOR = "testing", _("Testing-Koordination")
    NETWORK_ANALYST = "network_analyst", _("Netzwerk-Analyse")
    ADMINISTRATOR = "administrator", _("Administration")


# Roles that manage the members of their organisation.
MANAGING_ROLES = frozenset({Role.LEAD, Role.ADMINISTRATOR})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of_organisation(self, organisation: Organisation) -> MembershipQuerySet:
        return self.filter(organisation=organisation)

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's place in one organisation, with one role.

    Transitions: active -> deactivated (``deactivate``) -> active (``reactivate``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def can_manage_members(self) -> bool:
        return self.role in MANAGING_ROLES


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation to join an organisation with a role.

    Only a hash of the secret token is stored. Valid for seven days and once:
    pending -> accepted (``accept_invitation``) or pending -> revoked.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        if not self.expires_at:
            self.expires_at = self.created_at + timedelta(days=settings.WOHNFAIR_INVITATION_DAYS)
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
