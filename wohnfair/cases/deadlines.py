"""Legal periods of a case: calculation under the German Civil Code and their bookkeeping.

A period is data (``PeriodRule``): code, length in months and/or days, validity
range. The rule in force on the start day applies, so a change in the law (a
longer AGG period is under debate) is a new ``PeriodRule`` row, not new code.

How a period is counted (BGB):

- § 187(1): the day of the event does not count;
- § 188(2): a period in months ends with the day of the last month that has the
  same number as the event day;
- § 188(3): if that month has no such day, the period ends on its last day;
- a period in days ends with the last of its days (event day + N);
- § 193: if the last day is a Saturday, a Sunday or a public holiday recognised
  at the place of performance (here: the organisation's federal state), the
  period ends on the next working day.

``deadline_for`` is the pure calculation (one query for the rule);
``ensure_deadlines`` keeps one ``agg_21_5`` deadline per incident of a
Beratungsfall; ``mark_met``/``mark_met_by_claim`` record that the claim was
asserted in time; ``at_risk`` feeds the lead's dashboard and workload view.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wohnfair.accounts.models import FederalState
from wohnfair.audit.services import log_action
from wohnfair.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    Deadline,
    Intervention,
    PeriodRule,
    Vocabulary,
)

if TYPE_CHECKING:
    from wohnfair.accounts.models import Organisation, User

AGG_RULE = "agg_21_5"
CLAIM_INTERVENTION = "claim"  # intervention vocabulary code of "Geltendmachung"
STATES = frozenset(FederalState.values)


class DeadlineError(ValueError):
    """A period cannot be calculated or recorded; the message says why, in German."""


class UnknownRuleError(DeadlineError):
    pass


class NoRuleInForceError(DeadlineError):
    pass


class UnknownStateError(DeadlineError):
    pass


class StartInFutureError(DeadlineError):
    pass


class InvalidMetDateError(DeadlineError):
    pass


# --- calculation ---------------------------------------------------------------------


def add_months_bgb(start: date, months: int) -> date:
    """§ 188(2) and (3) BGB: same day number ``months`` later, or that month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=512)
def _public_holidays(subdivision: str, year: int) -> frozenset[date]:
    # Deterministic data of the holidays package; caching it holds no shared state.
    return frozenset(holidays.country_holidays("DE", subdiv=subdivision, years=year).keys())


def is_working_day(day: date, state: str) -> bool:
    """Not a Saturday, Sunday or public holiday of the federal state (ISO 3166-2, ``DE-NW``)."""
    return day.weekday() < 5 and day not in _public_holidays(_subdivision(state), day.year)


def next_working_day(day: date, state: str) -> date:
    """``day`` itself if it is a working day, else the next one (§ 193 BGB)."""
    while not is_working_day(day, state):
        day += timedelta(days=1)
    return day


def _subdivision(state: str) -> str:
    if state not in STATES:
        raise UnknownStateError(
            _(
                "Unbekanntes Bundesland „%(state)s“. Erwartet wird ein Code nach ISO 3166-2, "
                "zum Beispiel DE-NW für Nordrhein-Westfalen."
            )
            % {"state": state}
        )
    return state.removeprefix("DE-")


def period_end(rule: PeriodRule, start: date, state: str) -> date:
    """The last day of ``rule``'s period for an event on ``start`` (§§ 187(1), 188, 193 BGB)."""
    _subdivision(state)
    end = add_months_bgb(start, rule.months) if rule.months else start
    end += timedelta(days=rule.days)
    return next_working_day(end, state)


def rule_in_force(rule_code: str, start: date) -> PeriodRule:
    """The version of the rule that applies to a period starting on ``start``."""
    versions = PeriodRule.objects.filter(code=rule_code)
    rule = (
        versions.filter(valid_from__lte=start)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .order_by("-valid_from")
        .first()
    )
    if rule is not None:
        return rule
    if not versions.exists():
        raise UnknownRuleError(
            _("Unbekannte Fristregel „%(code)s“.") % {"code": rule_code},
        )
    raise NoRuleInForceError(
        _("Für einen Fristbeginn am %(start)s gilt keine Fassung der Fristregel „%(code)s“.")
        % {"start": date_format(start, "SHORT_DATE_FORMAT"), "code": rule_code}
    )


