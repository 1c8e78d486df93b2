"""Which organisation receives the enquiries of a Wagtail site.

The site's ``WebsiteSettings.organisation`` decides. Without it, an installation with
exactly one office sends everything there. Otherwise the answer is None and the form
says clearly that it cannot take enquiries right now: there is no network queue for
enquiries, because contact, mediation and foundation requests are addressed to one
office, and a network administrator could not answer them.
"""

from __future__ import annotations

from typing import Any

from wohnfair.accounts.models import Organisation


def organisation_for_site(site: Any) -> Organisation | None:
    from wohnfair.enquiries.models import WebsiteSettings

    if site is not None:
        configured = (
            WebsiteSettings.objects.filter(site=site).values_list("organisation", flat=True).first()
        )
        if configured is not None:
            return Organisation.objects.filter(pk=configured).first()
    offices = list(Organisation.objects.filter(kind=Organisation.Kind.OFFICE).order_by("pk")[:2])
    return offices[0] if len(offices) == 1 else None
