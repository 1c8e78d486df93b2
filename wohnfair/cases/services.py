"""Workflows on case files, called alike by views, commands, the intake and tests.

Every change writes the audit log (codes only, never content).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F

from wohnfair.audit.services import log_action
from wohnfair.cases.models import (
    Case,
    CaseAssignment,
    CaseCounter,
    CaseStatus,
    Consent,
    ConsentText,
    Incident,
    Note,
    Person,
    PersonRole,
    Respondent,
    Term,
)

if TYPE_CHECKING:
    from wohnfair.accounts.models import Organisation, User


class TransitionError(Exception):
    """A status change that the case's current status does not allow."""


# status -> statuses it may move to (closing and reopening have their own functions)
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.OPEN: {CaseStatus.IN_PROGRESS, CaseStatus.WAITING},
    CaseStatus.IN_PROGRESS: {CaseStatus.WAITING},
    CaseStatus.WAITING: {CaseStatus.IN_PROGRESS},
    CaseStatus.CLOSED: set(),
}


def next_case_number(organisation: Organisation, year: int) -> tuple[str, int]:
    """The next readable number, for example ``PL-2026-0042``; call inside a transaction.

    The counter row is locked, so concurrent openings never get the same number.
    """
    CaseCounter.objects.get_or_create(organisation=organisation, year=year)
    counter = CaseCounter.objects.select_for_update().get(organisation=organisation, year=year)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return f"{organisation.code}-{year}-{counter.last:04d}", counter.last


@dataclass
class IncidentData:
    date: date
    lebensbereich: Term
    merkmale: list[Term]
    description: str = ""
    date_end: date | None = None
    date_is_approximate: bool = False
    district: Any = None
    form: Term | None = None
    ebene: Term | None = None
    respondent: Respondent | None = None
    evidence: list[Term] = field(default_factory=list)

    @classmethod
    def from_form(cls, data: dict[str, Any], **overrides: Any) -> IncidentData:
        """From an IncidentForm's cleaned data."""
        values = {
            "date": data["date"],
            "date_end": data["date_end"],
            "date_is_approximate": data["date_is_approximate"],
            "district": data["district"],
            "lebensbereich": data["lebensbereich"],
            "merkmale": list(data["merkmale"]),
            "form": data["form"],
            "ebene": data["ebene"],
            "respondent": data["respondent"],
            "evidence": list(data["evidence"]),
            "description": data["description"],
        }
        return cls(**{**values, **overrides})


@dataclass
class PersonData:
    name: str
    role: str = PersonRole.ADVICE_SEEKER
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_language: str = ""
    household_size: int | None = None
    party_role: str = ""
    characteristics: list[Term] = field(default_factory=list)

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> PersonData:
        """From a PersonForm's or PartyForm's cleaned data."""
        return cls(
            role=data.get("role", PersonRole.ADVICE_SEEKER),
            party_role=data.get("party_role", ""),
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            address=data["address"],
            preferred_language=data["preferred_language"],
            household_size=data["household_size"],
            characteristics=list(data["characteristics"]),
        )


def open_case(
    *,
    organisation: Organisation,
    opened_by: User,
    case_type: str,
    first_contact: date,
    channel: Term | None = None,
    language: str = "de",
    interpreter_needed: bool = False,
    who_came: str = "affected",
    restricted: bool = False,
    counsellors: list[User] | None = None,
    person: PersonData | None = None,
    incident: IncidentData | None = None,
    consents: list[str] | None = None,
    consent_date: date | None = None,
) -> Case:
    """Open a case with its person, first incident and consents, all or nothing."""
    with transaction.atomic():
        number, sequence = next_case_number(organisation, first_contact.year)
        case = Case.objects.create(
            organisation=organisation,
            number=number,
            year=first_contact.year,
            sequence=sequence,
            case_type=case_type,
            first_contact=first_contact,
            channel=channel,
            language=language,
            interpreter_needed=interpreter_needed,
            who_came=who_came,
            restricted=restricted,
            created_by=opened_by,
        )
        for counsellor in counsellors or [opened_by]:
            CaseAssignment.objects.create(case=case, user=counsellor)
        if person is not None:
            add_person(case, person, by=opened_by, log=False)
        if incident is not None:
            add_incident(case, incident, by=opened_by, log=False)
        for purpose in consents or []:
            record_consent(
                case, purpose, given_on=consent_date or first_contact, by=opened_by, log=False
            )
        log_action(opened_by, organisation, "case.opened", case, case_type=case_type)
    return case


def add_person(case: Case, data: PersonData, *, by: User, log: bool = True) -> Person:
    person = Person.objects.create(
        case=case,
        role=data.role,
        name=data.name,
        email=data.email,
        phone=data.phone,
        address=data.address,
        preferred_language=data.preferred_language,
        household_size=data.household_size,
        party_role=data.party_role,
    )
    if data.characteristics:
        person.characteristics.set(data.characteristics)
    if log:
        log_action(by, case.organisation, "case.person_added", case, person=person.pk)
    return person


