"""Fixtures for the reporting portal: valid form data, files, a posting helper."""

from __future__ import annotations

import io
import secrets
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from wohnfair.intake import spam
from wohnfair.intake.models import Report

URL = "/melden/"


@pytest.fixture(autouse=True)
def _fresh_cache_and_easy_pow(db, settings):
    """Rate-limit counters live in the cache table, which no test flush empties; and a
    small proof of work keeps the tests fast. Every test here uses the database
    (transactional ones too: their marker or fixture wins over ``db``)."""
    settings.WOHNFAIR_POW_MAX_NUMBER = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    folder = media_root / "report-files"
    return sorted(folder.iterdir()) if folder.exists() else []


def all_reports():
    return Report.objects.unscoped("test")


def pow_answer() -> str:
    return spam.solve(spam.new_challenge())


def valid_data(**changes: Any) -> dict[str, Any]:
    """POST data of a valid anonymous report; ``None`` removes a field."""
    data: dict[str, Any] = {
        "submission_token": secrets.token_urlsafe(24),
        "form_started": spam.started_token(time.time() - 30),
        "pow": pow_answer(),
        "website": "",
        "situations": ["no_answer"],
        "description": "Nach meinem Namen kam keine Antwort mehr.",
        "incident_date": (date.today() - timedelta(days=20)).isoformat(),
        "postcode": "44137",
        "city": "Dortmund",
        "district": "Innenstadt-West",
        "respondent_kind": "housing_company",
        "respondent_name": "Wohnbau Beispiel GmbH",
        "grounds": ["origin", "name"],
        "wish": "document_only",
        "consent_statistics": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def png_bytes(size: tuple[int, int] = (20, 10), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    output = io.BytesIO()
    if exif:
        image.save(output, format="JPEG", exif=_gps_exif())
    else:
        image.save(output, format="PNG")
    return output.getvalue()


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller-Kanarienvogel"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    return exif.tobytes()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def post_report(client: Client) -> Callable[..., Any]:
    """``post_report(data, url=..., files=[...], **extra)`` posts the report form."""

    def _post(data: dict[str, Any], *, url: str = URL, files=None, **extra: Any):
        payload = dict(data)
        if files:
            payload["files"] = files
        return client.post(url, payload, **extra)

    return _post


@pytest.fixture
def submitted(post_report, client) -> Callable[..., tuple[Report, str]]:
    """Submit a valid report through the form; returns (report, receipt code as shown)."""

    def _submit(**changes: Any) -> tuple[Report, str]:
        data = valid_data(**changes)
        response = post_report(data)
        assert response.status_code == 302, response.content.decode()[:3000]
        page = client.get(response.url)
        code = receipt_from(page.content.decode())
        return all_reports().get(submission_token=data["submission_token"]), code

    return _submit


def receipt_from(html: str) -> str:
    import re

    match = re.search(r"data-receipt-code>(.*?)</p>", html, re.S)
    assert match, "no receipt code on the page"
    return "".join(re.findall(r"\d", match.group(1)))
