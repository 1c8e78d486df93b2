"""The staff workspace navigation, grouped by the streams of work.

Each app adds its entries here. An entry appears only when its URL exists and
the user's role is allowed, so the menu never shows what is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import MANAGING_ROLES, Membership, Role

CASE_ROLES = frozenset({Role.COUNSELLOR, Role.LEAD})
INTAKE_ROLES = frozenset({Role.COUNSELLOR, Role.LEAD, Role.ADMINISTRATOR})
NETWORK_ROLES = frozenset({Role.NETWORK_ANALYST})
MILESTONE_ROLES = frozenset({Role.LEAD, Role.EDITOR})
POOLING_ROLES = frozenset({Role.LEAD, Role.NETWORK_ANALYST, Role.ADMINISTRATOR})
API_ROLES = frozenset({Role.COUNSELLOR, Role.LEAD, Role.NETWORK_ANALYST, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every role


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    items: tuple[NavItem, ...]


STAFF_NAVIGATION: tuple[NavSection, ...] = (
    NavSection(_("Übersicht"), (NavItem(_("Arbeitsbereich"), "staff:dashboard"),)),
    NavSection(
        _("Beratung und Dokumentation"),
        (
            NavItem(_("Meldungen"), "intake:queue", INTAKE_ROLES),
            NavItem(_("Anfragen"), "enquiries:inbox", CASE_ROLES),
            NavItem(_("Meldung aufnehmen"), "intake:enter_report", CASE_ROLES),
            NavItem(_("Fälle"), "cases:list", CASE_ROLES),
            NavItem(_("Neuer Fall"), "cases:create", CASE_ROLES),
            NavItem(_("Verursachende"), "cases:respondents", CASE_ROLES),
            NavItem(_("Aufgaben"), "cases:my_tasks", CASE_ROLES),
            NavItem(_("Auslastung"), "cases:workload", frozenset({Role.LEAD})),
            NavItem(_("Benachrichtigungen"), "cases:notifications", CASE_ROLES),
        ),
    ),
    NavSection(
        _("Statistik und Berichte"),
        (
            NavItem(_("Statistik"), "monitoring:dashboard", CASE_ROLES),
            NavItem(_("Netzwerkstatistik"), "monitoring:network", NETWORK_ROLES),
            NavItem(_("Berichte"), "monitoring:reports", frozenset({Role.LEAD})),
            NavItem(_("Ziele"), "monitoring:goals", CASE_ROLES),
            NavItem(_("Meilensteine"), "monitoring:milestones", MILESTONE_ROLES),
            NavItem(_("Datenaustausch"), "monitoring:pooling", POOLING_ROLES),
            NavItem(_("API-Schlüssel"), "monitoring:api_tokens", API_ROLES),
            NavItem(_("Statistik-Regeln"), "monitoring:policy", frozenset({Role.LEAD})),
        ),
    ),
    NavSection(
        _("Organisation"),
        (
            NavItem(_("Team"), "accounts:team", MANAGING_ROLES),
            NavItem(_("Protokoll"), "audit:log", MANAGING_ROLES),
            NavItem(_("Briefvorlagen"), "cases:letter_templates", frozenset({Role.LEAD})),
            NavItem(_("Zuständigkeitsgebiet"), "intake:catchment", frozenset({Role.LEAD})),
        ),
    ),
)


@dataclass(frozen=True)
class VisibleItem:
    label: str | Promise
    url: str


def navigation_for(membership: Membership | None) -> list[tuple[str | Promise, list[VisibleItem]]]:
    if membership is None:
        return []
    sections = []
    for section in STAFF_NAVIGATION:
        items = []
        for item in section.items:
            if item.roles is not None and membership.role not in item.roles:
                continue
            try:
                items.append(VisibleItem(item.label, reverse(item.url_name)))
            except NoReverseMatch:
                continue
        if items:
            sections.append((section.label, items))
    return sections
