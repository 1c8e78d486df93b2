"""Triage of reports by staff: assign, answer, mark, forward, and turn a report into a case.

Views, commands and tests call these functions alike. Every change writes the
audit log with codes and ids only, never the content of a report or message.
Each function locks the report row first, so that two people acting on the same
report at the same moment cannot both succeed where only one may (two cases
from one report, a forward racing a case opening).

Status transitions (``ReportStatus``)::

    received -> in_progress            (assign, answer the reporter, open a case)
    received | in_progress -> closed   (set_status)
    closed -> in_progress              (set_status: reopen)
    received | in_progress -> spam | duplicate   (mark_spam, mark_duplicate; not once a case exists)
    spam | duplicate -> received       (set_status: undo)
    forward: the organisation changes, the report starts again as received
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.audit.services import log_action
from wohnfair.cases import documents
from wohnfair.cases import services as case_services
from wohnfair.cases.forms import LANGUAGE_CHOICES, counsellor_choices
from wohnfair.cases.models import (
    Case,
    CaseType,
    Consent,
    ConsentPurpose,
    ConsentText,
    District,
    Respondent,
    Term,
    Vocabulary,
)
from wohnfair.intake.models import Report, ReportFile, ReportMessage, ReportStatus, Situation, Wish

if TYPE_CHECKING:
    from wohnfair.accounts.models import User

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 20_000
SUBJECT_PREFIX = "[Wohnfair] "


class TriageError(Exception):
    """A triage step that is not possible; ``message`` says why, in words for staff."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class CaseAlreadyOpened(TriageError):
    """The report has a case already (for example: the form was sent twice)."""

    def __init__(self, case: Case) -> None:
        super().__init__(_("Zu dieser Meldung wurde bereits ein Fall eröffnet."))
        self.case = case


OPEN_STATUSES = frozenset({ReportStatus.RECEIVED, ReportStatus.IN_PROGRESS})

# status -> statuses that set_status may move it to (spam and duplicate have their own functions)
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.IN_PROGRESS, ReportStatus.CLOSED}),
    ReportStatus.IN_PROGRESS: frozenset({ReportStatus.CLOSED}),
    ReportStatus.CLOSED: frozenset({ReportStatus.IN_PROGRESS}),
    ReportStatus.SPAM: frozenset({ReportStatus.RECEIVED}),
    ReportStatus.DUPLICATE: frozenset({ReportStatus.RECEIVED}),
}

# What happened -> area of life (Lebensbereich) of the incident in the case.
SITUATION_LEBENSBEREICH: dict[str, str] = {
    Situation.AD_EXCLUDED: "flat_search",
    Situation.NO_ANSWER: "flat_search",
    Situation.VIEWING_REFUSED: "flat_search",
    Situation.DIFFERENT_CONDITIONS: "flat_search",
    Situation.LANDLORD_HARASSMENT: "tenancy",
    Situation.NEIGHBOUR_HARASSMENT: "neighbourhood",
    Situation.AUTHORITY: "allocation",
    Situation.OTHER: "flat_search",
}
# When several situations were chosen, the most specific area wins.
LEBENSBEREICH_PRIORITY = ("neighbourhood", "tenancy", "allocation", "flat_search")
DEFAULT_LEBENSBEREICH = "flat_search"
FALLBACK_MERKMAL = "other"

# Stored content type of an evidence file -> evidence term (Beweismittel) of the incident.
CONTENT_TYPE_EVIDENCE: dict[str, str] = {
    "image/jpeg": "photos",
    "image/png": "photos",
    "message/rfc822": "emails",
    "application/vnd.ms-outlook": "emails",
}

WEB_CHANNEL = "web_report"
STAFF_CHANNEL = "telephone"  # reports entered by staff were mostly taken by phone


def _term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


def _locked(report: Report) -> Report:
    """The report row, locked until the end of the caller's transaction, fresh from the database."""
    return (
        Report.objects.unscoped("the caller looked the report up through for_user")
        .select_for_update()
        .get(pk=report.pk)
    )


