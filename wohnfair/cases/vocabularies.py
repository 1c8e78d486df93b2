"""The initial documentation vocabularies (seeded by migration 0002).

Codes follow the categories of German counselling networks (advd; DeZIM/ADS
minimum documentation standards 2022). Labels are German msgids so that
``Term.display_label`` translates them. Later changes are made as data (admin)
or in new migrations, never by editing a code.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

# vocabulary -> [(code, label, is_agg)]
SEED: dict[str, list[tuple[str, str, bool]]] = {
    "merkmal": [
        ("ethnic_origin", gettext_noop("ethnische Herkunft / rassistische Zuschreibung"), True),
        ("religion", gettext_noop("Religion oder Weltanschauung"), True),
        ("disability", gettext_noop("Behinderung oder chronische Krankheit"), True),
        ("age", gettext_noop("Lebensalter"), True),
        ("gender", gettext_noop("Geschlecht oder Geschlechtsidentität"), True),
        ("sexual_identity", gettext_noop("sexuelle Identität"), True),
        ("nationality", gettext_noop("Staatsangehörigkeit"), False),
        ("residence_status", gettext_noop("Aufenthaltsstatus"), False),
        ("language", gettext_noop("Sprache"), False),
        ("social_status", gettext_noop("sozialer Status oder Einkommen"), False),
        ("family_size", gettext_noop("Familiengröße oder Kinder"), False),
        ("homelessness", gettext_noop("Wohnungslosigkeit"), False),
        ("other", gettext_noop("anderes Merkmal"), False),
    ],
    "lebensbereich": [
        ("flat_search", gettext_noop("Wohnungssuche"), False),
        ("allocation", gettext_noop("Vergabe durch Behörde oder Wohnungsunternehmen"), False),
        ("tenancy", gettext_noop("bestehendes Mietverhältnis"), False),
        ("neighbourhood", gettext_noop("Nachbarschaft"), False),
        ("shelter", gettext_noop("Unterkunft oder Notunterkunft"), False),
        ("outside_housing", gettext_noop("anderer Lebensbereich außerhalb des Wohnens"), False),
    ],
    "form": [
        ("direct", gettext_noop("unmittelbare Benachteiligung"), False),
        ("indirect", gettext_noop("mittelbare Benachteiligung"), False),
        ("harassment", gettext_noop("Belästigung"), False),
        ("sexual_harassment", gettext_noop("sexuelle Belästigung"), False),
        ("instruction", gettext_noop("Anweisung zur Benachteiligung"), False),
        ("victimisation", gettext_noop("Maßregelung"), False),
    ],
    "ebene": [
        ("individual", gettext_noop("individuell"), False),
        ("institutional", gettext_noop("institutionell"), False),
        ("structural", gettext_noop("strukturell"), False),
    ],
    "verursachende": [
        ("private_landlord", gettext_noop("private Vermieter*in"), False),
        ("housing_company", gettext_noop("Wohnungsunternehmen"), False),
        ("agent", gettext_noop("Makler*in oder Hausverwaltung"), False),
        ("portal", gettext_noop("Online-Portal"), False),
        ("neighbour", gettext_noop("Nachbar*in"), False),
        ("authority", gettext_noop("Behörde oder Jobcenter"), False),
        ("other", gettext_noop("andere"), False),
    ],
    "channel": [
        ("walk_in", gettext_noop("persönlich"), False),
        ("telephone", gettext_noop("Telefon"), False),
        ("email", gettext_noop("E-Mail"), False),
        ("web_report", gettext_noop("Online-Meldung"), False),
        ("referral", gettext_noop("Vermittlung durch andere Stelle"), False),
        ("outreach", gettext_noop("aufsuchende Beratung oder Sprechstunde"), False),
    ],
    "outcome": [
        ("apology", gettext_noop("Entschuldigung"), False),
        ("flat_obtained", gettext_noop("Wohnung erhalten"), False),
        ("compensation", gettext_noop("Entschädigung oder Schadensersatz"), False),
        ("settlement", gettext_noop("Vergleich"), False),
        ("judgment", gettext_noop("Urteil"), False),
        ("statement_received", gettext_noop("Stellungnahme erhalten"), False),
        ("no_result", gettext_noop("kein Ergebnis"), False),
        ("dropped", gettext_noop("nicht weiterverfolgt"), False),
    ],
    "closing_reason": [
        ("resolved", gettext_noop("Anliegen erledigt"), False),
        ("person_ended", gettext_noop("Person hat die Beratung beendet"), False),
        ("no_contact", gettext_noop("kein Kontakt mehr"), False),
        ("referred", gettext_noop("weitervermittelt"), False),
        ("deadline_passed", gettext_noop("Frist abgelaufen"), False),
        ("not_discrimination", gettext_noop("keine Diskriminierung erkennbar"), False),
        ("other", gettext_noop("sonstiger Grund"), False),
    ],
    "evidence": [
        ("ad", gettext_noop("Wohnungsanzeige"), False),
        ("memory_protocol", gettext_noop("Gedächtnisprotokoll"), False),
        ("emails", gettext_noop("E-Mails oder Briefe"), False),
        ("witnesses", gettext_noop("Zeug*innen"), False),
        ("testing", gettext_noop("Testing"), False),
        ("photos", gettext_noop("Fotos oder Screenshots"), False),
    ],
    "intervention": [
        ("information", gettext_noop("Information und Beratung"), False),
        ("complaint_letter", gettext_noop("Beschwerdebrief"), False),
        ("claim", gettext_noop("Geltendmachung von Ansprüchen"), False),
        ("statement_request", gettext_noop("Bitte um Stellungnahme"), False),
        ("mediation_talk", gettext_noop("Vermittlungsgespräch"), False),
        ("testing", gettext_noop("Testing"), False),
        ("other_bodies", gettext_noop("Einschaltung anderer Stellen"), False),
        ("public_work", gettext_noop("Öffentlichkeitsarbeit"), False),
        ("court_accompaniment", gettext_noop("Begleitung zum Gericht"), False),
        ("referral_lawyer", gettext_noop("Verweis an Anwält*in"), False),
        ("referral_foundation", gettext_noop("Verweis an die Stiftung (Rechtshilfe)"), False),
        ("conciliation", gettext_noop("Schlichtung"), False),
    ],
}

# Legal periods (see cases.models.PeriodRule): code -> fields of the first version.
PERIOD_RULES = [
    {
        "code": "agg_21_5",
        "name": gettext_noop("Geltendmachung von Ansprüchen nach dem AGG"),
        "legal_basis": "§ 21 Abs. 5 AGG",
        "months": 2,
        "days": 0,
        "runs_from": "incident",
        "valid_from": date(2006, 8, 18),
    }
]

CONSENT_TEXTS = {
    "counselling": gettext_noop(
        "Ich bin einverstanden, dass die Beratungsstelle meine Angaben, auch zu meiner "
        "Herkunft, Religion, Gesundheit oder sexuellen Identität, speichert und nutzt, um "
        "mich zu beraten und in meinem Auftrag tätig zu werden. Ich kann diese Einwilligung "
        "jederzeit widerrufen."
    ),
    "statistics": gettext_noop(
        "Ich bin einverstanden, dass mein Fall ohne Namen und ohne Angaben, die auf mich "
        "schließen lassen, in Statistiken der Beratungsstelle und ihres Netzwerks gezählt wird."
    ),
    "publication": gettext_noop(
        "Ich bin einverstanden, dass mein Fall ohne Namen und so verändert, dass niemand auf "
        "mich schließen kann, als Beispiel veröffentlicht wird (etwa im Jahresbericht)."
    ),
}


def seed_period_rules(period_rule_model: Any) -> None:
    for rule in PERIOD_RULES:
        period_rule_model.objects.get_or_create(
            code=rule["code"], valid_from=rule["valid_from"], defaults=rule
        )


def seed_vocabularies(term_model: Any, consent_text_model: Any) -> None:
    """Create missing seed terms and consent texts (idempotent; used by the migration)."""
    for vocabulary, terms in SEED.items():
        for order, (code, label, is_agg) in enumerate(terms, start=1):
            term_model.objects.get_or_create(
                vocabulary=vocabulary,
                code=code,
                defaults={"label": label, "order": order * 10, "is_agg": is_agg},
            )
    for purpose, text in CONSENT_TEXTS.items():
        consent_text_model.objects.get_or_create(
            purpose=purpose, version=1, defaults={"text": text, "valid_from": date(2026, 1, 1)}
        )
