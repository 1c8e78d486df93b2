"""Retention: anonymise closed cases once their organisation's retention period has run out.

Run daily by the scheduler (``cases.tasks.anonymise_expired_cases``). For each
organisation, a closed case whose ``closed_on`` lies more than
``organisation.retention_months`` calendar months back, that is not under a
legal hold and not yet anonymised, loses everything that identifies a person:

- every ``Person`` row is deleted (with its characteristics),
- incident descriptions (narratives) are blanked,
- notes are deleted,
- documents are deleted with their stored files (``cases.documents.remove_document``),
- the workflow records lose their personal content (``privacy.strip_workflow_content``):
  intervention addressee, summary, result and next step; task titles (a neutral
  text instead); letters (deleted); the rationale of the AGG check; place,
  interpreter, topics, notes and participants of mediation sessions; text and
  review result of agreements; the case's notifications (deleted).

What the statistics count stays: case type, status, dates, channel, language,
who came, outcome, closing reason, and on incidents the dates, district,
area, characteristics (Merkmale), form, level, evidence and the link to the
respondent (respondents are records of the organisation and stay), intervention
kinds and dates, task, session and agreement dates, deadlines, and the answers
and result of the AGG check (category codes). Consent
records stay: they hold purposes, text versions and dates only, and show the
legal basis of the statistics.

Each case is anonymised in its own transaction (all or nothing) together with a
content-free ``ErasureRecord`` and an audit entry. The run is idempotent: an
anonymised case has ``anonymised_at`` set and is never touched again.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from wohnfair.accounts.models import Organisation
from wohnfair.audit.services import log_action
from wohnfair.cases.models import Case, CaseStatus, ErasureRecord, Incident, Note
from wohnfair.cases.privacy import remove_case_documents, strip_workflow_content

logger = logging.getLogger(__name__)

RETENTION_SCOPE = "retention"
RETENTION_REASON = "retention_period"


class RetentionRunError(RuntimeError):
    """Some cases could not be anonymised; the others were."""


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; the day is clamped to the end of a shorter month.

    31 January + 1 month is 28 February (29 in a leap year).
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def retention_ends_on(closed_on: date, retention_months: int) -> date:
    """The last day on which a case closed on ``closed_on`` keeps its personal data."""
    return add_months(closed_on, retention_months)


def is_expired(closed_on: date, retention_months: int, today: date) -> bool:
    return retention_ends_on(closed_on, retention_months) < today


def latest_expired_closing_day(retention_months: int, today: date) -> date:
    """Every case closed on or before this day has expired (``add_months`` is monotonic)."""
    candidate = add_months(today, -retention_months)
    # Clamping: when today is the last day of its month, later days of the target
    # month map onto today as well and are not yet expired; this day is.
    while not is_expired(candidate, retention_months, today):
        candidate = date.fromordinal(candidate.toordinal() - 1)
    return candidate


def expired_cases(organisation: Organisation, today: date) -> list[int]:
    """Ids of the organisation's cases that are due for anonymisation on ``today``."""
    cutoff = latest_expired_closing_day(organisation.retention_months, today)
    return list(
        Case.objects.unscoped("retention job")
        .filter(
            organisation=organisation,
            status=CaseStatus.CLOSED,
            closed_on__isnull=False,
            closed_on__lte=cutoff,
            legal_hold=False,
            anonymised_at__isnull=True,
        )
        .order_by("closed_on", "pk")
        .values_list("pk", flat=True)
    )


def strip_identities(case: Case) -> dict[str, int]:
    """Remove persons, narratives, notes, documents and workflow content of ``case``.

    Call inside a transaction.
    """
    persons, _ = case.persons.all().delete()
    narratives = Incident.objects.filter(case=case).exclude(description="").update(description="")
    notes, _ = Note.objects.filter(case=case).delete()
    workflow = strip_workflow_content(case)
    documents = remove_case_documents(case)
    return {
        "persons": persons,
        "narratives": narratives,
        "notes": notes,
        "documents": documents,
        **workflow,
    }


def anonymise_case(case_id: int, *, now: datetime) -> bool:
    """Anonymise one case, all or nothing; False if it no longer qualifies."""
    with transaction.atomic():
        case = Case.objects.unscoped("retention job").select_for_update().filter(pk=case_id).first()
        today = timezone.localdate(now)
        if (
            case is None
            or case.anonymised_at is not None
            or case.legal_hold
            or case.status != CaseStatus.CLOSED
            or case.closed_on is None
            or not is_expired(case.closed_on, case.organisation.retention_months, today)
        ):
            return False
        strip_identities(case)
        case.anonymised_at = now
        case.save(update_fields=["anonymised_at", "updated_at"])
        ErasureRecord.objects.create(
            organisation=case.organisation,
            case_number=case.number,
            scope=RETENTION_SCOPE,
            reason=RETENTION_REASON,
            erased_by=None,
        )
        log_action(None, case.organisation, "case.anonymised", case)
    return True


def anonymise_expired_cases(now: datetime | None = None) -> int:
    """Anonymise every expired case of every organisation; returns how many were anonymised.

    A case that fails is rolled back alone and logged (by id only); the others
    are still done, and the run ends with ``RetentionRunError`` so that the
    task shows as failed.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = 0
    failed: list[int] = []
    for organisation in Organisation.objects.order_by("pk"):
        for case_id in expired_cases(organisation, today):
            try:
                if anonymise_case(case_id, now=now):
                    done += 1
            except Exception:
                logger.exception("retention: anonymising case id %s failed", case_id)
                failed.append(case_id)
    if failed:
        raise RetentionRunError(
            f"{len(failed)} case(s) could not be anonymised (ids {failed}); {done} were"
        )
    logger.info("retention: %s case(s) anonymised", done)
    return done
