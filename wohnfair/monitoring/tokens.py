"""API tokens for the read-only statistics API.

A token is 40 random URL-safe characters behind a short, recognisable prefix
(``wf_``). Only its SHA-256 is stored; the token itself is shown once, when it
is created. A token acts for the user who created it, in the organisation it
was created for, and only while that membership is still active.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from wohnfair.accounts.models import Membership, Role, User
from wohnfair.audit.services import log_action
from wohnfair.monitoring.models import ApiToken

TOKEN_PREFIX = "wf_"  # noqa: S105 (a prefix, not a secret)
DEFAULT_DAYS = 90
MAX_DAYS = 365
# Refresh last_used_at at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)

# Roles that may read statistics through the API (exact counts for an office,
# pooled and suppressed figures for the network role).
API_ROLES = frozenset({Role.COUNSELLOR, Role.LEAD, Role.ADMINISTRATOR, Role.NETWORK_ANALYST})


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: str  # shown once, never stored
    record: ApiToken


def create_token(membership: Membership, *, name: str, days: int = DEFAULT_DAYS) -> NewToken:
    """Create a token for ``membership``; the caller shows ``token`` once."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError("days out of range")
    token = TOKEN_PREFIX + secrets.token_urlsafe(30)
    record = ApiToken.objects.create(
        organisation=membership.organisation,
        user=membership.user,
        name=name,
        prefix=token[:10],
        token_hash=hash_api_token(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    log_action(membership.user, membership.organisation, "monitoring.api_token_created", record)
    return NewToken(token=token, record=record)


def revoke_token(record: ApiToken, *, by: User) -> None:
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        log_action(by, record.organisation, "monitoring.api_token_revoked", record)


def tokens_visible_to(membership: Membership) -> list[ApiToken]:
    """Leads see every token of their organisation, everyone else their own."""
    tokens = ApiToken.objects.of_organisation(membership.organisation).select_related("user")
    if membership.role not in (Role.LEAD, Role.ADMINISTRATOR):
        tokens = tokens.filter(user=membership.user)
    return list(tokens)


def authenticate_token(token: str) -> Membership | None:
    """The active membership a presented token acts for, or None.

    Expired, revoked or unknown tokens and tokens of a deactivated membership
    all answer None: the API says only "not authenticated", never why.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.unscoped("the token hash identifies its organisation")
        .filter(token_hash=hash_api_token(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None:
        return None
    membership = (
        Membership.objects.active()
        .filter(user_id=record.user_id, organisation_id=record.organisation_id)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None or membership.role not in API_ROLES:
        return None
    if record.last_used_at is None or record.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.unscoped("touching the token just authenticated").filter(
            Q(pk=record.pk)
        ).update(last_used_at=now)
    return membership
