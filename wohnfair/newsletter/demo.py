"""Demo newsletter subscribers (no pages: the website demo builds those)."""

from __future__ import annotations

from django.utils import timezone

from wohnfair.newsletter import services
from wohnfair.newsletter.models import Subscriber, SubscriberStatus

DEMO_SUBSCRIBERS = [
    ("leserin@example.org", SubscriberStatus.CONFIRMED, "de"),
    ("reader@example.org", SubscriberStatus.CONFIRMED, "en"),
    ("noch-offen@example.org", SubscriberStatus.PENDING, "de"),
]


def build_demo_newsletter() -> list[Subscriber]:
    """A couple of subscribers; idempotent. Needs nothing else."""
    subscribers = []
    for email, status, language in DEMO_SUBSCRIBERS:
        subscriber, _created = Subscriber.objects.get_or_create(
            email_index=services.email_index(email),
            defaults={
                "email": email,
                "status": status,
                "language": language,
                "confirmed_at": timezone.now() if status == SubscriberStatus.CONFIRMED else None,
            },
        )
        subscribers.append(subscriber)
    return subscribers
