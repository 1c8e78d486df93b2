"""Demo milestones, goals and one finished annual report for the Planerladen (PL).

Called by ``manage.py load_demo`` after the demo cases exist; safe to run again.
The milestones follow the organisation's history as told in the seed text (the
integration project since 1997, the Integrationsagentur since 2009, more than
180 Integrationsagenturen in NRW by March 2019); the AGG date is the law's own.
Goals are for the current year, the report covers the previous year and is
rendered to PDF right here, so the demo shows a report ready for download.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.monitoring.models import (
    Goal,
    Indicator,
    Milestone,
    ReportKind,
    ReportState,
    StatisticsReport,
)

# The demo website's Meilensteine page already tells the early history as editorial
# content; these records stay internal (for reports) so the public timeline shows each
# event once. Public ones appear on that page beside the editors' entries.
MILESTONES: list[tuple[date, str, str, bool]] = [
    (
        date(1997, 1, 1),
        "Start des Integrationsprojekts im Wohnbereich",
        "Der Planerladen e.V. wird im Auftrag des Landes Nordrhein-Westfalen Träger eines "
        "Integrationsprojekts im Programm „Förderung von Maßnahmen gegen Rassismus, "
        "Fremdenfeindlichkeit und Diskriminierung sowie zur friedlichen Konfliktregelung in "
        "Stadtteilen mit besonderem Erneuerungsbedarf“.",
        False,
    ),
    (
        date(1997, 6, 1),
        "Erste Dokumentation der Lage von Migrant*innen auf dem Wohnungsmarkt",
        "Die Situation von Migrant*innen auf dem Dortmunder Wohnungsmarkt wird erstmals "
        "systematisch erfasst und dokumentiert.",
        False,
    ),
    (
        date(2006, 8, 18),
        "Das Allgemeine Gleichbehandlungsgesetz (AGG) tritt in Kraft",
        "Diskriminierung beim Zugang zu Wohnraum ist nun auch zivilrechtlich verboten; die "
        "Beratung kann sich auf § 19 AGG stützen.",
        False,
    ),
    (
        date(2009, 1, 1),
        "Integrationsagentur – Servicestelle für Antidiskriminierungsarbeit",
        "Das Integrationsprojekt im Wohnbereich wird als eines von fünf "
        "Antidiskriminierungsprojekten des Landes in die Struktur der Integrationsagenturen "
        "eingegliedert.",
        False,
    ),
    (
        date(2019, 3, 1),
        "Mehr als 180 Integrationsagenturen in NRW",
        "Die Antidiskriminierungsarbeit ist Teil eines landesweiten Netzes von mehr als 180 "
        "sozialraumbezogen arbeitenden Integrationsagenturen.",
        True,
    ),
    (
        date(2026, 1, 15),
        "Umstieg auf Wohnfair",
        "Fallakten, Meldungen und Statistik laufen in einem System.",
        False,
    ),
]

GOALS: list[tuple[str, str, int, int | None]] = [
    ("Beratungsfälle eröffnen", Indicator.CASES_OPENED, 30, None),
    ("Fälle mit Intervention", Indicator.CASES_WITH_INTERVENTION, 15, None),
    ("Fälle abschließen", Indicator.CASES_CLOSED, 20, None),
    ("Meldungen über das Portal", Indicator.REPORTS_RECEIVED, 10, None),
    ("Konfliktvermittlungen", Indicator.MEDIATION_CASES, 5, None),
    ("Workshops zu fairer Vermietung", Indicator.MANUAL, 6, 4),
    ("Ausleihen der Ausstellung", Indicator.MANUAL, 4, 1),
    ("Testings durchgeführt", Indicator.MANUAL, 12, 7),
]

NARRATIVE = {
    "einleitung": (
        "Seit 1997 dokumentiert der Planerladen die Situation von Migrant*innen auf dem "
        "Dortmunder Wohnungsmarkt und berät Menschen, die bei der Wohnungssuche oder im "
        "Mietverhältnis benachteiligt werden.\n\n"
        "Dieser Bericht fasst die Beratungsarbeit des Jahres in Zahlen und Beispielen zusammen."
    ),
    "schwerpunkte": (
        "Schwerpunkte waren die Beratung bei Absagen nach Nennung des Namens, Belästigung in "
        "der Nachbarschaft und Gespräche mit Wohnungsunternehmen über faire Vergabe."
    ),
    "fallbeispiele": (
        "Eine Familie bekam nach einer Besichtigung eine Absage; ein Testing zeigte, dass eine "
        "Vergleichsperson mit deutsch klingendem Namen eingeladen wurde. Nach einem "
        "Beschwerdebrief entschuldigte sich die Verwaltung und bot eine Wohnung an."
    ),
    "ausblick": (
        "Im nächsten Jahr wollen wir die Zusammenarbeit mit Wohnungsunternehmen ausbauen und "
        "mehr Menschen in ihrer Sprache erreichen."
    ),
}


def build_demo_monitoring() -> None:
    organisation = Organisation.objects.filter(code="PL").first()
    if organisation is None:
        return
    with transaction.atomic():
        _milestones(organisation)
        _goals(organisation, timezone.localdate().year)
        report = _annual_report(organisation, timezone.localdate().year - 1)
    if report is not None and report.state != ReportState.DONE:
        from wohnfair.monitoring.reports import generate_report

        generate_report(report)


def _milestones(organisation: Organisation) -> None:
    for day, title, text, is_public in MILESTONES:
        Milestone.objects.of_organisation(organisation).get_or_create(
            organisation=organisation,
            date=day,
            title=title,
            defaults={"text": text, "is_public": is_public},
        )


def _goals(organisation: Organisation, year: int) -> None:
    for order, (title, indicator, target, manual_value) in enumerate(GOALS):
        Goal.objects.of_organisation(organisation).get_or_create(
            organisation=organisation,
            year=year,
            title=title,
            defaults={
                "indicator": indicator,
                "target": target,
                "manual_value": manual_value,
                "order": order,
            },
        )


def _annual_report(organisation: Organisation, year: int) -> StatisticsReport | None:
    existing = (
        StatisticsReport.objects.of_organisation(organisation)
        .filter(kind=ReportKind.ANNUAL, period_start=date(year, 1, 1))
        .first()
    )
    if existing is not None:
        return existing
    lead = (
        Membership.objects.filter(organisation=organisation, role=Role.LEAD, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if lead is None:
        return None
    return StatisticsReport.objects.create(
        organisation=organisation,
        kind=ReportKind.ANNUAL,
        title=f"Jahresbericht {year}",
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        narrative=NARRATIVE,
        created_by=lead.user,
    )
