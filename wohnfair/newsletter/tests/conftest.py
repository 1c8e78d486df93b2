"""Fixtures for the newsletter: posting helper, a subscriber in each state, a page."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from wagtail.models import Page

from wohnfair.intake import spam
from wohnfair.newsletter import services
from wohnfair.newsletter.models import NewsletterPage, Subscriber

SIGNUP = "/newsletter/anmelden/"


@pytest.fixture(autouse=True)
def _fresh_cache_and_easy_pow(db, settings):
    settings.WOHNFAIR_POW_MAX_NUMBER = 300
    cache.clear()
    yield
    cache.clear()


def signup_data(**changes: Any) -> dict[str, Any]:
    from wohnfair import submissions

    data: dict[str, Any] = {
        "form_token": submissions.new_token(),
        "form_started": spam.started_token(time.time() - 30),
        "pow": spam.solve(spam.new_challenge()),
        "website": "",
        "email": "leser@example.org",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def link_in(message, kind: str) -> str:
    """The path of the first confirmation or unsubscribe link in a mail."""
    match = re.search(
        rf"https?://[^/\s]+(/(?:[a-z]{{2}}/)?newsletter/{kind}/[^\s\"<]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def make_subscriber(email: str, status: str = "confirmed", language: str = "de") -> Subscriber:
    return Subscriber.objects.create(
        email=email, email_index=services.email_index(email), status=status, language=language
    )


@pytest.fixture
def newsletter_page(db):
    root = Page.objects.get(depth=1)
    home = root.get_children().first()
    page = NewsletterPage(
        title="Newsletter März",
        slug="newsletter-maerz",
        intro="Neues aus der Beratung",
        body=[
            ("heading", "Aktuelle Aktion"),
            ("paragraph", "<p>Wir laden ein zum <b>Fachtag</b>.</p>"),
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return NewsletterPage.objects.get(pk=page.pk)


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
