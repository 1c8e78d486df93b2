"""Data subject rights for persons in a case file: access (Art. 15) and erasure (Art. 17).

``export_person`` gathers everything stored about one person, decrypted, and
nothing about anyone else in the same case. ``erase_person`` removes the person
everywhere and leaves a content-free ``ErasureRecord``.

Case-wide narratives (incident descriptions, notes, documents, consents,
interventions) are the story of the person seeking advice. They are exported
for advice-seekers only; for other roles (witnesses, relatives, conflict
parties) they could reveal the advice-seeker's data, so the export says that
they were left out and staff decide separately (GDPR Art. 15(4)). Likewise
erasure removes them only when the erased person is the case's only
advice-seeker; ``strip_workflow_content`` does the same for the records of the
counselling workflow (also used by the retention job).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wohnfair.audit.services import log_action
from wohnfair.cases.models import (
    AggAssessment,
    Agreement,
    ErasureRecord,
    Incident,
    Intervention,
    Letter,
    MediationSession,
    Note,
    Notification,
    Person,
    PersonRole,
    Task,
    Term,
)

if TYPE_CHECKING:
    from wohnfair.accounts.models import User
    from wohnfair.cases.models import Case

EXPORT_FORMAT_VERSION = 1
ERASURE_SCOPE = "person"
# What an anonymised task is called: its title may name people or details of the case.
ANONYMISED_TASK_TITLE = "Aufgabe (anonymisiert)"


class ErasureReason(models.TextChoices):
    """Why a person was erased; stored as a code in the ledger, never free text."""

    REQUEST = "request", _("Antrag der Person auf Löschung (Art. 17 DSGVO)")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Einwilligung widerrufen")
    NO_LONGER_NEEDED = "no_longer_needed", _("Daten werden nicht mehr benötigt")


def _term(term: Term | None) -> dict[str, str] | None:
    if term is None:
        return None
    return {"code": term.code, "label": term.display_label}


def _terms(terms: models.QuerySet[Term]) -> list[dict[str, str]]:
    return [{"code": term.code, "label": term.display_label} for term in terms]


def _choice(value: str, label: Any) -> dict[str, str]:
    return {"code": value, "label": str(label)}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def is_advice_seeker(person: Person) -> bool:
    return person.role == PersonRole.ADVICE_SEEKER


def is_only_advice_seeker(person: Person) -> bool:
    return (
        is_advice_seeker(person)
        and not person.case.persons.filter(role=PersonRole.ADVICE_SEEKER)
        .exclude(pk=person.pk)
        .exists()
    )


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "role": _choice(person.role, person.get_role_display()),
        "party_role": person.party_role,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "preferred_language": person.preferred_language,
        "household_size": person.household_size,
        "characteristics": _terms(person.characteristics.order_by("vocabulary", "order", "code")),
        "recorded_at": _moment(person.created_at),
    }


def _case_data(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "organisation": case.organisation.name,
        "case_type": _choice(case.case_type, case.get_case_type_display()),
        "status": _choice(case.status, case.get_status_display()),
        "first_contact": _day(case.first_contact),
        "closed_on": _day(case.closed_on),
        "channel": _term(case.channel),
        "language": case.language,
        "interpreter_needed": case.interpreter_needed,
        "who_came": _choice(case.who_came, case.get_who_came_display()),
        "outcome": _term(case.outcome),
        "closing_reason": _term(case.closing_reason),
        "satisfaction": case.satisfaction,
        "anonymised_at": _moment(case.anonymised_at),
    }


def _incident_data(incident: Incident) -> dict[str, Any]:
    # The respondent is a record of the organisation (possibly another natural
    # person): only its kind is part of the person's data.
    return {
        "date": _day(incident.date),
        "date_end": _day(incident.date_end),
        "date_is_approximate": incident.date_is_approximate,
        "district": incident.district.name if incident.district else None,
        "lebensbereich": _term(incident.lebensbereich),
        "merkmale": _terms(incident.merkmale.order_by("order", "code")),
        "form": _term(incident.form),
        "ebene": _term(incident.ebene),
        "respondent_kind": _term(incident.respondent.kind) if incident.respondent else None,
        "evidence": _terms(incident.evidence.order_by("order", "code")),
        "description": incident.description,
    }


def _intervention_data(intervention: Intervention) -> dict[str, Any]:
    return {
        "date": _day(intervention.date),
        "kind": _term(intervention.kind),
        "addressee": intervention.addressee,
        "summary": intervention.summary,
        "result": intervention.result,
        "next_step": intervention.next_step,
    }


def export_person(person: Person) -> dict[str, Any]:
    """Everything stored about ``person``, decrypted, as JSON-ready data.

    Contains nothing about other persons of the same case. Case narratives are
    included for advice-seekers only (see the module docstring).
    """
    case = person.case
    full = is_advice_seeker(person)
    data: dict[str, Any] = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _moment(timezone.now()),
        "person": _person_data(person),
        "case": _case_data(case),
        "case_records_included": full,
        "incidents": [],
        "notes": [],
        "consents": [],
        "documents": [],
        "interventions": [],
    }
    if not full:
        data["case_records_note"] = gettext(
            "Schilderungen, Notizen, Einwilligungen, Dokumente und Interventionen dieses Falls "
            "betreffen die ratsuchende Person. Sie sind nicht enthalten, damit keine Daten "
            "anderer Personen herausgegeben werden; Angaben darin über diese Person werden auf "
            "Anfrage gesondert geprüft und mitgeteilt."
        )
        return data
    incidents = Incident.objects.filter(case=case).select_related(
        "district", "lebensbereich", "form", "ebene", "respondent__kind"
    )
    data["incidents"] = [_incident_data(incident) for incident in incidents]
    data["notes"] = [
        {"created_at": _moment(note.created_at), "text": note.text}
        for note in Note.objects.filter(case=case).order_by("created_at", "pk")
    ]
    data["consents"] = [
        {
            "purpose": _choice(consent.purpose, consent.get_purpose_display()),
            "given_on": _day(consent.given_on),
            "withdrawn_on": _day(consent.withdrawn_on),
            "text_version": consent.text.version,
            "text": consent.text.text,
        }
        for consent in case.consents.select_related("text").order_by("purpose", "given_on", "pk")
    ]
    data["documents"] = [
        {
            "title": document.title,
            "file_name": document.original_name,
            "content_type": document.content_type,
            "size": document.size,
            "uploaded_at": _moment(document.uploaded_at),
        }
        for document in case.documents.order_by("uploaded_at", "pk")
    ]
    data["interventions"] = [
        _intervention_data(intervention)
        for intervention in Intervention.objects.filter(case=case)
        .select_related("kind")
        .order_by("date", "pk")
    ]
    return data


def remove_case_documents(case: Case) -> int:
    """Delete the case's documents with their stored files; returns how many.

    Uses ``cases.documents.remove_document`` for each (file and row); refuses
    to run without it rather than leave files behind.
    """
    documents = list(case.documents.all())
    if not documents:
        return 0
    try:
        from wohnfair.cases.documents import remove_document
    except ImportError as error:  # pragma: no cover - only while the module is missing
        raise ImportError(
            "wohnfair.cases.documents.remove_document is needed to delete document files; "
            "refusing to delete document rows and leave their files behind"
        ) from error
    for document in documents:
        remove_document(document)
    case.documents.all().delete()
    return len(documents)


def strip_workflow_content(case: Case, *, clear_participants: bool = True) -> dict[str, int]:
    """Blank or delete the personal content of the case's workflow records; returns counts.

    Call inside a transaction. Interventions lose addressee, summary, result and
    next step; task titles become a neutral text; letters are deleted (their PDF
    documents go with the case's documents); the AGG check loses its rationale;
    mediation sessions lose place, interpreter, topics, notes and participants;
    agreements lose text and review result; the case's notifications are deleted.
    ``clear_participants=False`` keeps who took part in sessions (erasing one
    person removes only that person's participation, with the person).
    Kept for the statistics: intervention kinds and dates, due and done dates of
    tasks, dates of sessions and agreements, deadlines, and the AGG answers and
    result (codes of the documentation categories).
    """
    interventions = Intervention.objects.filter(case=case).update(
        addressee="", summary="", result="", next_step=""
    )
    tasks = Task.objects.filter(case=case).update(title=ANONYMISED_TASK_TITLE)
    letters = Letter.objects.filter(case=case).delete()[0]
    assessments = AggAssessment.objects.filter(case=case).update(rationale="")
    sessions = MediationSession.objects.filter(case=case)
    if clear_participants:
        participation = MediationSession.participants.through.objects
        participation.filter(mediationsession__case=case).delete()
    session_count = sessions.update(place="", interpreter="", topics="", notes="")
    agreements = Agreement.objects.filter(case=case).update(text="", review_result="")
    notifications = Notification.objects.filter(case=case).delete()[0]
    return {
        "interventions": interventions,
        "tasks": tasks,
        "letters": letters,
        "agg_checks": assessments,
        "sessions": session_count,
        "agreements": agreements,
        "notifications": notifications,
    }


def erase_person(person: Person, *, by: User | None, reason: str) -> ErasureRecord:
    """Remove ``person`` everywhere; all or nothing.

    Deletes the person (with name index and characteristics). When the person
    is the case's only advice-seeker, the case's narratives go too: incident
    descriptions are blanked, notes and documents (with their files) deleted,
    and the workflow records lose their content (``strip_workflow_content``).
    Statistical fields of the case stay. Writes a content-free ``ErasureRecord``
    and an audit entry ``case.person_erased`` (codes only).
    """
    if reason not in ErasureReason.values:
        raise ValueError(f"unknown erasure reason {reason!r}")
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("case__organisation")
            .get(pk=person.pk)
        )
        case = person.case
        with_narratives = is_only_advice_seeker(person)
        person.delete()
        documents = 0
        if with_narratives:
            Incident.objects.filter(case=case).exclude(description="").update(description="")
            Note.objects.filter(case=case).delete()
            strip_workflow_content(case, clear_participants=False)
            documents = remove_case_documents(case)
        record = ErasureRecord.objects.create(
            organisation=case.organisation,
            case_number=case.number,
            scope=ERASURE_SCOPE,
            reason=reason,
            erased_by=by,
        )
        log_action(
            by,
            case.organisation,
            "case.person_erased",
            case,
            reason=reason,
            case_records=with_narratives,
            documents=documents,
        )
    return record
