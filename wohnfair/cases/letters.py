"""Letters from templates: placeholders, drafts, and the finished PDF in the case file.

A lead edits the organisation's letter templates. Placeholders are written as
``{{ person.name }}`` and come from a fixed list (``PLACEHOLDERS``); a template
with any other placeholder, or with template tags such as ``{% debug %}``, is
refused when it is saved. Rendering replaces the known placeholders with plain
text by a regular expression, in one pass: the Django template engine never
sees text a user wrote, so nothing in a template or a case can be evaluated.

Life of a letter::

    create_letter      draft with recipient, subject and body filled in from the case
    update_draft       the counsellor edits recipient, subject and body (drafts only)
    finalise_letter    PDF (WeasyPrint), stored encrypted as a case document,
                       logged as an intervention; the letter is final from then on

``finalise_letter`` renders the PDF before it writes anything; the document,
the intervention, the deadline (for a claim letter) and the letter change in
one transaction, and the stored file is deleted again if that fails.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wohnfair.audit.services import log_action
from wohnfair.cases import documents
from wohnfair.cases.models import (
    Case,
    Deadline,
    Document,
    Incident,
    Intervention,
    Letter,
    LetterTemplate,
    Person,
    PersonRole,
    Respondent,
    Term,
    Vocabulary,
)
from wohnfair.lib import pdf

if TYPE_CHECKING:
    from wohnfair.accounts.models import Organisation, User

logger = logging.getLogger(__name__)

Kind = LetterTemplate.Kind

# Placeholder -> what it stands for (shown to leads next to the template editor).
PLACEHOLDERS: dict[str, Any] = {
    "person.name": gettext_lazy("Name der ratsuchenden Person"),
    "person.address": gettext_lazy("Anschrift der ratsuchenden Person"),
    "respondent.name": gettext_lazy("Name der Verursachenden (etwa Vermieter*in)"),
    "respondent.address": gettext_lazy("Anschrift der Verursachenden"),
    "incident.date": gettext_lazy("Datum des Vorfalls (TT.MM.JJJJ)"),
    "incident.description": gettext_lazy("Beschreibung des Vorfalls aus der Fallakte"),
    "case.number": gettext_lazy("Fallnummer (unser Zeichen)"),
    "deadline.due_on": gettext_lazy("Ende der Zwei-Monats-Frist nach § 21 Abs. 5 AGG (TT.MM.JJJJ)"),
    "reply.due_on": gettext_lazy(
        "Antwortfrist: heute in zwei Wochen, am Wochenende der folgende Montag (TT.MM.JJJJ)"
    ),
    "counsellor.name": gettext_lazy("Name der Berater*in, die den Brief anlegt"),
    "organisation.name": gettext_lazy("Name der Beratungsstelle"),
    "organisation.letterhead": gettext_lazy("Briefkopf der Beratungsstelle"),
    "today": gettext_lazy("heutiges Datum (TT.MM.JJJJ)"),
}

PLACEHOLDER_RE = re.compile(r"\{\{\s*(?P<name>[^{}]*?)\s*\}\}")
TAG_RE = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# What a placeholder without data becomes in a draft; a letter containing it is not finalised.
MISSING_MARK = "[fehlt: {label}]"
MISSING_RE = re.compile(r"\[fehlt: [^\]\n]*\]")

REPLY_DAYS = 14
CLAIM_RULE = "agg_21_5"

# Letter kind -> code of the intervention it is logged as (vocabulary "intervention").
INTERVENTION_CODES = {
    Kind.CLAIM: "claim",
    Kind.COMPLAINT: "complaint_letter",
    Kind.STATEMENT: "statement_request",
    Kind.LAWYER: "referral_lawyer",
    Kind.OTHER: "other_bodies",
}
FILE_STEMS = {
    Kind.CLAIM: "Geltendmachung",
    Kind.COMPLAINT: "Beschwerdebrief",
    Kind.STATEMENT: "Bitte-um-Stellungnahme",
    Kind.LAWYER: "Anschreiben-Anwaltskanzlei",
    Kind.OTHER: "Brief",
}


class LetterError(Exception):
    """A letter action that is refused; ``str(error)`` is a German message for the user."""


class LetterRenderError(LetterError):
    """The PDF could not be produced; nothing was stored."""


# Placeholders -------------------------------------------------------------------------


def validate_template(text: str) -> None:
    """Raise ValidationError naming each unknown placeholder and each template tag."""
    errors: list[ValidationError] = []
    unknown: list[str] = []
    for match in PLACEHOLDER_RE.finditer(text or ""):
        name = match.group("name")
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    for name in unknown:
        errors.append(
            ValidationError(
                _("Unbekannter Platzhalter: %(placeholder)s"),
                code="unknown_placeholder",
                params={"placeholder": as_placeholder(name)},
            )
        )
    for tag in dict.fromkeys(match.group(0) for match in TAG_RE.finditer(text or "")):
        errors.append(
            ValidationError(
                _(
                    "Vorlagenbefehle wie %(tag)s sind nicht erlaubt; erlaubt sind nur "
                    "Platzhalter in doppelten geschweiften Klammern."
                ),
                code="template_tag",
                params={"tag": tag},
            )
        )
    rest = TAG_RE.sub("", PLACEHOLDER_RE.sub("", text or ""))
    if "{{" in rest or "}}" in rest:
        errors.append(
            ValidationError(
                _(
                    "Ein Platzhalter ist unvollständig: Jeder Platzhalter beginnt mit {{ "
                    "und endet mit }}."
                ),
                code="incomplete_placeholder",
            )
        )
    if errors:
        raise ValidationError(errors)


def as_placeholder(name: str) -> str:
    return "{{ " + name + " }}"


def fmt(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def reply_date(today: date) -> date:
    day = today + timedelta(days=REPLY_DAYS)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def open_claim_deadline(case: Case) -> Deadline | None:
    """The first open § 21(5) AGG deadline of the case (rows come from ``cases.deadlines``)."""
    return (
        case.deadlines.filter(rule__code=CLAIM_RULE, met_on__isnull=True)
        .select_related("incident")
        .order_by("due_on", "id")
        .first()
    )


def _advice_seeker(case: Case) -> Person | None:
    persons = list(case.persons.all())
    for person in persons:
        if person.role == PersonRole.ADVICE_SEEKER:
            return person
    return persons[0] if persons else None


@dataclass
class LetterFacts:
    """What the placeholders of one case are filled with."""

    person: Person | None
    respondent: Respondent | None
    incident: Incident | None
    deadline: Deadline | None
    counsellor: User | None
    organisation: Organisation
    case: Case
    today: date


def facts_for(case: Case, *, by: User | None, today: date | None = None) -> LetterFacts:
    deadline = open_claim_deadline(case)
    incidents = list(case.incidents.select_related("respondent").order_by("date", "id"))
    incident = deadline.incident if deadline and deadline.incident else None
    if incident is None and incidents:
        incident = incidents[0]
    respondent = incident.respondent if incident else None
    if respondent is None:
        respondent = next((i.respondent for i in incidents if i.respondent), None)
    return LetterFacts(
        person=_advice_seeker(case),
        respondent=respondent,
        incident=incident,
        deadline=deadline,
        counsellor=by,
        organisation=case.organisation,
        case=case,
        today=today or timezone.localdate(),
    )


def placeholder_values(facts: LetterFacts) -> dict[str, str]:
    person, respondent, incident = facts.person, facts.respondent, facts.incident
    return {
        "person.name": person.name if person else "",
        "person.address": person.address if person else "",
        "respondent.name": respondent.name if respondent else "",
        "respondent.address": respondent.address if respondent else "",
        "incident.date": fmt(incident.date) if incident else "",
        "incident.description": (incident.description or "").strip() if incident else "",
        "case.number": facts.case.number,
        "deadline.due_on": fmt(facts.deadline.due_on) if facts.deadline else "",
        "reply.due_on": fmt(reply_date(facts.today)),
        "counsellor.name": str(facts.counsellor) if facts.counsellor else "",
        "organisation.name": facts.organisation.name,
        "organisation.letterhead": letterhead(facts.organisation),
        "today": fmt(facts.today),
    }


def letterhead(organisation: Organisation) -> str:
    # Organisations have no postal address yet; the letterhead is the name.
    return organisation.name


def render_text(text: str, values: dict[str, str]) -> str:
    """Replace known placeholders by plain text, in one pass; anything else stays literal.

    A value that itself looks like a placeholder is not replaced again, and an
    unknown placeholder is left as it is written.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = values.get(name, "")
        return value if value else MISSING_MARK.format(label=PLACEHOLDERS[name])

    return PLACEHOLDER_RE.sub(replace, text)


