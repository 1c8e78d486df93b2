"""Services of the counselling workflow: AGG check, interventions, tasks, mediation.

Called alike by views, commands and tests. Bad input raises Django's
``ValidationError`` with a German message (keyed by field where there is one)
and changes nothing. Every change writes the audit log with codes and ids
only, never content.

Task states: open -> done (``complete_task``; done once, a second call changes
nothing). Agreements: agreed -> reviewed (``review_agreement``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wohnfair.accounts.models import Membership
from wohnfair.audit.services import log_action
from wohnfair.cases import agg
from wohnfair.cases.models import (
    CASE_ROLES,
    AggAssessment,
    Agreement,
    CaseStatus,
    CaseType,
    Intervention,
    MediationSession,
    Person,
    Task,
    Term,
    Vocabulary,
)

if TYPE_CHECKING:
    from wohnfair.accounts.models import Organisation, User
    from wohnfair.cases.models import Case

CLAIM = "claim"  # intervention code of "Geltendmachung von Ansprüchen"
INTERVENTION_FIELDS = frozenset({"kind", "date", "addressee", "summary", "result", "next_step"})


# Checks --------------------------------------------------------------------------------


def _require_type(case: Case, case_type: str) -> None:
    if case.case_type == case_type:
        return
    if case_type == CaseType.COUNSELLING:
        raise ValidationError(_("Die AGG-Prüfung gibt es nur für Beratungsfälle."))
    raise ValidationError(
        _("Vermittlungsgespräche und Vereinbarungen gibt es nur für Konfliktfälle.")
    )


def _not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Das Datum liegt in der Zukunft.")})


def intervention_kind(kind: Term | str) -> Term:
    """The intervention type as a Term of the ``intervention`` vocabulary (a Term or its code)."""
    if isinstance(kind, Term):
        if kind.vocabulary == Vocabulary.INTERVENTION:
            return kind
    else:
        term = Term.objects.filter(vocabulary=Vocabulary.INTERVENTION, code=kind).first()
        if term is not None:
            return term
    raise ValidationError({"kind": _("Unbekannte Art der Intervention.")})


def may_be_assigned(user: User, organisation: Organisation) -> bool:
    """Tasks go to active counsellors and leads of the case's organisation only."""
    return Membership.objects.filter(
        user=user,
        user__is_active=True,
        organisation=organisation,
        is_active=True,
        role__in=CASE_ROLES,
    ).exists()


# AGG check -----------------------------------------------------------------------------


def save_assessment(
    case: Case, answers: dict[str, Any], rationale: str, *, by: User
) -> AggAssessment:
    """Assess ``answers`` with ``agg.assess`` and store answers, result and rationale.

    One assessment per case; saving again replaces it. Only for Beratungsfälle.
    """
    _require_type(case, CaseType.COUNSELLING)
    try:
        result = agg.assess(answers)
    except ValueError as error:
        raise ValidationError(_("Die Antworten der AGG-Prüfung sind unvollständig.")) from error
    with transaction.atomic():
        assessment, created = AggAssessment.objects.update_or_create(
            case=case,
            defaults={
                "answers": result.answers.to_dict(),
                "result": result.to_dict(),
                "rationale": rationale,
                "assessed_by": by,
            },
        )
        log_action(
            by,
            case.organisation,
            "case.agg_assessed",
            case,
            status=result.status,
            grounds=len(result.grounds),
            first=created,
        )
    return assessment


# Interventions -------------------------------------------------------------------------


def _mark_deadline_met(intervention: Intervention) -> None:
    # Imported here: cases.deadlines imports the case models and the holiday data.
    from wohnfair.cases.deadlines import mark_met_by_claim

    mark_met_by_claim(intervention)


def record_intervention(
    case: Case,
    *,
    kind: Term | str,
    date: date,
    by: User,
    addressee: str = "",
    summary: str = "",
    result: str = "",
    next_step: str = "",
) -> Intervention:
    """Log what the office did; a Geltendmachung (``claim``) meets the open § 21(5) deadline."""
    term = intervention_kind(kind)
    _not_in_future(date, "date")
    with transaction.atomic():
        intervention = Intervention.objects.create(
            case=case,
            kind=term,
            date=date,
            by=by,
            addressee=addressee,
            summary=summary,
            result=result,
            next_step=next_step,
        )
        log_action(
            by,
            case.organisation,
            "case.intervention_added",
            case,
            intervention=intervention.pk,
            kind=term.code,
        )
        if term.code == CLAIM:
            _mark_deadline_met(intervention)
    return intervention


def update_intervention(intervention: Intervention, *, by: User, **changes: Any) -> Intervention:
    """Change fields of an intervention (``kind``, ``date``, ``addressee``, ``summary``,
    ``result``, ``next_step``); the person who did it stays."""
    unknown = set(changes) - INTERVENTION_FIELDS
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    if "kind" in changes:
        changes["kind"] = intervention_kind(changes["kind"])
    if "date" in changes:
        _not_in_future(changes["date"], "date")
    changed = [name for name, value in changes.items() if getattr(intervention, name) != value]
    if not changed:
        return intervention
    with transaction.atomic():
        for name in changed:
            setattr(intervention, name, changes[name])
        intervention.save(update_fields=changed)
        case = intervention.case
        log_action(
            by,
            case.organisation,
            "case.intervention_updated",
            case,
            intervention=intervention.pk,
            kind=intervention.kind.code,
            fields=len(changed),
        )
        if intervention.kind.code == CLAIM and {"kind", "date"} & set(changed):
            _mark_deadline_met(intervention)
    return intervention