def deadline_for(rule_code: str, start: date, state: str, *, today: date | None = None) -> date:
    """The day on which the period ``rule_code`` ends for an event on ``start``.

    ``state`` is the federal state as ISO 3166-2 code (``DE-NW``); its public
    holidays postpone the end. ``today`` defaults to the local date; a start
    after today is refused, as are unknown rules and states (``DeadlineError``).
    """
    _subdivision(state)
    if not isinstance(start, date) or isinstance(start, datetime):
        raise DeadlineError(_("Der Fristbeginn muss ein Kalendertag sein."))
    today = today or timezone.localdate()
    if start > today:
        raise StartInFutureError(
            _(
                "Der Fristbeginn %(start)s liegt in der Zukunft. Eine Frist kann erst ab dem "
                "Tag des Ereignisses berechnet werden."
            )
            % {"start": date_format(start, "SHORT_DATE_FORMAT")}
        )
    return period_end(rule_in_force(rule_code, start), start, state)


# --- deadlines of a case ---------------------------------------------------------------


def incident_start(incident: object) -> date:
    """The event day of an incident: the last day if it is a period."""
    return incident.date_end or incident.date  # type: ignore[attr-defined]


def ensure_deadlines(case: Case, *, today: date | None = None) -> list[Deadline]:
    """One ``agg_21_5`` deadline per incident of a Beratungsfall, created or kept up to date.

    A deadline whose incident date changed is recalculated unless it is met.
    Incidents dated after today (refused by the forms) or before any version of
    the rule get no deadline. Other case types get none. Returns the case's
    deadlines of this rule.
    """
    if case.case_type != CaseType.COUNSELLING:
        return []
    today = today or timezone.localdate()
    state = case.organisation.state
    with transaction.atomic():
        # Serialise concurrent calls for the same case, so an incident never gets two.
        locked = Case.objects.unscoped("lock the case while its deadlines are updated")
        locked.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
        existing = {
            deadline.incident_id: deadline
            for deadline in case.deadlines.filter(rule__code=AGG_RULE, incident__isnull=False)
        }
        result = []
        for incident in case.incidents.order_by("date", "pk"):
            start = incident_start(incident)
            deadline = existing.get(incident.pk)
            if deadline is not None and not deadline.is_open:
                result.append(deadline)
                continue
            if start > today:
                continue
            try:
                rule = rule_in_force(AGG_RULE, start)
            except NoRuleInForceError:
                continue
            due_on = period_end(rule, start, state)
            if deadline is None:
                deadline = Deadline.objects.create(
                    case=case, rule=rule, incident=incident, starts_on=start, due_on=due_on
                )
            elif (deadline.starts_on, deadline.due_on, deadline.rule_id) != (
                start,
                due_on,
                rule.pk,
            ):
                deadline.starts_on, deadline.due_on, deadline.rule = start, due_on, rule
                deadline.save(update_fields=["starts_on", "due_on", "rule"])
            result.append(deadline)
    return sorted(result, key=lambda deadline: (deadline.due_on, deadline.pk))


def check_met_date(deadline: Deadline, on: date, *, today: date | None = None) -> None:
    """Refuse a date on which the claim cannot have preserved this deadline."""
    today = today or timezone.localdate()
    if not deadline.is_open:
        raise InvalidMetDateError(_("Diese Frist ist bereits als gewahrt erfasst."))
    if on > today:
        raise InvalidMetDateError(_("Das Datum liegt in der Zukunft."))
    if on < deadline.starts_on:
        raise InvalidMetDateError(
            _("Das Datum liegt vor dem Fristbeginn am %(start)s.")
            % {"start": date_format(deadline.starts_on, "SHORT_DATE_FORMAT")}
        )
    if on > deadline.due_on:
        raise InvalidMetDateError(
            _("Das Datum liegt nach dem Fristende am %(due)s: Die Frist ist damit nicht gewahrt.")
            % {"due": date_format(deadline.due_on, "SHORT_DATE_FORMAT")}
        )