def recipient_for(facts: LetterFacts) -> str:
    """The respondent's name and address, one line per part, for the address field."""
    respondent = facts.respondent
    if respondent is None:
        return ""
    parts = [respondent.name.strip()]
    parts += [part.strip() for part in re.split(r"[,\n]", respondent.address or "")]
    return "\n".join(part for part in parts if part)


def missing_parts(letter: Letter) -> list[str]:
    return list(
        dict.fromkeys(MISSING_RE.findall(f"{letter.recipient}\n{letter.subject}\n{letter.body}"))
    )


# Shipped templates --------------------------------------------------------------------

DEFAULT_TEMPLATES: list[dict[str, str]] = [
    {
        "kind": Kind.COMPLAINT,
        "name": "Beschwerdebrief an Vermieter*in",
        "subject": "Beschwerde wegen einer Benachteiligung – Vorfall vom {{ incident.date }}",
        "body": """Sehr geehrte Damen und Herren,

{{ person.name }} hat sich an {{ organisation.name }} gewandt und uns von einem Vorfall am {{ incident.date }} berichtet, den {{ person.name }} als Benachteiligung erlebt hat:

{{ incident.description }}

Wir nehmen diese Schilderung ernst. Das Allgemeine Gleichbehandlungsgesetz (AGG) verbietet bei der Vermietung von Wohnraum Benachteiligungen aus den in § 1 AGG genannten Gründen (§ 19 AGG), insbesondere aus rassistischen Gründen oder wegen der ethnischen Herkunft.

Wir bitten Sie daher, den Vorgang zu prüfen, uns die Gründe für Ihr Vorgehen mitzuteilen und uns darzulegen, wie Sie sicherstellen, dass sich ein solcher Vorfall nicht wiederholt. Wir sind zuversichtlich, dass sich die Angelegenheit im Gespräch klären lässt, und bieten Ihnen dafür gern einen Termin an.

Für Ihre Antwort bis zum {{ reply.due_on }} danken wir Ihnen im Voraus. Bitte geben Sie dabei unser Zeichen {{ case.number }} an.""",  # noqa: E501
    },
    {
        "kind": Kind.CLAIM,
        "name": "Geltendmachung von Ansprüchen nach § 21 AGG",
        "subject": (
            "Geltendmachung von Ansprüchen nach § 21 AGG – {{ person.name }}, "
            "Vorfall vom {{ incident.date }}"
        ),
        "body": """Sehr geehrte Damen und Herren,

wir beraten und unterstützen {{ person.name }} in einer Angelegenheit, die sich am {{ incident.date }} ereignet hat. {{ person.name }} hat uns bevollmächtigt, die Ansprüche nach dem Allgemeinen Gleichbehandlungsgesetz (AGG) Ihnen gegenüber geltend zu machen; eine Kopie der Vollmacht fügen wir bei.

Nach unserer Kenntnis hat sich Folgendes zugetragen:

{{ incident.description }}

Diese Umstände sind Indizien im Sinne des § 22 AGG dafür, dass {{ person.name }} wegen eines in § 1 AGG genannten Grundes benachteiligt wurde. Das Benachteiligungsverbot gilt nach § 19 AGG auch bei der Vermietung von Wohnraum.

Namens und im Auftrag von {{ person.name }} machen wir hiermit innerhalb der Frist von zwei Monaten nach § 21 Abs. 5 AGG, die am {{ deadline.due_on }} endet, folgende Ansprüche geltend:

1. Ersatz des entstandenen Schadens nach § 21 Abs. 2 Satz 1 AGG,
2. eine angemessene Entschädigung in Geld wegen des Schadens, der nicht Vermögensschaden ist, nach § 21 Abs. 2 Satz 3 AGG,
3. die Beseitigung der Beeinträchtigung und die Unterlassung weiterer Benachteiligungen nach § 21 Abs. 1 AGG.

Wir bitten Sie, uns bis zum {{ reply.due_on }} schriftlich mitzuteilen, ob Sie die Ansprüche anerkennen, und uns einen Vorschlag zu ihrer Erfüllung zu unterbreiten. Für ein Gespräch, in dem sich die Angelegenheit gütlich regeln lässt, stehen wir gern zur Verfügung.

Sollten wir bis zu diesem Datum keine Antwort erhalten, wird {{ person.name }} weitere Schritte prüfen, auch eine gerichtliche Geltendmachung. Bitte geben Sie bei Ihrer Antwort unser Zeichen {{ case.number }} an.""",  # noqa: E501
    },
    {
        "kind": Kind.STATEMENT,
        "name": "Bitte um Stellungnahme",
        "subject": "Bitte um Stellungnahme – Vorfall vom {{ incident.date }}",
        "body": """Sehr geehrte Damen und Herren,

{{ organisation.name }} berät Menschen, die bei der Wohnungssuche oder im Mietverhältnis Benachteiligung erleben. {{ person.name }} hat uns von einem Vorfall am {{ incident.date }} berichtet und uns gebeten, den Sachverhalt mit Ihnen zu klären. Das Einverständnis von {{ person.name }} zu dieser Anfrage liegt uns vor.

Nach der Schilderung von {{ person.name }} hat sich Folgendes ereignet:

{{ incident.description }}

Uns ist bewusst, dass wir bisher nur eine Sicht auf den Vorgang kennen. Wir bitten Sie deshalb um Ihre Stellungnahme: Wie stellt sich der Vorgang aus Ihrer Sicht dar, und nach welchen Kriterien haben Sie Ihre Entscheidung getroffen?

Bitte lassen Sie uns Ihre Stellungnahme bis zum {{ reply.due_on }} zukommen und geben Sie dabei unser Zeichen {{ case.number }} an. Für Rückfragen oder ein persönliches Gespräch stehen wir Ihnen gern zur Verfügung.""",  # noqa: E501
    },
    {
        "kind": Kind.LAWYER,
        "name": "Anschreiben an Anwält*in",
        "subject": (
            "Anfrage zur Mandatsübernahme – {{ person.name }} ./. {{ respondent.name }} "
            "(Allgemeines Gleichbehandlungsgesetz)"
        ),
        "body": """Sehr geehrte Damen und Herren,

wir beraten {{ person.name }} in einer Angelegenheit nach dem Allgemeinen Gleichbehandlungsgesetz (AGG) und möchten Ihnen den Fall mit dem Einverständnis von {{ person.name }} zur rechtlichen Vertretung vorstellen.

Zum Sachverhalt: Am {{ incident.date }} kam es zu folgendem Vorfall mit {{ respondent.name }}:

{{ incident.description }}

Die Frist von zwei Monaten zur Geltendmachung von Ansprüchen nach § 21 Abs. 5 AGG endet nach unserer Berechnung am {{ deadline.due_on }}. Wegen dieser Frist wären wir Ihnen für eine Rückmeldung bis zum {{ reply.due_on }} dankbar, ob Sie das Mandat übernehmen können.

Unsere bisherigen Unterlagen, etwa Gedächtnisprotokolle und Schriftverkehr, stellen wir Ihnen mit dem Einverständnis von {{ person.name }} gern zur Verfügung. Unser Zeichen lautet {{ case.number }}.""",  # noqa: E501
    },
]