def _refresh(report: Report, locked: Report) -> None:
    """Copy the saved state back into the caller's object."""
    for field in Report._meta.concrete_fields:
        setattr(report, field.attname, getattr(locked, field.attname))


def _audit_organisation(report: Report, by: User) -> Organisation | None:
    """The report's organisation; for the network queue the network of the acting administrator."""
    if report.organisation_id is not None:
        return report.organisation
    networks = administered_networks(by)
    return networks[0] if networks else None


def administered_networks(user: User) -> list[Organisation]:
    return [
        membership.organisation
        for membership in Membership.objects.filter(
            user=user,
            is_active=True,
            role=Role.ADMINISTRATOR,
            organisation__kind=Organisation.Kind.NETWORK,
        ).select_related("organisation")
    ]


def _start_work(report: Report) -> list[str]:
    """received -> in_progress; returns the fields changed."""
    if report.status == ReportStatus.RECEIVED:
        report.status = ReportStatus.IN_PROGRESS
        return ["status"]
    return []


# Assigning -----------------------------------------------------------------------------


def assignable_counsellors(organisation: Organisation) -> QuerySet[User]:
    """Active counsellors and leads of the organisation: the only people a report may go to."""
    return counsellor_choices(organisation)


def assign_report(report: Report, user: User | None, *, by: User) -> Report:
    """Make ``user`` (a counsellor or lead of the report's organisation) responsible; None clears.

    A new report is then in progress.
    """
    with transaction.atomic():
        locked = _locked(report)
        organisation = locked.organisation
        if organisation is None:
            raise TriageError(
                _(
                    "Die Meldung liegt in der Netzwerk-Warteschlange. Weisen Sie sie zuerst "
                    "einer Organisation zu."
                )
            )
        if user is not None and not assignable_counsellors(organisation).filter(pk=user.pk):
            raise TriageError(
                _("Diese Person arbeitet nicht als Berater*in oder Leitung in Ihrer Organisation.")
            )
        locked.assigned_to = user
        fields = ["assigned_to", *(_start_work(locked) if user is not None else [])]
        locked.save(update_fields=[*fields, "updated_at"])
        log_action(
            by,
            locked.organisation,
            "report.assigned",
            locked,
            assignee=user.pk if user is not None else None,
        )
    _refresh(report, locked)
    return report


# Messages ------------------------------------------------------------------------------


