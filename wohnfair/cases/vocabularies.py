"""The initial documentation vocabularies (seeded by migration 0002).

Codes follow the categories of German counselling networks (advd; DeZIM/ADS
minimum documentation standards 2022). Labels are German msgids so that
``Term.display_label`` translates them. Later changes are made as data (admin)
or in new migrations, never by editing a code.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_noop as N_

# vocabulary -> [(code, label, is_agg)]
SEED: dict[str, list[tuple[str, str, bool]]] = {
    "merkmal": [
        ("ethnic_origin", N_("ethnische Herkunft / rassistische Zuschreibung"), True),
        ("religion", N_("Religion oder Weltanschauung"), True),
        ("disability", N_("Behinderung oder chronische Krankheit"), True),
        ("age", N_("Lebensalter"), True),
        ("gender", N_("Geschlecht oder Geschlechtsidentität"), True),
        ("sexual_identity", N_("sexuelle Identität"), True),
        ("nationality", N_("Staatsangehörigkeit"), False),
        ("residence_status", N_("Aufenthaltsstatus"), False),
        ("language", N_("Sprache"), False),
        ("social_status", N_("sozialer Status oder Einkommen"), False),
        ("family_size", N_("Familiengröße oder Kinder"), False),
        ("homelessness", N_("Wohnungslosigkeit"), False),
        ("other", N_("anderes Merkmal"), False),
    ],
    "lebensbereich": [
        ("flat_search", N_("Wohnungssuche"), False),
        ("allocation", N_("Vergabe durch Behörde oder Wohnungsunternehmen"), False),
        ("tenancy", N_("bestehendes Mietverhältnis"), False),
        ("neighbourhood", N_("Nachbarschaft"), False),
        ("shelter", N_("Unterkunft oder Notunterkunft"), False),
        ("outside_housing", N_("anderer Lebensbereich außerhalb des Wohnens"), False),
    ],
    "form": [
        ("direct", N_("unmittelbare Benachteiligung"), False),
        ("indirect", N_("mittelbare Benachteiligung"), False),
        ("harassment", N_("Belästigung"), False),
        ("sexual_harassment", N_("sexuelle Belästigung"), False),
        ("instruction", N_("Anweisung zur Benachteiligung"), False),
        ("victimisation", N_("Maßregelung"), False),
    ],
    "ebene": [
        ("individual", N_("individuell"), False),
        ("institutional", N_("institutionell"), False),
        ("structural", N_("strukturell"), False),
    ],
    "verursachende": [
        ("private_landlord", N_("private Vermieter*in"), False),
        ("housing_company", N_("Wohnungsunternehmen"), False),
        ("agent", N_("Makler*in oder Hausverwaltung"), False),
        ("portal", N_("Online-Portal"), False),
        ("neighbour", N_("Nachbar*in"), False),
        ("authority", N_("Behörde oder Jobcenter"), False),
        ("other", N_("andere"), False),
    ],
    "channel": [
        ("walk_in", N_("persönlich"), False),
        ("telephone", N_("Telefon"), False),
        ("email", N_("E-Mail"), False),
        ("web_report", N_("Online-Meldung"), False),
        ("referral", N_("Vermittlung durch andere Stelle"), False),
        ("outreach", N_("aufsuchende Beratung oder Sprechstunde"), False),
    ],
    "outcome": [
        ("apology", N_("Entschuldigung"), False),
        ("flat_obtained", N_("Wohnung erhalten"), False),
        ("compensation", N_("Entschädigung oder Schadensersatz"), False),
        ("settlement", N_("Vergleich"), False),
        ("judgment", N_("Urteil"), False),
        ("statement_received", N_("Stellungnahme erhalten"), False),
        ("no_result", N_("kein Ergebnis"), False),
        ("dropped", N_("nicht weiterverfolgt"), False),
    ],
    "closing_reason": [
        ("resolved", N_("Anliegen erledigt"), False),
        ("person_ended", N_("Person hat die Beratung beendet"), False),
        ("no_contact", N_("kein Kontakt mehr"), False),
        ("referred", N_("weitervermittelt"), False),
        ("deadline_passed", N_("Frist abgelaufen"), False),
        ("not_discrimination", N_("keine Diskriminierung erkennbar"), False),
        ("other", N_("sonstiger Grund"), False),
    ],
    "evidence": [
        ("ad", N_("Wohnungsanzeige"), False),
        ("memory_protocol", N_("Gedächtnisprotokoll"), False),
        ("emails", N_("E-Mails oder Briefe"), False),
        ("witnesses", N_("Zeug*innen"), False),
        ("testing", N_("Testing"), False),
        ("photos", N_("Fotos oder Screenshots"), False),
    ],
    "intervention": [
        ("information", N_("Information und Beratung"), False),
        ("complaint_letter", N_("Beschwerdebrief"), False),
        ("claim", N_("Geltendmachung von Ansprüchen"), False),
        ("statement_request", N_("Bitte um Stellungnahme"), False),
        ("mediation_talk", N_("Vermittlungsgespräch"), False),
        ("testing", N_("Testing"), False),
        ("other_bodies", N_("Einschaltung anderer Stellen"), False),
        ("public_work", N_("Öffentlichkeitsarbeit"), False),
        ("court_accompaniment", N_("Begleitung zum Gericht"), False),
        ("referral_lawyer", N_("Verweis an Anwält*in"), False),
        ("referral_foundation", N_("Verweis an die Stiftung (Rechtshilfe)"), False),
        ("conciliation", N_("Schlichtung"), False),
    ],
}

# Legal periods (see cases.models.PeriodRule): code -> fields of the first version.
PERIOD_RULES = [
    {
        "code": "agg_21_5",
        "name": N_("Geltendmachung von Ansprüchen nach dem AGG"),
        "legal_basis": "§ 21 Abs. 5 AGG",
        "months": 2,
        "days": 0,
        "runs_from": "incident",
        "valid_from": date(2006, 8, 18),
    }
]

CONSENT_TEXTS = {
    "counselling": N_(
        "Ich bin einverstanden, dass die Beratungsstelle meine Angaben, auch zu meiner "
        "Herkunft, Religion, Gesundheit oder sexuellen Identität, speichert und nutzt, um "
        "mich zu beraten und in meinem Auftrag tätig zu werden. Ich kann diese Einwilligung "
        "jederzeit widerrufen."
    ),
    "statistics": N_(
        "Ich bin einverstanden, dass mein Fall ohne Namen und ohne Angaben, die auf mich "
        "schließen lassen, in Statistiken der Beratungsstelle und ihres Netzwerks gezählt wird."
    ),
    "publication": N_(
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