def ensure_default_templates(organisation: Organisation) -> list[LetterTemplate]:
    """Create the shipped templates of each kind the organisation has none of; returns them."""
    have = set(organisation.letter_templates.values_list("kind", flat=True))
    created = []
    for template in DEFAULT_TEMPLATES:
        if template["kind"] in have:
            continue
        validate_template(template["subject"] + "\n" + template["body"])
        created.append(LetterTemplate.objects.create(organisation=organisation, **template))
    return created


# Drafts -------------------------------------------------------------------------------


def case_accepts_letters(case: Case) -> bool:
    return not case.is_closed and case.anonymised_at is None


def _check_case(case: Case) -> None:
    if not case_accepts_letters(case):
        raise LetterError(
            _(
                "Zu einem abgeschlossenen oder anonymisierten Fall können keine Briefe "
                "angelegt, bearbeitet oder fertiggestellt werden."
            )
        )


def _check_draft(letter: Letter) -> None:
    if letter.is_final:
        raise LetterError(
            _("Der Brief ist bereits fertiggestellt und kann nicht mehr bearbeitet werden.")
        )
    _check_case(letter.case)


def create_letter(case: Case, template: LetterTemplate, *, by: User) -> Letter:
    """A draft from the template with the case's data filled in."""
    _check_case(case)
    if template.organisation_id != case.organisation_id or not template.is_active:
        raise LetterError(_("Diese Briefvorlage steht für den Fall nicht zur Verfügung."))
    from wohnfair.cases.deadlines import ensure_deadlines

    with transaction.atomic():
        ensure_deadlines(case)  # so that {{ deadline.due_on }} follows the incident dates
        facts = facts_for(case, by=by)
        values = placeholder_values(facts)
        letter = Letter.objects.create(
            case=case,
            template=template,
            kind=template.kind,
            # A lawyer is not the respondent; the counsellor enters the address.
            recipient="" if template.kind == Kind.LAWYER else recipient_for(facts),
            subject=render_text(template.subject, values),
            body=render_text(template.body, values),
            created_by=by,
        )
        log_action(by, case.organisation, "case.letter_created", case, letter=letter.pk)
    return letter