def add_incident(case: Case, data: IncidentData, *, by: User, log: bool = True) -> Incident:
    incident = Incident.objects.create(
        case=case,
        date=data.date,
        date_end=data.date_end,
        date_is_approximate=data.date_is_approximate,
        district=data.district,
        lebensbereich=data.lebensbereich,
        form=data.form,
        ebene=data.ebene,
        respondent=data.respondent,
        description=data.description,
    )
    incident.merkmale.set(data.merkmale)
    incident.evidence.set(data.evidence)
    if log:
        log_action(by, case.organisation, "case.incident_added", case, incident=incident.pk)
    from wohnfair.cases import deadlines

    deadlines.ensure_deadlines(case)  # also for the first incident of open_case
    return incident


def add_note(case: Case, text: str, *, by: User) -> Note:
    note = Note.objects.create(case=case, author=by, text=text)
    log_action(by, case.organisation, "case.note_added", case, note=note.pk)
    return note


def record_consent(
    case: Case, purpose: str, *, given_on: date, by: User, log: bool = True
) -> Consent:
    consent = Consent.objects.create(
        case=case,
        purpose=purpose,
        text=ConsentText.current(purpose),
        given_on=given_on,
        recorded_by=by,
    )
    if log:
        log_action(by, case.organisation, "case.consent_given", case, purpose=purpose)
    return consent


def withdraw_consent(consent: Consent, *, on: date, by: User) -> Consent:
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    log_action(
        by,
        consent.case.organisation,
        "case.consent_withdrawn",
        consent.case,
        purpose=consent.purpose,
    )
    return consent


def has_consent(case: Case, purpose: str) -> bool:
    return case.consents.filter(purpose=purpose, withdrawn_on__isnull=True).exists()


def change_status(case: Case, status: str, *, by: User) -> Case:
    if status not in ALLOWED_TRANSITIONS.get(case.status, set()):
        raise TransitionError(f"{case.status} -> {status}")
    old = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at"])
    log_action(by, case.organisation, "case.status_changed", case, old=old, new=status)
    return case


def close_case(
    case: Case,
    *,
    closing_reason: Term,
    outcome: Term | None,
    closed_on: date,
    satisfaction: int | None = None,
    by: User,
) -> Case:
    if case.is_closed:
        raise TransitionError("already closed")
    case.status = CaseStatus.CLOSED
    case.closing_reason = closing_reason
    case.outcome = outcome
    case.closed_on = closed_on
    case.satisfaction = satisfaction
    case.save(
        update_fields=[
            "status",
            "closing_reason",
            "outcome",
            "closed_on",
            "satisfaction",
            "updated_at",
        ]
    )
    log_action(by, case.organisation, "case.closed", case, reason=closing_reason.code)
    return case


def reopen_case(case: Case, *, by: User) -> Case:
    if not case.is_closed:
        raise TransitionError("not closed")
    if case.anonymised_at is not None:
        raise TransitionError("anonymised cases cannot be reopened")
    case.status = CaseStatus.IN_PROGRESS
    case.closed_on = None
    case.save(update_fields=["status", "closed_on", "updated_at"])
    log_action(by, case.organisation, "case.reopened", case)
    return case


def assign_counsellors(case: Case, users: list[User], *, by: User) -> Case:
    with transaction.atomic():
        case.assignments.exclude(user__in=users).delete()
        for user in users:
            CaseAssignment.objects.get_or_create(case=case, user=user)
        log_action(by, case.organisation, "case.assigned", case, counsellors=len(users))
    return case


def set_restricted(case: Case, restricted: bool, *, by: User) -> Case:
    case.restricted = restricted
    case.save(update_fields=["restricted", "updated_at"])
    log_action(by, case.organisation, "case.restriction_changed", case, restricted=restricted)
    return case


def similar_respondents(organisation: Organisation, name: str, limit: int = 8) -> list[Respondent]:
    """Respondents of the organisation whose name resembles ``name``, best first.

    Shown before a new one is created, so that the same landlord is not entered twice.
    """
    from difflib import SequenceMatcher

    from wohnfair.lib.crypto import normalise

    wanted = normalise(name)
    if len(wanted) < 2:
        return []
    candidates = Respondent.objects.of_organisation(organisation).only("id", "name", "kind_id")
    words = [word for word in wanted.split() if len(word) > 2] or [wanted]
    scored = []
    for respondent in candidates.iterator():
        have = normalise(respondent.name)
        ratio = SequenceMatcher(None, wanted, have).ratio()
        if any(word in have for word in words):
            ratio = max(ratio, 0.75)
        if ratio >= 0.6:
            scored.append((ratio, respondent))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [respondent for _, respondent in scored[:limit]]


def create_respondent(
    organisation: Organisation, *, by: User, kind: Term, name: str, **fields: Any
) -> Respondent:
    respondent = Respondent.objects.create(
        organisation=organisation, kind=kind, name=name, **fields
    )
    log_action(by, organisation, "respondent.created", respondent)
    return respondent