def mark_met(
    deadline: Deadline,
    on: date,
    *,
    by: User,
    intervention: Intervention | None = None,
    today: date | None = None,
) -> Deadline:
    """Record that the claim was asserted on ``on``; raises ``DeadlineError`` otherwise."""
    check_met_date(deadline, on, today=today)
    with transaction.atomic():
        # Conditional update: two clicks at once record one date.
        updated = Deadline.objects.filter(pk=deadline.pk, met_on__isnull=True).update(
            met_on=on, met_by=intervention
        )
        if not updated:
            raise InvalidMetDateError(_("Diese Frist ist bereits als gewahrt erfasst."))
        deadline.met_on, deadline.met_by = on, intervention
        log_action(
            by,
            deadline.case.organisation,
            "case.deadline_met",
            deadline.case,
            deadline=deadline.pk,
            rule=deadline.rule.code,
        )
    return deadline


def is_claim(intervention: Intervention) -> bool:
    kind = intervention.kind
    return kind.vocabulary == Vocabulary.INTERVENTION and kind.code == CLAIM_INTERVENTION


def mark_met_by_claim(intervention: Intervention) -> int:
    """A Geltendmachung meets the case's open deadlines it falls within; returns how many.

    Only deadlines with ``starts_on <= intervention.date <= due_on`` count as met;
    a late claim preserves nothing and leaves the deadline open (and overdue).
    """
    if not is_claim(intervention):
        return 0
    case = intervention.case
    with transaction.atomic():
        met = case.deadlines.filter(
            met_on__isnull=True,
            starts_on__lte=intervention.date,
            due_on__gte=intervention.date,
        ).update(met_on=intervention.date, met_by=intervention)
        if met:
            log_action(
                intervention.by,
                case.organisation,
                "case.deadline_met",
                case,
                intervention=intervention.pk,
                count=met,
            )
    return met


def open_deadlines(organisation: Organisation) -> QuerySet[Deadline]:
    """Unmet deadlines of the organisation's cases that are still being worked on."""
    cases = Case.objects.of_organisation(organisation).exclude(status=CaseStatus.CLOSED)
    return (
        Deadline.objects.filter(
            case__in=cases.filter(anonymised_at__isnull=True).values("pk"),
            met_on__isnull=True,
        )
        .select_related("case", "rule")
        .order_by("due_on", "pk")
    )


def at_risk(organisation: Organisation, today: date, within_days: int = 14) -> QuerySet[Deadline]:
    """Open deadlines of open cases due within ``within_days`` days, or already overdue."""
    return open_deadlines(organisation).filter(due_on__lte=today + timedelta(days=within_days))


class DeadlineRow:
    """A deadline as pages show it: everything of the deadline, plus the days left today."""

    def __init__(self, deadline: Deadline, today: date) -> None:
        self.deadline = deadline
        self.today = today
        self.days_left = deadline.days_left(today)

    def __getattr__(self, name: str) -> object:
        return getattr(self.deadline, name)

    @property
    def is_overdue(self) -> bool:
        return self.deadline.is_open and self.days_left < 0

    @property
    def is_urgent(self) -> bool:
        """Open and ending within a week (the panel and the dashboard stress these)."""
        return self.deadline.is_open and 0 <= self.days_left <= 7

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def rows(deadlines: object, today: date | None = None) -> list[DeadlineRow]:
    today = today or timezone.localdate()
    return [DeadlineRow(deadline, today) for deadline in deadlines]  # type: ignore[attr-defined]


def panel_rows(case: Case, today: date | None = None) -> list[DeadlineRow]:
    """The case's deadlines for its page, running ones first (one query)."""
    deadlines = list(case.deadlines.select_related("rule").order_by("due_on", "pk"))
    running = [deadline for deadline in deadlines if deadline.is_open]
    met = [deadline for deadline in deadlines if not deadline.is_open]
    return rows(running + met, today)
