"""Demo reports for `manage.py load_demo` (idempotent).

A dozen invented reports from the public portal in German, English, Turkish and
Arabic, in every state a reporter can see (received, in progress, closed; spam
and duplicates look closed to them), some anonymous, some in the network queue.
Each demo report has a fixed receipt code, so that the follow-up page can be
tried: ``load()`` returns (reference, receipt code) for ``load_demo`` to print.
Reports are stored through ``services.submit_report`` like real ones (encrypted,
routed, audited); the demo then sets their state, age and messages directly.
The catchment areas of the two demo offices are created if missing.

All people, companies and events are invented.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wohnfair.accounts.models import Organisation, User
from wohnfair.intake import receipts, services
from wohnfair.intake.models import CatchmentArea, Report, ReportMessage, ReportStatus

CATCHMENT = {
    "PL": [("441", ""), ("442", ""), ("", "Dortmund")],
    "BO": [("447", ""), ("448", ""), ("", "Bochum"), ("", "Wattenscheid")],
}
COUNSELLORS = {"PL": "beratung@planerladen.example", "BO": "beratung@bochum.example"}


@dataclass(frozen=True)
class Spec:
    key: str
    language: str
    status: str
    days_ago: int
    situations: list[str]
    description: str
    postcode: str = ""
    city: str = ""
    district: str = ""
    respondent_kind: str = ""
    respondent_name: str = ""
    grounds: list[str] = field(default_factory=list)  # merkmal codes
    wish: str = "counselling"
    consents: list[str] = field(default_factory=lambda: ["counselling", "statistics"])
    contact: dict[str, str] = field(default_factory=dict)
    # (who, text): who is "office", "reporter" or "internal"
    messages: list[tuple[str, str]] = field(default_factory=list)
    duplicate_of: str = ""


REPORTS = [
    Spec(
        "01",
        "de",
        ReportStatus.RECEIVED,
        2,
        ["no_answer"],
        "Ich habe mich auf fünf Wohnungen beworben. Mit meinem Namen kam keine Antwort. Meine "
        "Kollegin hat sich mit einem deutschen Namen beworben und wurde sofort eingeladen.",
        postcode="44137",
        city="Dortmund",
        district="Innenstadt-West",
        respondent_kind="housing_company",
        respondent_name="Wohnbau Westfalen Beispiel GmbH",
        grounds=["ethnic_origin"],
        wish="document_only",
        consents=["statistics"],
    ),
    Spec(
        "02",
        "de",
        ReportStatus.IN_PROGRESS,
        12,
        ["viewing_refused"],
        "Der Makler hat am Telefon gefragt, ob ich Kopftuch trage. Danach war die Besichtigung "
        "angeblich abgesagt. Eine Freundin hat am selben Tag noch einen Termin bekommen.",
        postcode="44139",
        city="Dortmund",
        district="Innenstadt-Ost",
        respondent_kind="agent",
        respondent_name="Immobilien Kreuzviertel Beispiel",
        grounds=["religion"],
        contact={
            "contact_name": "Selin Arslan",
            "contact_email": "selin.arslan@example.org",
            "contact_phone": "0231 5550142",
            "preferred_language": "de",
            "call_times": "werktags ab 17 Uhr",
        },
        messages=[
            ("office", "Vielen Dank für Ihre Meldung. Dürfen wir Sie morgen ab 17 Uhr anrufen?"),
            ("reporter", "Ja, gern. Ich habe auch noch die SMS des Maklers."),
            ("internal", "Testing beim Makler prüfen; ähnliche Meldung im März."),
        ],
    ),
    Spec(
        "03",
        "tr",
        ReportStatus.IN_PROGRESS,
        20,
        ["landlord_harassment"],
        "Ev sahibi bana her hafta Türkçe konuştuğum için bağırıyor ve kirayı zamanında "
        "ödememe rağmen sözleşmeyi feshetmekle tehdit ediyor.",
        postcode="44145",
        city="Dortmund",
        district="Innenstadt-Nord",
        respondent_kind="private_landlord",
        grounds=["ethnic_origin", "language"],
        messages=[
            ("office", "Merhaba, bildiriminiz için teşekkür ederiz. Ne zaman başladı?"),
            ("reporter", "Yaklaşık üç ay önce başladı."),
        ],
    ),
    Spec(
        "04",
        "ar",
        ReportStatus.RECEIVED,
        1,
        ["ad_excluded"],
        "كان في الإعلان: لا نؤجر للاجئين. أنا أعيش في ألمانيا منذ ست سنوات ولدي عمل.",
        postcode="44787",
        city="Bochum",
        respondent_kind="portal",
        grounds=["ethnic_origin", "residence_status"],
        wish="document_only",
        consents=["statistics", "publication"],
    ),
    Spec(
        "05",
        "en",
        ReportStatus.CLOSED,
        90,
        ["different_conditions"],
        "The letting agent asked me for a deposit of six months' rent because I am not a "
        "German citizen. German applicants were asked for three months.",
        postcode="44801",
        city="Bochum",
        district="Bochum-Süd",
        respondent_kind="agent",
        respondent_name="Ruhr Lettings Example",
        grounds=["nationality"],
        contact={"contact_email": "j.okafor@example.org", "preferred_language": "en"},
        messages=[
            ("office", "Thank you. We wrote to the agency and asked for a statement."),
            ("office", "The agency has changed its conditions. We are closing your report."),
            ("reporter", "Thank you for your help!"),
        ],
    ),
    Spec(
        "06",
        "de",
        ReportStatus.RECEIVED,
        3,
        ["neighbour_harassment"],
        "Seit wir eingezogen sind, hängen Nachbarn Zettel mit Beleidigungen gegen uns als "
        "lesbisches Paar an die Haustür.",
        postcode="50667",
        city="Köln",
        respondent_kind="neighbour",
        grounds=["sexual_identity"],
    ),
    Spec(
        "07",
        "de",
        ReportStatus.SPAM,
        5,
        ["other"],
        "Günstige Uhren und Kredite ohne Schufa, jetzt bestellen!",
        postcode="44135",
        city="Dortmund",
        wish="document_only",
        consents=["statistics"],
    ),
    Spec(
        "08",
        "de",
        ReportStatus.DUPLICATE,
        11,
        ["viewing_refused"],
        "Nochmal wegen dem Makler und der abgesagten Besichtigung, ich weiß nicht, ob meine "
        "erste Meldung angekommen ist.",
        postcode="44139",
        city="Dortmund",
        respondent_kind="agent",
        grounds=["religion"],
        duplicate_of="02",
    ),
    Spec(
        "09",
        "tr",
        ReportStatus.CLOSED,
        140,
        ["authority"],
        "Belediyenin konut dairesi, çocuklarım olduğu ve sosyal yardım aldığım için başvurumu "
        "kabul etmedi.",
        postcode="44866",
        city="Bochum",
        district="Wattenscheid",
        respondent_kind="authority",
        grounds=["social_status", "family_size"],
        contact={"contact_phone": "0234 5550199", "preferred_language": "tr"},
        messages=[("office", "Sizi aradık ve başvurunuzu birlikte yeniden yaptık.")],
    ),
    Spec(
        "10",
        "ar",
        ReportStatus.IN_PROGRESS,
        8,
        ["viewing_refused"],
        "رفضت المالكة أن أرى الشقة عندما سمعت اسمي على الهاتف.",
        postcode="44143",
        city="Dortmund",
        respondent_kind="private_landlord",
        grounds=["ethnic_origin"],
        contact={
            "contact_name": "Yara Haddad",
            "contact_phone": "0176 5550123",
            "preferred_language": "ar",
            "call_times": "صباحاً",
        },
        messages=[("office", "شكراً لك. سنتصل بك غداً صباحاً مع مترجمة.")],
    ),
    Spec(
        "11",
        "en",
        ReportStatus.RECEIVED,
        0,
        ["ad_excluded"],
        "An advert on a housing portal said the flat was not suitable for wheelchair users, "
        "although it has a lift and no steps.",
        postcode="45127",
        city="Essen",
        respondent_kind="portal",
        grounds=["disability"],
        wish="document_only",
        consents=["statistics"],
    ),
    Spec(
        "12",
        "de",
        ReportStatus.IN_PROGRESS,
        30,
        ["landlord_harassment"],
        "Die Hausverwaltung will uns älteren Mietern die Wohnung kündigen, weil wir den "
        "Treppenlift beantragt haben.",
        postcode="44789",
        city="Bochum",
        district="Bochum-Mitte",
        respondent_kind="agent",
        grounds=["age", "disability"],
        messages=[
            ("office", "Wir haben Ihre Meldung gelesen. Haben Sie das Schreiben der Verwaltung?"),
            ("internal", "Mögliche Maßregelung; Frist prüfen."),
        ],
    ),
]


def demo_code(key: str) -> str:
    """The fixed receipt code of a demo report (published on purpose: demo only)."""
    number = int(hashlib.sha256(f"wohnfair-demo-receipt-{key}".encode()).hexdigest(), 16)
    return f"{number % 10**receipts.DIGITS:0{receipts.DIGITS}d}"


def _token(key: str) -> str:
    return f"wohnfair-demo-report-{key}"


def _catchment() -> None:
    for code, areas in CATCHMENT.items():
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            continue
        for prefix, district in areas:
            CatchmentArea.objects.get_or_create(
                organisation=organisation, postcode_prefix=prefix, district=district
            )


def _store(spec: Spec, by_key: dict[str, Report]) -> Report:
    now = timezone.now()
    form_data = {
        "submission_token": _token(spec.key),
        "situations": spec.situations,
        "description": spec.description,
        "incident_date": (now - timedelta(days=spec.days_ago + 3)).date(),
        "postcode": spec.postcode,
        "city": spec.city,
        "district": spec.district,
        "respondent_kind": spec.respondent_kind,
        "respondent_name": spec.respondent_name,
        "ground_codes": spec.grounds,
        "wish": spec.wish,
        "consents": spec.consents,
        **spec.contact,
    }
    report, _code = services.submit_report(form_data, [], language=spec.language, notify=False)
    created = now - timedelta(days=spec.days_ago, hours=3)
    counsellor = None
    if report.organisation is not None:
        email = COUNSELLORS.get(report.organisation.code, "")
        counsellor = User.objects.filter(email=email).first()
    changes = {
        "receipt_hash": receipts.hash_code(demo_code(spec.key)),
        "status": spec.status,
        "created_at": created,
        "proof_of_work_verified": True,
        "assigned_to": counsellor if spec.status == ReportStatus.IN_PROGRESS else None,
        "duplicate_of": by_key.get(spec.duplicate_of),
    }
    services.reports("demo data").filter(pk=report.pk).update(**changes)
    for index, (who, text) in enumerate(spec.messages, start=1):
        author = None if who == "reporter" else counsellor
        if author is None and who != "reporter":
            continue  # no demo staff to answer (accounts demo not loaded)
        message = ReportMessage.objects.create(
            report=report, author=author, body=text, internal=who == "internal"
        )
        ReportMessage.objects.filter(pk=message.pk).update(
            created_at=created + timedelta(days=index, hours=index)
        )
    report.refresh_from_db()
    return report


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create what is missing; return (reference, receipt code) of every demo report."""
    _catchment()
    by_key: dict[str, Report] = {}
    pairs = []
    for spec in REPORTS:
        report = services.find_by_submission_token(_token(spec.key))
        if report is None:
            report = _store(spec, by_key)
        by_key[spec.key] = report
        pairs.append((report.reference, receipts.format_code(demo_code(spec.key))))
    return pairs
