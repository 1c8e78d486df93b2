"""Project-wide pages: the staff workspace and the error pages (the start page is Wagtail's)."""

from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wohnfair.accounts.access import public, staff_required
from wohnfair.accounts.models import Membership, Role, User

DASHBOARD_DEADLINE_DAYS = 14
DASHBOARD_LIMIT = 20


def case_work_overview(user: User, membership: Membership, today: date) -> dict[str, Any]:
    """Deadlines, tasks and notifications of a counsellor or lead, in a few queries."""
    from wohnfair.cases import deadlines
    from wohnfair.cases.models import Notification, Task

    organisation = membership.organisation
    horizon = today + timedelta(days=DASHBOARD_DEADLINE_DAYS)
    my_deadlines = deadlines.open_deadlines(organisation).filter(
        case__assignments__user=user, due_on__lte=horizon
    )
    tasks = list(
        Task.objects.filter(
            assignee=user,
            done_at__isnull=True,
            case__organisation=organisation,
            case__anonymised_at__isnull=True,
        )
        .select_related("case")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    week_end = today + timedelta(days=6 - today.weekday())  # this Sunday
    task_rows = [
        {
            "task": task,
            "overdue": task.due_on is not None and task.due_on < today,
            "days_overdue": (today - task.due_on).days if task.due_on else 0,
        }
        for task in tasks
    ]
    overview: dict[str, Any] = {
        "today": today,
        "deadline_days": DASHBOARD_DEADLINE_DAYS,
        "my_deadlines": deadlines.rows(my_deadlines, today),
        "due_this_week": [
            row for row in task_rows if row["task"].due_on and row["task"].due_on <= week_end
        ],
        "later_tasks": [
            row for row in task_rows if not row["task"].due_on or row["task"].due_on > week_end
        ][:DASHBOARD_LIMIT],
        "open_tasks": len(task_rows),
        "overdue_tasks": sum(1 for row in task_rows if row["overdue"]),
        "unread_notifications": Notification.objects.filter(
            user=user, organisation=organisation, read_at__isnull=True
        ).count(),
    }
    overview["is_lead"] = membership.role == Role.LEAD
    if overview["is_lead"]:
        at_risk = list(deadlines.at_risk(organisation, today)[: DASHBOARD_LIMIT + 1])
        overview["org_at_risk"] = deadlines.rows(at_risk[:DASHBOARD_LIMIT], today)
        overview["org_at_risk_more"] = len(at_risk) > DASHBOARD_LIMIT
    return overview


@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff start page: who and where one works; for case work, what is due."""
    from wohnfair.cases.models import CASE_ROLES

    membership: Membership = request.membership  # type: ignore[attr-defined]
    context: dict[str, Any] = {"case_work": membership.role in CASE_ROLES}
    if context["case_work"]:
        context.update(case_work_overview(request.user, membership, timezone.localdate()))  # type: ignore[arg-type]
    return render(request, "staff/dashboard.html", context)


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


@public
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


@public
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@public
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
