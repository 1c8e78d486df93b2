"""The receipt code is used up only when its page has been delivered.

A WSGI server iterates the response and writes each part to the connection, then
closes it. These tests play that server: through the whole middleware stack, they
iterate the confirmation page completely, partly or not at all, or never close it
(a worker killed on the way), and look at what the same link shows next.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.handlers.base import BaseHandler
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from wohnfair.intake import services
from wohnfair.intake.models import PendingReceipt
from wohnfair.intake.tests.conftest import all_reports, receipt_from, valid_data
from wohnfair.intake.views.public import OneTimePage

SHOWN = "Der Code wurde schon angezeigt"
SHOWING = "Der Code wird gerade angezeigt"


@pytest.fixture
def link(post_report) -> str:
    response = post_report(valid_data())
    assert response.status_code == 302
    return response.url


def serve(url: str, method: str = "GET"):
    """The response of the full middleware stack, as a WSGI server receives it."""
    handler = BaseHandler()
    handler.load_middleware()
    parts = urlsplit(url)
    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    request = getattr(factory, method.lower())(parts.path, QUERY_STRING=parts.query)
    return handler.get_response(request)


def close(response) -> None:
    # As the test client does: the request_finished signal must not close the test's
    # database connection (it is inside the test's transaction).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def delivered(response) -> str:
    body = b"".join(response)  # the server writes every part ...
    close(response)  # ... and then closes the response
    return body.decode()


def test_a_delivered_page_uses_the_code_up(link):
    response = serve(link)
    assert isinstance(response, OneTimePage)
    assert "no-store" in response["Cache-Control"]
    code = receipt_from(delivered(response))
    assert (
        all_reports()
        .get()
        .receipt_hash.endswith(services.receipts.hash_code(code).rpartition("$")[2])
    )
    again = delivered(serve(link))
    assert "data-receipt-code" not in again
    assert SHOWN in again
    assert not PendingReceipt.objects.exists()


def test_a_page_that_broke_off_shows_the_code_again(link):
    first = serve(link)
    parts = iter(first)
    shown_part = next(parts)  # the server wrote the first part, then the connection broke
    close(first)
    code = receipt_from(shown_part.decode())
    second = delivered(serve(link))
    assert receipt_from(second) == code
    assert SHOWN in delivered(serve(link))


def test_while_one_request_shows_the_code_another_does_not(link):
    first = serve(link)
    meanwhile = delivered(serve(link))
    assert "data-receipt-code" not in meanwhile
    assert SHOWING in meanwhile
    assert all_reports().get().reference in meanwhile
    code = receipt_from(delivered(first))
    assert len(code) == 16
    assert SHOWN in delivered(serve(link))


def test_a_worker_that_died_while_showing_releases_the_code_after_a_while(link, time_machine):
    serve(link)  # claimed, and then the process died: never iterated to the end, never closed
    assert SHOWING in delivered(serve(link))
    time_machine.move_to(timezone.now() + timedelta(seconds=services.RECEIPT_SHOWING_SECONDS + 1))
    page = delivered(serve(link))
    assert re.fullmatch(r"\d{16}", receipt_from(page))
    assert SHOWN in delivered(serve(link))


def test_a_head_request_uses_nothing_up(link):
    head = serve(link, "HEAD")  # a link checker, a preview
    assert head.status_code == 405
    close(head)
    assert "data-receipt-code" in delivered(serve(link))


def test_a_code_that_was_never_shown_expires(link, time_machine):
    time_machine.move_to(timezone.now() + timedelta(seconds=services.RECEIPT_DISPLAY_SECONDS + 5))
    assert services.state.prune() >= 1
    assert not PendingReceipt.objects.exists()


def test_the_code_waits_encrypted(link):
    pending = PendingReceipt.objects.get()
    code = receipt_from(delivered(serve(link)))
    assert code not in pending.sealed
    assert pending.sealed.startswith("wf")  # the format of lib.crypto
