"""Deadline and review reminders, sent by the hourly task ``cases.tasks.send_deadline_reminders``.

Deadlines: for each open deadline of a case that is still worked on and each
lead time of its organisation (``Organisation.reminder_lead_days``, "14,7,2"),
once ``today >= due_on - lead`` (and the deadline is at most a day past), the
assigned counsellors get one workspace notification and one e-mail. The row
``ReminderSent(deadline, lead_days)`` is the lock: its unique constraint lets
exactly one worker claim a lead time, however many run at once. When several
lead times fall due together (a deadline entered late), they are claimed
together and announced in one message.

Agreements of conflict mediation: once ``review_on`` is reached, the assigned
counsellors are reminded once; a conditional update of ``review_reminded_at``
is the lock.

E-mails carry no personal data: case number, rule, due date, days left and a
link to the case, never names or narratives. They are sent after the commit,
so a rolled-back claim never mails, and a failing mail server never undoes a
claim (the workspace notification stays).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wohnfair.accounts.models import Membership, Organisation, Role
from wohnfair.cases.deadlines import open_deadlines
from wohnfair.cases.models import CASE_ROLES, Agreement, Deadline, Notification, ReminderSent

if TYPE_CHECKING:
    from wohnfair.accounts.models import User
    from wohnfair.cases.models import Case

logger = logging.getLogger(__name__)

MAX_LEAD_DAYS = 366
SUBJECT_PREFIX = "[Wohnfair] "


def parse_lead_days(value: str) -> list[int]:
    """``"14,7,2"`` -> ``[14, 7, 2]``; anything that is not a whole number of days is ignored."""
    leads = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit() and int(part) <= MAX_LEAD_DAYS:
            leads.add(int(part))
    return sorted(leads, reverse=True)


def recipients_for(case: Case) -> list[User]:
    """The case's assigned counsellors who still work there; the leads if there are none."""
    members = (
        Membership.objects.active()
        .filter(organisation_id=case.organisation_id, role__in=CASE_ROLES)
        .select_related("user")
        .order_by("user_id")
    )
    assigned = [m.user for m in members.filter(user__in=case.assignments.values("user_id"))]
    if assigned:
        return assigned
    return [m.user for m in members.filter(role=Role.LEAD)]


def days_left_text(days: int) -> str:
    if days > 0:
        return ngettext("noch %(days)d Tag", "noch %(days)d Tage", days) % {"days": days}
    if days == 0:
        return _("endet heute")
    return _("abgelaufen")


def case_link(case: Case) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + case.get_absolute_url()


def _notify(
    case: Case, users: list[User], message: str, subject: str, body: str
) -> list[mail.EmailMessage]:
    """Workspace notifications now; the e-mails are returned to be sent after the commit."""
    Notification.objects.bulk_create(
        Notification(user=user, organisation_id=case.organisation_id, case=case, message=message)
        for user in users
    )
    return [
        mail.EmailMessage(subject=SUBJECT_PREFIX + subject, body=body, to=[user.email])
        for user in users
        if user.email
    ]


def _send_mails(messages: list[mail.EmailMessage]) -> None:
    for message in messages:
        try:
            message.send()
        except Exception:
            # The claim and the workspace notification stay; the mail is not retried.
            logger.exception("a reminder e-mail could not be sent")


def deadline_message(deadline: Deadline, today: date) -> tuple[str, str, str]:
    """(workspace message, e-mail subject, e-mail body), without personal data."""
    days = deadline.days_left(today)
    values = {
        "number": deadline.case.number,
        "rule": _(deadline.rule.name),
        "basis": deadline.rule.legal_basis,
        "due": date_format(deadline.due_on, "SHORT_DATE_FORMAT"),
        "left": days_left_text(days),
    }
    message = (
        _("Fall %(number)s: Frist „%(rule)s“ (%(basis)s) endet am %(due)s – %(left)s.") % values
    )
    subject = _("Frist im Fall %(number)s: %(left)s") % values
    body = "\n\n".join(
        [
            _("Guten Tag,"),
            _(
                "im Fall %(number)s läuft die Frist „%(rule)s“ (%(basis)s). "
                "Sie endet am %(due)s – %(left)s."
            )
            % values,
            _("Fall öffnen: %(link)s") % {"link": case_link(deadline.case)},
            _(
                "Diese Nachricht enthält bewusst keine persönlichen Angaben. "
                "Sie erhalten sie, weil Sie für den Fall zuständig sind."
            ),
        ]
    )
    return message, subject, body


