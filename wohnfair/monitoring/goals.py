"""Goals (Ziele): the indicators the data can count, and progress against target.

Each computed indicator is a plain function ``(organisation, year) -> int``
that counts the organisation's own records of one calendar year. Indicators the
data cannot know (workshops held, materials lent ...) are entered by hand
(``Indicator.MANUAL`` with ``Goal.manual_value``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from wohnfair.accounts.models import Organisation
from wohnfair.cases.models import Case, CaseQuerySet, CaseType
from wohnfair.monitoring.models import Goal, Indicator


def _cases(organisation: Organisation) -> CaseQuerySet:
    return Case.objects.of_organisation(organisation)


def cases_opened(organisation: Organisation, year: int) -> int:
    """Counselling and mediation cases whose first contact lies in the year (short advice too)."""
    return _cases(organisation).filter(first_contact__year=year).count()


def cases_with_intervention(organisation: Organisation, year: int) -> int:
    """Cases with at least one intervention dated in the year (each case once)."""
    return (
        _cases(organisation).filter(interventions__date__year=year).values("pk").distinct().count()
    )


def cases_closed(organisation: Organisation, year: int) -> int:
    return _cases(organisation).filter(closed_on__year=year).count()


def reports_received(organisation: Organisation, year: int) -> int:
    """Reports from the portal (or taken by phone) that reached the organisation in the year.

    Spam and duplicates are not reports of anything and do not count.
    """
    from wohnfair.intake.models import Report, ReportStatus

    return (
        Report.objects.of_organisation(organisation)
        .filter(created_at__date__gte=date(year, 1, 1), created_at__date__lte=date(year, 12, 31))
        .exclude(status__in=[ReportStatus.SPAM, ReportStatus.DUPLICATE])
        .count()
    )


def mediation_cases(organisation: Organisation, year: int) -> int:
    """Conflict mediation cases (Konfliktvermittlung) opened in the year."""
    return (
        _cases(organisation).filter(case_type=CaseType.MEDIATION, first_contact__year=year).count()
    )


COMPUTED: dict[str, Callable[[Organisation, int], int]] = {
    Indicator.CASES_OPENED: cases_opened,
    Indicator.CASES_WITH_INTERVENTION: cases_with_intervention,
    Indicator.CASES_CLOSED: cases_closed,
    Indicator.REPORTS_RECEIVED: reports_received,
    Indicator.MEDIATION_CASES: mediation_cases,
}


def indicator_value(organisation: Organisation, indicator: str, year: int) -> int:
    """The counted value of a computed indicator; ValueError for ``manual`` or unknown codes."""
    try:
        function = COMPUTED[indicator]
    except KeyError:
        raise ValueError(f"indicator {indicator!r} is not computed") from None
    return function(organisation, year)


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    value: int | None  # None: a manual goal without a value yet
    computed: bool

    @property
    def percent(self) -> int:
        """Share of the target reached, 0–100 (more than the target shows as 100)."""
        if self.value is None or not self.goal.target:
            return 0
        return min(100, round(100 * self.value / self.goal.target))

    @property
    def reached(self) -> bool:
        return self.value is not None and self.value >= self.goal.target


def progress_for(goals: Iterable[Goal]) -> list[GoalProgress]:
    """Progress of each goal; a computed indicator is counted once per organisation and year."""
    cache: dict[tuple[int, str, int], int] = {}
    result = []
    for goal in goals:
        if goal.indicator in COMPUTED:
            key = (goal.organisation_id, goal.indicator, goal.year)
            if key not in cache:
                cache[key] = indicator_value(goal.organisation, goal.indicator, goal.year)
            result.append(GoalProgress(goal, cache[key], computed=True))
        else:
            result.append(GoalProgress(goal, goal.manual_value, computed=False))
    return result
