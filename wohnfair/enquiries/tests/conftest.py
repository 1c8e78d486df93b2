"""Fixtures for enquiries: valid form data per kind, a posting helper, the site setting."""

from __future__ import annotations

import secrets
import time
from typing import Any

import pytest
from django.core.cache import cache
from wagtail.models import Site

from wohnfair.enquiries.forms import SLUGS
from wohnfair.enquiries.models import Enquiry, WebsiteSettings
from wohnfair.intake import spam


@pytest.fixture(autouse=True)
def _fresh_cache_and_easy_pow(db, settings):
    """Rate-limit counters live in the cache table; a small proof of work keeps tests fast."""
    settings.WOHNFAIR_POW_MAX_NUMBER = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_for_a(org_a):
    site = Site.objects.get(is_default_site=True)
    WebsiteSettings.objects.update_or_create(site=site, defaults={"organisation": org_a})
    return site


def all_enquiries():
    return Enquiry.objects.unscoped("test")


def pow_answer() -> str:
    return spam.solve(spam.new_challenge())


BASE = {
    "name": "Aylin Demir",
    "email": "aylin@example.org",
    "phone": "0231 123456",
    "message": "Bitte rufen Sie mich zurück.",
}
KIND_DATA: dict[str, dict[str, Any]] = {
    "contact": {},
    "mediation": {
        "parties": "Ich und die Familie über mir",
        "address_area": "Nordstadt",
        "message": "Lärm in der Nacht, Beschimpfungen im Treppenhaus.",
        "other_party_knows": "no",
        "preferred_contact": "phone",
    },
    "support": {
        "message": "Klage wegen Ablehnung einer Wohnung.",
        "court_stage": "filed",
        "office_involved": "yes",
        "amount_needed": "1200.50",
    },
    "accessibility": {"page_address": "/kontakt/", "message": "Der Kontrast ist zu schwach."},
}


def valid_data(kind: str = "contact", **changes: Any) -> dict[str, Any]:
    """POST data of a valid enquiry; ``None`` removes a field."""
    data: dict[str, Any] = {
        "form_token": secrets.token_urlsafe(24),
        "form_started": spam.started_token(time.time() - 30),
        "pow": pow_answer(),
        "website": "",
        **BASE,
        **KIND_DATA[kind],
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def url(kind: str = "contact", prefix: str = "") -> str:
    return f"{prefix}/anfrage/{SLUGS[kind]}/"


@pytest.fixture
def post_enquiry(client, site_for_a):
    def _post(kind: str = "contact", prefix: str = "", **changes: Any):
        return client.post(url(kind, prefix), valid_data(kind, **changes))

    _post.client = client  # type: ignore[attr-defined]
    return _post


def make_enquiry(organisation, kind: str = "contact", **fields: Any) -> Enquiry:
    values: dict[str, Any] = {
        "organisation": organisation,
        "kind": kind,
        "submission_token": secrets.token_urlsafe(24),
        "name": "Aylin Demir",
        "email": "aylin@example.org",
        "message": "Bitte um Rückruf.",
        **fields,
    }
    return Enquiry.objects.create(**values)