def _remind_deadline(deadline: Deadline, leads: list[int], today: date) -> int:
    """Claim every lead time of this deadline that is due; one message for those claimed."""
    with transaction.atomic():
        claimed = []
        for lead in leads:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(deadline=deadline, lead_days=lead)
            except IntegrityError:
                continue  # another worker (or an earlier run) has it
            claimed.append(lead)
        if not claimed:
            return 0
        users = recipients_for(deadline.case)
        with translation.override(settings.LANGUAGE_CODE):
            message, subject, body = deadline_message(deadline, today)
        mails = _notify(deadline.case, users, message, subject, body)
        transaction.on_commit(partial(_send_mails, mails), robust=True)
    return len(claimed)


def send_deadline_reminders(organisation: Organisation, today: date) -> int:
    leads = parse_lead_days(organisation.reminder_lead_days)
    if not leads:
        return 0
    deadlines = (
        open_deadlines(organisation)
        .filter(
            due_on__gte=today - timedelta(days=1),
            due_on__lte=today + timedelta(days=max(leads)),
        )
        .select_related("case__organisation")
        .prefetch_related("reminders")
    )
    sent = 0
    for deadline in deadlines:
        done = {reminder.lead_days for reminder in deadline.reminders.all()}
        due = [
            lead
            for lead in leads
            if lead not in done and today >= deadline.due_on - timedelta(days=lead)
        ]
        if due:
            sent += _remind_deadline(deadline, due, today)
    return sent


def review_message(agreement: Agreement) -> tuple[str, str, str]:
    values = {
        "number": agreement.case.number,
        "agreed": date_format(agreement.agreed_on, "SHORT_DATE_FORMAT"),
        "review": date_format(agreement.review_on, "SHORT_DATE_FORMAT"),
    }
    message = (
        _("Fall %(number)s: Die Vereinbarung vom %(agreed)s soll am %(review)s überprüft werden.")
        % values
    )
    subject = _("Vereinbarung überprüfen im Fall %(number)s") % values
    body = "\n\n".join(
        [
            _("Guten Tag,"),
            _(
                "im Fall %(number)s soll die Vereinbarung vom %(agreed)s am %(review)s "
                "überprüft werden: Hält sie, und braucht es ein weiteres Gespräch?"
            )
            % values,
            _("Fall öffnen: %(link)s") % {"link": case_link(agreement.case)},
            _(
                "Diese Nachricht enthält bewusst keine persönlichen Angaben. "
                "Sie erhalten sie, weil Sie für den Fall zuständig sind."
            ),
        ]
    )
    return message, subject, body


def send_review_reminders(today: date, now: datetime) -> int:
    """Agreements whose review date has come: remind once (closed cases too: follow-up)."""
    agreements = Agreement.objects.filter(
        review_on__lte=today,
        review_reminded_at__isnull=True,
        reviewed_on__isnull=True,
        case__anonymised_at__isnull=True,
    ).select_related("case__organisation")
    sent = 0
    for agreement in agreements:
        with transaction.atomic():
            claimed = Agreement.objects.filter(
                pk=agreement.pk, review_reminded_at__isnull=True
            ).update(review_reminded_at=now)
            if not claimed:
                continue  # another worker has it
            with translation.override(settings.LANGUAGE_CODE):
                message, subject, body = review_message(agreement)
            mails = _notify(agreement.case, recipients_for(agreement.case), message, subject, body)
            transaction.on_commit(partial(_send_mails, mails), robust=True)
        sent += 1
    return sent


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder that is due; returns how many lead times and reviews were claimed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for organisation in Organisation.objects.filter(kind=Organisation.Kind.OFFICE):
        sent += send_deadline_reminders(organisation, today)
    sent += send_review_reminders(today, now)
    return sent