def update_draft(letter: Letter, *, by: User, recipient: str, subject: str, body: str) -> Letter:
    """Save the counsellor's edits; the text is kept exactly as written (no placeholders)."""
    _check_draft(letter)
    with transaction.atomic():
        # Locked and checked again: a draft finalised meanwhile stays as it was sent.
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        _check_draft(locked)
        locked.recipient = recipient.strip()
        locked.subject = subject.strip()
        locked.body = body.strip()
        locked.save(update_fields=["recipient", "subject", "body"])
        log_action(
            by, locked.case.organisation, "case.letter_edited", locked.case, letter=locked.pk
        )
    letter.recipient, letter.subject, letter.body = locked.recipient, locked.subject, locked.body
    return letter


# PDF ----------------------------------------------------------------------------------


def url_fetcher() -> Any:
    """The fetcher WeasyPrint gets for letters: it refuses every URL."""
    return pdf.url_fetcher()


def render_pdf(html: str) -> bytes:
    """HTML to PDF bytes; LetterRenderError with a German message if that fails."""
    try:
        return pdf.render_pdf(html)
    except Exception as error:
        logger.exception("letter PDF could not be rendered")
        raise LetterRenderError(
            _(
                "Das PDF konnte nicht erstellt werden. Es wurde nichts gespeichert; der Brief "
                "bleibt ein Entwurf. Bitte versuchen Sie es später noch einmal oder wenden "
                "Sie sich an die technische Betreuung."
            )
        ) from error


