"""Enquiries: storing one from the website, working on it, opening a mediation case,
and deleting it after the retention period."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wohnfair.accounts.models import Membership, Organisation, Role, User
from wohnfair.audit.services import log_action
from wohnfair.enquiries.models import (
    CLOSED_STATUSES,
    Enquiry,
    EnquiryKind,
    EnquiryStatus,
)
from wohnfair.intake import spam

logger = logging.getLogger(__name__)

# Kind-specific fields copied from a form's cleaned data.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    EnquiryKind.CONTACT: (),
    EnquiryKind.MEDIATION: ("parties", "address_area", "other_party_knows", "preferred_contact"),
    EnquiryKind.SUPPORT: ("court_stage", "office_involved", "amount_needed"),
    EnquiryKind.ACCESSIBILITY: ("page_address",),
}

# Retention: closed enquiries are deleted this long after closing; spam sooner; enquiries
# nobody closed are deleted after the longest period too (they are not case files).
RETENTION_DAYS_DONE = 365
RETENTION_DAYS_SPAM = 30
RETENTION_DAYS_UNTOUCHED = 2 * 365


class DuplicateSubmission(Exception):
    def __init__(self, enquiry: Enquiry) -> None:
        super().__init__("form sent twice")
        self.enquiry = enquiry


class ChallengeUsed(Exception):
    pass


class EnquiryError(Exception):
    """A refused change, with a message for the user."""


def enquiries(reason: str) -> Any:
    """All enquiries, for system work (retention, the sender of a form, tests)."""
    return Enquiry.objects.unscoped(reason)


def submit_enquiry(
    kind: str,
    data: Mapping[str, Any],
    *,
    organisation: Organisation,
    language: str,
    notify: bool = True,
) -> Enquiry:
    """Store one enquiry (``data`` is an enquiry form's cleaned data); all or nothing.

    Raises DuplicateSubmission when the form token was used already (the form sent
    twice), ChallengeUsed when the proof of work was used for another submission.
    Mails go out after commit: a confirmation without content to the sender, and a
    notice without personal data to the organisation's counsellors and leads.
    """
    token = data["form_token"]
    twin = enquiries("the sender holds the form token").filter(submission_token=token).first()
    if twin is not None:
        raise DuplicateSubmission(twin)
    challenge = data.get("proof_of_work") or ""
    fields: dict[str, Any] = {
        "organisation": organisation,
        "kind": kind,
        "language": (language or settings.LANGUAGE_CODE)[:10],
        "submission_token": token,
        "proof_of_work_verified": bool(challenge),
        "name": data.get("name", ""),
        "email": data.get("email", ""),
        "phone": data.get("phone", ""),
        "message": data["message"],
    }
    for name in KIND_FIELDS[kind]:
        value = data.get(name)
        fields[name] = (
            value if value not in (None, "") else (None if name == "amount_needed" else "")
        )
    try:
        with transaction.atomic():
            enquiry = Enquiry.objects.create(**fields)
            if challenge and not spam.claim_challenge(challenge):
                raise ChallengeUsed
            log_action(
                None,
                organisation,
                "enquiry.received",
                enquiry,
                kind=kind,
                verified=bool(challenge),
            )
            if notify:
                transaction.on_commit(
                    partial(
                        _notify,
                        enquiry.pk,
                        organisation.pk,
                        kind,
                        enquiry.email,
                        fields["language"],
                    ),
                    robust=True,
                )
    except IntegrityError:
        twin = enquiries("a twin request won the race").filter(submission_token=token).first()
        if twin is None:
            raise
        raise DuplicateSubmission(twin) from None
    return enquiry


def staff_addresses(organisation: Organisation) -> list[str]:
    memberships = Membership.objects.of_organisation(organisation).active()
    return sorted(
        set(
            memberships.filter(role__in=(Role.COUNSELLOR, Role.LEAD)).values_list(
                "user__email", flat=True
            )
        )
    )


def _notify(pk: int, organisation_pk: int, kind: str, email: str, language: str) -> None:
    """Confirmation to the sender and a notice to the staff; never any content."""
    kind_label = EnquiryKind(kind).label
    try:
        if email:
            with translation.override(language):
                send_mail(
                    subject=_("Ihre Anfrage ist bei uns angekommen"),
                    message=render_to_string(
                        "enquiries/email_confirmation.txt", {"kind_label": kind_label}
                    ),
                    from_email=None,
                    recipient_list=[email],
                )
    except Exception:
        logger.exception("the confirmation mail of an enquiry could not be sent")
    try:
        organisation = Organisation.objects.get(pk=organisation_pk)
        recipients = staff_addresses(organisation)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "kind_label": kind_label,
                    "url": settings.SITE_URL + reverse("enquiries:detail", args=[pk]),
                }
                send_mail(
                    subject=_("Neue Anfrage: %(kind)s") % {"kind": kind_label},
                    message=render_to_string("enquiries/email_staff.txt", context),
                    from_email=None,
                    recipient_list=recipients,
                )
    except Exception:
        logger.exception("the staff notice of an enquiry could not be sent")


# Staff work ----------------------------------------------------------------------------


def assignable_counsellors(organisation: Organisation) -> Any:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__role__in=(Role.COUNSELLOR, Role.LEAD),
        is_active=True,
    ).order_by("email")


def assign(enquiry: Enquiry, assignee: User | None, *, by: User) -> Enquiry:
    if (
        assignee is not None
        and not assignable_counsellors(enquiry.organisation).filter(pk=assignee.pk).exists()
    ):
        raise EnquiryError(_("Diese Person gehört nicht zu Ihrer Organisation."))
    enquiry.assigned_to = assignee
    update = ["assigned_to", "updated_at"]
    if assignee is not None and enquiry.status == EnquiryStatus.NEW:
        enquiry.status = EnquiryStatus.IN_PROGRESS
        update.append("status")
    enquiry.save(update_fields=update)
    log_action(
        by,
        enquiry.organisation,
        "enquiry.assigned",
        enquiry,
        assignee=assignee.pk if assignee else None,
    )
    return enquiry


def set_status(enquiry: Enquiry, status: str, *, by: User) -> Enquiry:
    status = EnquiryStatus(status)
    if status == enquiry.status:
        return enquiry
    if status == EnquiryStatus.NEW:
        raise EnquiryError(_("Eine Anfrage kann nicht wieder auf „neu“ gesetzt werden."))
    previous = enquiry.status
    enquiry.status = status
    enquiry.closed_at = timezone.now() if status in CLOSED_STATUSES else None
    enquiry.save(update_fields=["status", "closed_at", "updated_at"])
    log_action(
        by, enquiry.organisation, "enquiry.status_changed", enquiry, old=previous, new=status
    )
    return enquiry


def open_mediation_case(enquiry: Enquiry, *, by: User) -> Any:
    """A mediation case (Konfliktvermittlung) from a mediation request; all or nothing.

    The person's contact data become the case's advice seeker; the enquiry is then in
    progress and points to the case. Raises EnquiryError when not possible.
    """
    from wohnfair.cases import services as case_services
    from wohnfair.cases.models import CaseType

    with transaction.atomic():
        locked = (
            enquiries("locked by primary key after a scoped lookup")
            .select_for_update()
            .get(pk=enquiry.pk)
        )
        if locked.kind != EnquiryKind.MEDIATION:
            raise EnquiryError(
                _("Nur aus einer Anfrage zur Konfliktvermittlung wird ein Konfliktfall.")
            )
        if locked.case_id is not None:
            raise EnquiryError(_("Aus dieser Anfrage wurde schon ein Fall eröffnet."))
        if locked.status == EnquiryStatus.SPAM:
            raise EnquiryError(_("Aus einer Anfrage, die als Spam markiert ist, wird kein Fall."))
        person = case_services.PersonData(
            name=locked.name or _("Anfragende Person"),
            email=locked.email,
            phone=locked.phone,
            preferred_language=locked.language,
        )
        case = case_services.open_case(
            organisation=locked.organisation,
            opened_by=by,
            case_type=CaseType.MEDIATION,
            first_contact=timezone.localdate(locked.created_at),
            language=locked.language,
            person=person,
        )
        locked.case = case
        if locked.status == EnquiryStatus.NEW:
            locked.status = EnquiryStatus.IN_PROGRESS
        locked.save(update_fields=["case", "status", "updated_at"])
        log_action(by, locked.organisation, "enquiry.case_opened", locked, case=case.pk)
    enquiry.refresh_from_db()
    return case


# Retention -----------------------------------------------------------------------------


def delete_expired_enquiries(now: Any = None) -> int:
    """Delete enquiries past their retention period; idempotent. Returns how many went.

    Mediation requests that became a case are deleted too: the case holds what is needed.
    """
    now = now or timezone.now()
    rows = enquiries("retention job runs across all organisations")
    done = rows.filter(
        status=EnquiryStatus.DONE, closed_at__lt=now - timedelta(days=RETENTION_DAYS_DONE)
    )
    junk = rows.filter(
        status=EnquiryStatus.SPAM, closed_at__lt=now - timedelta(days=RETENTION_DAYS_SPAM)
    )
    stale = rows.filter(
        status__in=(EnquiryStatus.NEW, EnquiryStatus.IN_PROGRESS),
        updated_at__lt=now - timedelta(days=RETENTION_DAYS_UNTOUCHED),
    )
    total = 0
    for queryset in (done, junk, stale):
        for enquiry in list(queryset.select_related("organisation")):
            log_action(None, enquiry.organisation, "enquiry.deleted_by_retention", enquiry)
            enquiry.delete()
            total += 1
    return total
