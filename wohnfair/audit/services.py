"""Writing the audit log. Every module that changes or shows sensitive data calls these."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from wohnfair.audit.models import AuditEntry

# Values allowed in ``details``: codes and numbers, never free text from a form.
Detail = str | int | bool | None


def log_action(
    actor: Any,
    organisation: Any,
    action: str,
    obj: models.Model | None = None,
    **details: Detail,
) -> AuditEntry:
    """Append one entry. ``actor`` may be None for system jobs."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details,
    )


def log_access(request: HttpRequest, action: str, obj: models.Model | None = None) -> AuditEntry:
    """Record that the current user viewed something sensitive."""
    membership = getattr(request, "membership", None)
    organisation = membership.organisation if membership else None
    return log_action(request.user, organisation, action, obj)