def letter_html(letter: Letter, *, by: User, on: date) -> str:
    case = letter.case
    lines = [line.strip() for line in (letter.recipient or "").splitlines() if line.strip()]
    return render_to_string(
        "cases/letters/pdf.html",
        {
            "letter": letter,
            "case": case,
            "organisation": case.organisation,
            "letterhead": letterhead(case.organisation),
            "recipient_lines": lines,
            "date": fmt(on),
            "signer": by,
        },
    )


def render_letter_pdf(letter: Letter, *, by: User, on: date | None = None) -> bytes:
    return render_pdf(letter_html(letter, by=by, on=on or timezone.localdate()))


# Storing ------------------------------------------------------------------------------


def store_generated_document(
    case: Case,
    data: bytes,
    *,
    filename: str,
    content_type: str,
    by: User,
    title: str = "",
) -> Document:
    """Encrypt and store bytes made by the application (not an upload) as a case document.

    Same storage and encryption as ``documents.store_document``: the file is written
    first, then the row and the audit entry; if they fail, the file is deleted again.
    """
    if not documents.accepts_documents(case):
        raise ValidationError(documents.CASE_CLOSED_MESSAGE, code="case_closed")
    if not data:
        raise ValueError("no data to store")
    storage_name = documents.STORE.write(data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                uploaded_by=by,
                title=title.strip()[: documents.MAX_TITLE_LENGTH],
                original_name=documents.clean_name(filename) or "Dokument",
                storage_name=storage_name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            log_action(
                by,
                case.organisation,
                "case.document_added",
                case,
                document=document.pk,
                generated=True,
            )
    except BaseException:
        documents.delete_stored_file(storage_name)
        raise
    return document


# Finalising ---------------------------------------------------------------------------


def _check_complete(letter: Letter) -> None:
    if not letter.recipient.strip():
        raise LetterError(_("Bitte tragen Sie die Empfänger*in ein, bevor Sie das PDF erstellen."))
    if not letter.subject.strip() or not letter.body.strip():
        raise LetterError(_("Betreff und Text des Briefs dürfen nicht leer sein."))
    missing = missing_parts(letter)
    if missing:
        raise LetterError(
            _(
                "Im Brief fehlen noch Angaben: %(missing)s. Bitte ergänzen Sie sie im "
                "Entwurf, bevor Sie das PDF erstellen."
            )
            % {"missing": ", ".join(missing)}
        )


def _mark_deadline_met(intervention: Intervention) -> None:
    try:
        from wohnfair.cases.deadlines import mark_met_by_claim
    except ImportError as error:
        raise ImproperlyConfigured(
            "wohnfair.cases.deadlines.mark_met_by_claim is missing: a claim letter must "
            "mark the § 21(5) AGG deadline of its case as met."
        ) from error
    mark_met_by_claim(intervention)


def finalise_letter(letter: Letter, *, by: User) -> Letter:
    """Render the PDF, store it, log the intervention and close the draft; all or nothing.

    Raises LetterError (LetterRenderError when WeasyPrint fails) with a German
    message; then nothing is stored and the letter stays a draft.
    """
    _check_draft(letter)
    _check_complete(letter)
    today = timezone.localdate()
    pdf = render_letter_pdf(letter, by=by, on=today)  # before anything is written
    rendered = (letter.recipient, letter.subject, letter.body)
    stored: Document | None = None
    try:
        with transaction.atomic():
            locked = (
                Letter.objects.select_for_update()
                .select_related("case__organisation")
                .get(pk=letter.pk)
            )
            _check_draft(locked)
            if (locked.recipient, locked.subject, locked.body) != rendered:
                raise LetterError(
                    _("Der Entwurf wurde inzwischen geändert. Bitte prüfen Sie ihn erneut.")
                )
            case = locked.case
            stored = store_generated_document(
                case,
                pdf,
                filename=f"{FILE_STEMS[Kind(locked.kind)]}-{case.number}-{today:%Y-%m-%d}.pdf",
                content_type="application/pdf",
                by=by,
                title=locked.subject,
            )
            intervention = Intervention.objects.create(
                case=case,
                kind=Term.objects.get(
                    vocabulary=Vocabulary.INTERVENTION, code=INTERVENTION_CODES[Kind(locked.kind)]
                ),
                date=today,
                by=by,
                addressee=locked.recipient.strip().splitlines()[0][:200],
                summary=locked.subject,
            )
            if locked.kind == Kind.CLAIM:
                _mark_deadline_met(intervention)
            locked.document = stored
            locked.intervention = intervention
            locked.sent_on = today
            locked.save(update_fields=["document", "intervention", "sent_on"])
            log_action(
                by,
                case.organisation,
                "case.letter_finalised",
                case,
                letter=locked.pk,
                kind=locked.kind,
                document=stored.pk,
                intervention=intervention.pk,
            )
    except BaseException:
        if stored is not None:
            documents.delete_stored_file(stored.storage_name)
        raise
    return locked
