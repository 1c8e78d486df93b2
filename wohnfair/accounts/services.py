"""Workflows on members and invitations, used alike by views, commands and tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wohnfair.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
    hash_token,
)
from wohnfair.audit.services import log_action


class InvitationError(Exception):
    """An invitation that cannot be used; the message explains why to the person."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once, in the e-mail; only its hash is stored

    @property
    def path(self) -> str:
        return reverse("accounts:accept_invitation", args=[self.token])


def invite_member(
    *, organisation: Organisation, email: str, role: Role | str, invited_by: User
) -> IssuedInvitation:
    """Create an invitation and send the link by e-mail (after the transaction commits)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.pending().filter(organisation=organisation, email=email.lower()).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=invited_by,
        )
        log_action(invited_by, organisation, "member.invited", invitation, role=str(role))
        issued = IssuedInvitation(invitation, token)
        transaction.on_commit(lambda: _send_invitation_mail(issued))
    return issued


def _send_invitation_mail(issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    context = {
        "organisation": invitation.organisation,
        "role": invitation.get_role_display(),
        "link": settings.SITE_URL + issued.path,
        "expires_at": invitation.expires_at,
        "invited_by": invitation.invited_by,
    }
    send_mail(
        subject=_("Einladung zu Wohnfair: %(organisation)s")
        % {"organisation": invitation.organisation.name},
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, or an InvitationError that says why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationError(
            _("Diese Einladung ist ungültig. Bitte bitten Sie um eine neue Einladung.")
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _(
                "Diese Einladung wurde bereits verwendet. "
                "Melden Sie sich mit Ihrer E-Mail-Adresse an."
            )
        )
    if invitation.is_expired:
        raise InvitationError(
            _(
                "Diese Einladung ist abgelaufen (gültig für %(days)d Tage). "
                "Bitte bitten Sie die Leitung um eine neue Einladung."
            )
            % {"days": settings.WOHNFAIR_INVITATION_DAYS}
        )
    return invitation


def accept_invitation(
    token: str, *, user: User | None = None, display_name: str = "", password: str = ""
) -> Membership:
    """Use an invitation once: create the account if needed and the membership.

    The conditional update makes acceptance single-use even when two requests
    race: only one of them changes the row.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now())
        if claimed != 1:
            raise InvitationError(_("Diese Einladung wurde bereits verwendet."))
        if user is None:
            user = User.objects.filter(email__iexact=invitation.email).first()
            if user is None:
                user = User.objects.create_user(
                    invitation.email, password, display_name=display_name
                )
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=invitation.organisation,
            defaults={"role": invitation.role},
        )
        if not created:
            membership.role = invitation.role
            membership.is_active = True
            membership.deactivated_at = None
            membership.save(update_fields=["role", "is_active", "deactivated_at"])
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        log_action(user, invitation.organisation, "member.joined", membership, role=membership.role)
    return membership


def change_role(membership: Membership, role: Role | str, *, by: User) -> Membership:
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    log_action(by, membership.organisation, "member.role_changed", membership, old=old, new=role)
    return membership


def end_sessions(user: User) -> int:
    """Log the user out everywhere."""
    from allauth.usersessions.models import UserSession

    sessions = UserSession.objects.purge_and_list(user)
    for session in sessions:
        session.end()
    return len(sessions)


def deactivate_member(membership: Membership, *, by: User) -> Membership:
    """Take away a member's access to the organisation and end all their sessions."""
    with transaction.atomic():
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
        log_action(by, membership.organisation, "member.deactivated", membership)
    end_sessions(membership.user)
    return membership


def reactivate_member(membership: Membership, *, by: User) -> Membership:
    membership.is_active = True
    membership.deactivated_at = None
    membership.save(update_fields=["is_active", "deactivated_at"])
    log_action(by, membership.organisation, "member.reactivated", membership)
    return membership


def switch_organisation(request: HttpRequest, organisation_id: Any) -> Membership | None:
    """Make another of the user's organisations the active one; None if not a member."""
    from wohnfair.accounts.middleware import ACTIVE_ORGANISATION_KEY

    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        return None
    membership = (
        Membership.objects.active()
        .filter(user=request.user, organisation_id=organisation_id)
        .select_related("organisation")
        .first()
    )
    if membership is not None:
        request.session[ACTIVE_ORGANISATION_KEY] = membership.organisation_id
        log_action(request.user, membership.organisation, "organisation.switched")
    return membership
