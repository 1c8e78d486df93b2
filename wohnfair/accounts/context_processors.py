from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from wohnfair.navigation import navigation_for


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The active membership, the others to switch to, and the staff menu (computed on use)."""
    membership = getattr(request, "membership", None)

    def other_memberships() -> list[Any]:
        if membership is None:
            return []
        return list(
            request.user.active_memberships()  # type: ignore[union-attr]
            .exclude(pk=membership.pk)
            .order_by("organisation__name")
        )

    return {
        "active_membership": membership,
        "other_memberships": SimpleLazyObject(other_memberships),
        "staff_navigation": SimpleLazyObject(lambda: navigation_for(membership)),
    }