# Tasks ---------------------------------------------------------------------------------


def add_task(
    case: Case, *, title: str, assignee: User, by: User, due_on: date | None = None
) -> Task:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Bitte beschreiben Sie die Aufgabe.")})
    if not may_be_assigned(assignee, case.organisation):
        raise ValidationError(
            {"assignee": _("Aufgaben können nur Berater*innen dieser Organisation erhalten.")}
        )
    with transaction.atomic():
        task = Task.objects.create(
            case=case, title=title, assignee=assignee, due_on=due_on, created_by=by
        )
        log_action(
            by,
            case.organisation,
            "case.task_added",
            case,
            task=task.pk,
            assignee=assignee.pk,
            due=due_on is not None,
        )
    return task


def open_tasks(user: User, cases: QuerySet[Case]) -> QuerySet[Task]:
    """``user``'s open tasks in ``cases`` (pass a scoped queryset), by due date, undated last.

    Cases that are closed or anonymised are left out: their tasks can no longer be done.
    """
    visible = cases.filter(anonymised_at__isnull=True).exclude(status=CaseStatus.CLOSED)
    return (
        Task.objects.filter(assignee=user, done_at__isnull=True, case__in=visible.values("pk"))
        .select_related("case")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def complete_task(task: Task, *, by: User) -> Task:
    """Mark the task done, once: a second call (or a second click) changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        done = Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now)
        if done:
            log_action(by, task.case.organisation, "case.task_completed", task.case, task=task.pk)
    task.refresh_from_db(fields=["done_at"])
    return task


# Conflict mediation --------------------------------------------------------------------


def add_session(
    case: Case,
    *,
    date: date,
    by: User,
    place: str = "",
    participants: Iterable[Person] = (),
    interpreter: str = "",
    topics: str = "",
    notes: str = "",
) -> MediationSession:
    """Document a mediation talk; the participants are persons of this case."""
    _require_type(case, CaseType.MEDIATION)
    people = list(participants)
    if any(person.case_id != case.pk for person in people):
        raise ValidationError({"participants": _("Teilnehmen können nur Personen dieses Falls.")})
    with transaction.atomic():
        session = MediationSession.objects.create(
            case=case,
            date=date,
            place=place,
            interpreter=interpreter,
            topics=topics,
            notes=notes,
        )
        session.participants.set(people)
        log_action(
            by,
            case.organisation,
            "case.session_added",
            case,
            session=session.pk,
            participants=len(people),
        )
    return session


def check_agreement_dates(
    agreed_on: date, review_on: date | None, session: MediationSession | None
) -> None:
    """An agreement is not made before its session nor in the future; it is reviewed later."""
    errors: dict[str, str] = {}
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("Das Datum liegt in der Zukunft.")
    elif session is not None and agreed_on < session.date:
        errors["agreed_on"] = _("Die Vereinbarung kann nicht vor dem Gespräch liegen.")
    if review_on is not None:
        if review_on < agreed_on:
            errors["review_on"] = _(
                "Die Überprüfung kann nicht vor dem Datum der Vereinbarung liegen."
            )
        elif session is not None and review_on < session.date:
            errors["review_on"] = _("Die Überprüfung kann nicht vor dem Gespräch liegen.")
    if errors:
        raise ValidationError(errors)


def add_agreement(
    case: Case,
    *,
    text: str,
    agreed_on: date,
    by: User,
    review_on: date | None = None,
    session: MediationSession | None = None,
) -> Agreement:
    """Record what the parties agreed, with the day to review whether it holds."""
    _require_type(case, CaseType.MEDIATION)
    if not text.strip():
        raise ValidationError({"text": _("Bitte halten Sie fest, was vereinbart wurde.")})
    if session is not None and session.case_id != case.pk:
        raise ValidationError({"session": _("Das Gespräch gehört nicht zu diesem Fall.")})
    check_agreement_dates(agreed_on, review_on, session)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            case=case, session=session, text=text, agreed_on=agreed_on, review_on=review_on
        )
        log_action(
            by,
            case.organisation,
            "case.agreement_added",
            case,
            agreement=agreement.pk,
            review=review_on is not None,
        )
    return agreement


def review_agreement(
    agreement: Agreement, *, reviewed_on: date, review_result: str, by: User
) -> Agreement:
    """Record whether the agreement holds; the review is dated, not in the future."""
    _not_in_future(reviewed_on, "reviewed_on")
    if reviewed_on < agreement.agreed_on:
        raise ValidationError(
            {"reviewed_on": _("Die Überprüfung kann nicht vor dem Datum der Vereinbarung liegen.")}
        )
    if not review_result.strip():
        raise ValidationError({"review_result": _("Bitte halten Sie das Ergebnis fest.")})
    with transaction.atomic():
        agreement.reviewed_on = reviewed_on
        agreement.review_result = review_result
        agreement.save(update_fields=["reviewed_on", "review_result"])
        log_action(
            by,
            agreement.case.organisation,
            "case.agreement_reviewed",
            agreement.case,
            agreement=agreement.pk,
        )
    return agreement