def reply(report: Report, text: str, *, by: User, internal: bool = False) -> ReportMessage:
    """An answer the reporter sees at the follow-up page, or an internal note they never see.

    If the reporter gave an e-mail address, an answer (not a note) sends a mail after
    the commit that only says there is news; the text stays behind the receipt code.
    """
    text = (text or "").strip()
    if not text:
        raise TriageError(_("Bitte schreiben Sie eine Nachricht."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise TriageError(
            _("Die Nachricht ist zu lang (höchstens %(limit)d Zeichen).")
            % {"limit": MAX_MESSAGE_LENGTH}
        )
    with transaction.atomic():
        locked = _locked(report)
        if locked.organisation_id is None:
            raise TriageError(
                _(
                    "Die Meldung liegt in der Netzwerk-Warteschlange. Antworten kann die "
                    "Organisation, der sie zugewiesen wird."
                )
            )
        message = ReportMessage.objects.create(
            report=locked, author=by, body=text, internal=internal
        )
        if not internal:
            fields = _start_work(locked)
            locked.save(update_fields=[*fields, "updated_at"])
            if locked.contact_email:
                transaction.on_commit(
                    partial(_send_news_mail, locked.contact_email, locked.language), robust=True
                )
        log_action(
            by,
            locked.organisation,
            "report.note_added" if internal else "report.answered",
            locked,
            message=message.pk,
        )
    _refresh(report, locked)
    return message


def news_mail(language: str) -> tuple[str, str]:
    """Subject and body of the "new message" mail, in the report's language; no content at all."""
    with translation.override(language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse("intake:follow_up")
        subject = SUBJECT_PREFIX + gettext("Neue Nachricht zu Ihrer Meldung")
        body = "\n\n".join(
            [
                gettext("Guten Tag,"),
                gettext(
                    "es gibt eine neue Nachricht zu Ihrer Meldung. Bitte sehen Sie mit Ihrem "
                    "Code nach:"
                ),
                link,
                gettext(
                    "Diese E-Mail enthält bewusst keine Inhalte. Die Nachricht lesen Sie nur "
                    "mit Ihrem Code."
                ),
            ]
        )
    return subject, body


def _send_news_mail(address: str, language: str) -> None:
    subject, body = news_mail(language)
    try:
        mail.EmailMessage(subject=subject, body=body, to=[address]).send()
    except Exception:
        # The answer is stored and shown at the follow-up page; the mail is not retried.
        logger.exception("a report notification e-mail could not be sent")


def mark_read(report: Report) -> int:
    """Mark the reporter's messages read (when staff open the report); returns how many."""
    return report.messages.filter(author__isnull=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Status --------------------------------------------------------------------------------


def _refuse_if_case(locked: Report) -> None:
    if locked.case_id is not None:
        raise TriageError(
            _(
                "Zu dieser Meldung gibt es schon einen Fall. Sie kann nicht mehr als Spam "
                "oder doppelt markiert werden."
            )
        )


def mark_spam(report: Report, *, by: User) -> Report:
    with transaction.atomic():
        locked = _locked(report)
        _refuse_if_case(locked)
        if locked.status not in OPEN_STATUSES:
            raise TriageError(
                _("Nur neue oder laufende Meldungen können als Spam markiert werden.")
            )
        old = locked.status
        locked.status = ReportStatus.SPAM
        locked.save(update_fields=["status", "updated_at"])
        log_action(
            by,
            _audit_organisation(locked, by),
            "report.status_changed",
            locked,
            old=old,
            new=locked.status,
        )
    _refresh(report, locked)
    return report


def mark_duplicate(report: Report, of: Report, *, by: User) -> Report:
    """Mark ``report`` as a duplicate of ``of``, another report of the same organisation."""
    with transaction.atomic():
        locked = _locked(report)
        _refuse_if_case(locked)
        if of.pk == locked.pk:
            raise TriageError(_("Eine Meldung kann nicht Duplikat von sich selbst sein."))
        if of.organisation_id != locked.organisation_id:
            raise TriageError(_("Die andere Meldung gehört nicht zu derselben Organisation."))
        if of.duplicate_of_id == locked.pk:
            raise TriageError(
                _("Die andere Meldung ist bereits als Duplikat dieser Meldung markiert.")
            )
        if locked.status not in OPEN_STATUSES:
            raise TriageError(
                _("Nur neue oder laufende Meldungen können als doppelt markiert werden.")
            )
        old = locked.status
        locked.status = ReportStatus.DUPLICATE
        locked.duplicate_of = of
        locked.save(update_fields=["status", "duplicate_of", "updated_at"])
        log_action(
            by,
            _audit_organisation(locked, by),
            "report.status_changed",
            locked,
            old=old,
            new=locked.status,
            duplicate_of=of.pk,
        )
    _refresh(report, locked)
    return report


def set_status(report: Report, status: str, *, by: User) -> Report:
    """Move the report to ``status``; spam goes to ``mark_spam``; duplicates need the original."""
    if status == ReportStatus.SPAM:
        return mark_spam(report, by=by)
    if status == ReportStatus.DUPLICATE:
        raise TriageError(_("Bitte geben Sie das Aktenzeichen der ursprünglichen Meldung an."))
    if status not in ReportStatus.values:
        raise TriageError(_("Diesen Status gibt es nicht."))
    with transaction.atomic():
        locked = _locked(report)
        if status not in ALLOWED_TRANSITIONS.get(locked.status, frozenset()):
            raise TriageError(
                _("Von „%(old)s“ nach „%(new)s“ ist kein Statuswechsel möglich.")
                % {"old": locked.get_status_display(), "new": ReportStatus(status).label}
            )
        old = locked.status
        locked.status = status
        locked.duplicate_of = None
        locked.save(update_fields=["status", "duplicate_of", "updated_at"])
        log_action(
            by,
            _audit_organisation(locked, by),
            "report.status_changed",
            locked,
            old=old,
            new=status,
        )
    _refresh(report, locked)
    return report


# Forwarding ----------------------------------------------------------------------------


def forward_targets(report: Report, *, by: User) -> QuerySet[Organisation]:
    """Offices a report may be forwarded to.

    From an organisation: the other members of its networks. From the network queue:
    the members of the networks ``by`` administers.
    """
    if report.organisation is None:
        networks = [network.pk for network in administered_networks(by)]
        exclude = None
    else:
        networks = list(report.organisation.networks.values_list("pk", flat=True))
        exclude = report.organisation.pk
    targets = Organisation.objects.filter(
        kind=Organisation.Kind.OFFICE, networks__in=networks
    ).distinct()
    if exclude is not None:
        targets = targets.exclude(pk=exclude)
    return targets.order_by("name")


def forward(report: Report, organisation: Organisation, *, by: User) -> Report:
    """Hand the report to another office of the network; the sender no longer sees it.

    The receiving office gets it as a new report: nobody assigned, reporter messages unread.
    """
    with transaction.atomic():
        locked = _locked(report)
        if locked.case_id is not None:
            raise TriageError(
                _(
                    "Zu dieser Meldung gibt es schon einen Fall; sie kann nicht mehr "
                    "weitergeleitet werden."
                )
            )
        if locked.status not in OPEN_STATUSES:
            raise TriageError(_("Nur neue oder laufende Meldungen können weitergeleitet werden."))
        if not forward_targets(locked, by=by).filter(pk=organisation.pk).exists():
            raise TriageError(
                _("An diese Organisation kann die Meldung nicht weitergeleitet werden.")
            )
        sender = _audit_organisation(locked, by)
        old_status = locked.status
        locked.organisation = organisation
        locked.assigned_to = None
        locked.status = ReportStatus.RECEIVED
        locked.save(update_fields=["organisation", "assigned_to", "status", "updated_at"])
        locked.messages.filter(author__isnull=True).update(read_at=None)
        log_action(by, sender, "report.forwarded", locked, to=organisation.pk, old=old_status)
        log_action(
            by,
            organisation,
            "report.forwarded_in",
            locked,
            sender=sender.pk if sender is not None else None,
        )
    _refresh(report, locked)
    return report


# Opening a case ------------------------------------------------------------------------


@dataclass
class NewRespondent:
    name: str
    kind: Term


def lebensbereich_code(situations: Iterable[str]) -> str:
    areas = {SITUATION_LEBENSBEREICH.get(situation) for situation in situations}
    for area in LEBENSBEREICH_PRIORITY:
        if area in areas:
            return area
    return DEFAULT_LEBENSBEREICH


def default_channel(report: Report) -> Term:
    return _term(Vocabulary.CHANNEL, STAFF_CHANNEL if report.entered_by_id else WEB_CHANNEL)


def case_language(report: Report) -> str:
    known = {code for code, _label in LANGUAGE_CHOICES}
    for language in (report.preferred_language, report.language):
        if language in known:
            return language
    return "de"


def pseudonym(report: Report) -> str:
    # Stored data: German like every other stored label, whatever the staff's language.
    return f"Anonyme Meldung {report.reference}"


def situation_labels(report: Report) -> list[str]:
    labels = dict(Situation.choices)
    return [str(labels.get(code, code)) for code in report.situations]


def consent_labels(report: Report) -> list[tuple[str, str]]:
    """(purpose as words, text version) of each consent the reporter gave."""
    labels = dict(ConsentPurpose.choices)
    return [
        (str(labels.get(purpose, purpose)), str(version))
        for purpose, version in sorted((report.consents or {}).items())
    ]


def _report_note(report: Report) -> str:
    """What the report says that has no field in the case, as the first note (encrypted)."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            gettext("Angaben aus der Meldung %(reference)s:") % {"reference": report.reference}
        ]
        if report.situations:
            lines.append(
                gettext("Was ist passiert: %(what)s")
                % {"what": "; ".join(situation_labels(report))}
            )
        place = " ".join(part for part in (report.postcode, report.city) if part)
        if report.district:
            place = f"{place}, {report.district}" if place else report.district
        if place:
            lines.append(gettext("Ort: %(place)s") % {"place": place})
        if report.respondent_name:
            lines.append(
                gettext("Verursachende laut Meldung: %(name)s") % {"name": report.respondent_name}
            )
        lines.append(gettext("Wunsch: %(wish)s") % {"wish": Wish(report.wish).label})
        if report.call_times:
            lines.append(
                gettext("Gute Zeiten für einen Anruf: %(times)s") % {"times": report.call_times}
            )
        if report.entered_by_id:
            lines.append(gettext("Von Mitarbeitenden aufgenommen."))
    return "\n".join(lines)


def report_file_bytes(report_file: ReportFile) -> bytes:
    """The decrypted bytes of an evidence file (stored by the public side)."""
    from wohnfair.intake import services as intake_services

    return intake_services.read_report_file(report_file)


def _consent_text(purpose: str, version: Any) -> ConsentText:
    try:
        return ConsentText.objects.get(purpose=purpose, version=int(version))
    except (ConsentText.DoesNotExist, TypeError, ValueError):
        raise TriageError(
            _(
                "Die Einwilligung „%(purpose)s“ der Meldung verweist auf eine unbekannte "
                "Textversion. Bitte wenden Sie sich an die Administration."
            )
            % {"purpose": purpose}
        ) from None


def open_case_from_report(
    report: Report,
    *,
    by: User,
    respondent: Respondent | None = None,
    new_respondent: NewRespondent | None = None,
    channel: Term | None = None,
    case_type: str = CaseType.COUNSELLING,
) -> Case:
    """A case prefilled from the report, linked to it; all or nothing.

    incident (date, or the day the report came in marked approximate; area of life
    from the situations; grounds, or "other"; description), the
    person (contact data or a pseudonym), the respondent (given, or created here),
    the evidence files as case documents, the consents with the exact text versions
    the reporter agreed to. The report is then in progress and points to the case.
    Raises CaseAlreadyOpened when the report has a case (a form sent twice).
    """
    if respondent is not None and new_respondent is not None:
        raise ValueError("either an existing or a new respondent")
    stored: list[str] = []  # files written for case documents, removed again on failure
    try:
        return _open_case(
            report,
            by=by,
            respondent=respondent,
            new_respondent=new_respondent,
            channel=channel,
            case_type=case_type,
            stored=stored,
        )
    except BaseException:
        for storage_name in stored:
            documents.delete_stored_file(storage_name)
        raise


def _open_case(
    report: Report,
    *,
    by: User,
    respondent: Respondent | None,
    new_respondent: NewRespondent | None,
    channel: Term | None,
    case_type: str,
    stored: list[str],
) -> Case:
    with transaction.atomic():
        locked = _locked(report)
        if locked.case_id is not None:
            raise CaseAlreadyOpened(locked.case)  # type: ignore[arg-type]
        organisation = locked.organisation
        if organisation is None:
            raise TriageError(
                _(
                    "Die Meldung liegt in der Netzwerk-Warteschlange und hat noch keine "
                    "Organisation."
                )
            )
        if locked.status not in (*OPEN_STATUSES, ReportStatus.CLOSED):
            raise TriageError(
                _("Aus einer Meldung, die als Spam oder doppelt markiert ist, wird kein Fall.")
            )
        if respondent is not None and respondent.organisation_id != organisation.pk:
            raise TriageError(_("Diese Verursachenden gehören nicht zu Ihrer Organisation."))
        consent_texts = [
            (purpose, _consent_text(purpose, version))
            for purpose, version in sorted((locked.consents or {}).items())
        ]
        if new_respondent is not None:
            name = new_respondent.name.strip()
            if not name:
                raise TriageError(_("Bitte geben Sie den Namen der Verursachenden an."))
            respondent = case_services.create_respondent(
                organisation, by=by, kind=new_respondent.kind, name=name[:200]
            )

        received = received_on(locked)
        merkmale = list(locked.grounds.filter(vocabulary=Vocabulary.MERKMAL))
        if not merkmale:
            merkmale = [_term(Vocabulary.MERKMAL, FALLBACK_MERKMAL)]
        files = list(locked.files.all())
        evidence_codes = {
            CONTENT_TYPE_EVIDENCE[f.content_type]
            for f in files
            if f.content_type in CONTENT_TYPE_EVIDENCE
        }
        district = None
        if locked.district:
            district = District.objects.filter(
                organisation=organisation, is_active=True, name__iexact=locked.district.strip()
            ).first()
        counsellor = locked.assigned_to
        if counsellor is None or not assignable_counsellors(organisation).filter(pk=counsellor.pk):
            counsellor = by

        case = case_services.open_case(
            organisation=organisation,
            opened_by=by,
            case_type=case_type,
            first_contact=received,
            channel=channel or default_channel(locked),
            language=case_language(locked),
            counsellors=[counsellor],
            person=case_services.PersonData(
                name=locked.contact_name.strip() or pseudonym(locked),
                email=locked.contact_email,
                phone=locked.contact_phone,
                preferred_language=locked.preferred_language,
            ),
            incident=case_services.IncidentData(
                # Unknown: the day the report came in, marked approximate. The incident
                # happened before that, so a legal period counted from it is not shortened.
                date=locked.incident_date or received,
                date_is_approximate=locked.date_is_approximate or locked.incident_date is None,
                lebensbereich=_term(
                    Vocabulary.LEBENSBEREICH, lebensbereich_code(locked.situations)
                ),
                merkmale=merkmale,
                description=locked.description,
                district=district,
                respondent=respondent,
                evidence=list(
                    Term.objects.filter(vocabulary=Vocabulary.EVIDENCE, code__in=evidence_codes)
                ),
            ),
        )
        for purpose, text in consent_texts:
            Consent.objects.create(
                case=case, purpose=purpose, text=text, given_on=received, recorded_by=by
            )
            log_action(by, organisation, "case.consent_given", case, purpose=purpose)
        case_services.add_note(case, _report_note(locked), by=by)
        _copy_files(case, files, reference=locked.reference, by=by, stored=stored)

        old = locked.status
        locked.case = case
        locked.status = ReportStatus.IN_PROGRESS
        if locked.assigned_to_id is None:
            locked.assigned_to = counsellor
        locked.save(update_fields=["case", "status", "assigned_to", "updated_at"])
        log_action(by, organisation, "report.case_opened", locked, case=case.pk, old=old)
    _refresh(report, locked)
    return case


def _copy_files(
    case: Case, files: list[ReportFile], *, reference: str, by: User, stored: list[str]
) -> None:
    """Each evidence file once (by checksum) as a case document, encrypted for the case."""
    from wohnfair.cases.letters import store_generated_document

    seen: set[str] = set()
    for report_file in files:
        if report_file.sha256 in seen:
            continue
        seen.add(report_file.sha256)
        try:
            data = report_file_bytes(report_file)
        except Exception as error:
            logger.exception("report file %s could not be read", report_file.pk)
            raise TriageError(
                _(
                    "Eine Datei der Meldung konnte nicht gelesen werden. Es wurde kein Fall "
                    "eröffnet. Bitte wenden Sie sich an die Administration."
                )
            ) from error
        try:
            document = store_generated_document(
                case,
                data,
                filename=report_file.original_name,
                content_type=report_file.content_type,
                by=by,
                title=f"Aus der Meldung {reference}",
            )
        except ValidationError as error:
            raise TriageError(error.messages[0]) from error
        stored.append(document.storage_name)


# Counts --------------------------------------------------------------------------------


def status_counts(reports: QuerySet[Report]) -> dict[str, int]:
    """Reports per status, for the filters of the queue (one query)."""
    counts = reports.aggregate(
        **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in ReportStatus.values}
    )
    return {status: counts[f"n_{status}"] or 0 for status in ReportStatus.values}


def new_report_count(user: User, membership: Membership | None) -> int:
    """New (received) reports this user may see; for the "Meldungen" entry of the navigation."""
    return Report.objects.for_user(user, membership).filter(status=ReportStatus.RECEIVED).count()


def received_on(report: Report) -> date:
    return timezone.localdate(report.created_at)
