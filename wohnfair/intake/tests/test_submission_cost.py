"""What a submission costs the server, kept from creeping back: database statements per
request, and the steps of the empty form rendered once per language, day and wording."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wohnfair.cases.models import ConsentText
from wohnfair.intake import forms, spam
from wohnfair.intake.forms import ReportForm
from wohnfair.intake.tests.conftest import URL, all_reports, valid_data
from wohnfair.intake.views import public

TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|submission_token|form_started)" value=)"[^"]*"')


def without_tokens(page: str) -> str:
    page = TOKENS.sub(r'\1""', page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def cache_tables() -> list[str]:
    return [
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"].endswith("db.DatabaseCache")
    ]


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The portal's statements: without transaction control (BEGIN, SAVEPOINT, COMMIT ...)
    and without database-cache lookups of other parts of the site (a page cache in a
    middleware, say); the portal itself keys nothing in a database cache."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    sent = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]
    tables = cache_tables()
    in_caches = [sql for sql in sent if any(table in sql for table in tables)]
    assert not any("intake:" in sql for sql in in_caches), in_caches
    return [sql for sql in sent if sql not in in_caches]


def test_a_whole_submission_needs_few_database_statements(client, db):
    """Form, challenge, report, confirmation. (Before: 78 statements, 27 of them for
    rate limits in the database cache, which also counted its whole table on each write.)"""
    spam.allow(client.get(URL).wsgi_request, "pow")  # the window's first attempt also prunes
    spam.allow(client.get(URL).wsgi_request, "submit")
    counting = 1 if connection.vendor == "postgresql" else 2
    with CaptureQueriesContext(connection) as page:
        assert client.get(URL).status_code == 200
    assert len(statements(page)) == 1  # the consent texts
    with CaptureQueriesContext(connection) as challenge:
        answer = spam.solve(client.get("/melden/pow/").json())
    assert len(statements(challenge)) == counting
    with CaptureQueriesContext(connection) as post:
        response = client.post(URL, valid_data(pow=answer))
    assert response.status_code == 302
    sent = statements(post)
    # counting, form token, consents, routing (2), terms, report, grounds, used challenge,
    # audit entry, waiting code
    assert len(sent) <= 10 + counting, "\n".join(sent)
    assert sum("submission_token" in sql and sql.startswith("SELECT") for sql in sent) == 1
    with CaptureQueriesContext(connection) as confirmation:
        assert "data-receipt-code" in client.get(response.url).text
    # reserving the code, deleting it once delivered (the signed link names the report)
    assert len(statements(confirmation)) == 2
    assert all_reports().count() == 1


@pytest.fixture
def fresh_steps():
    forms._STEPS_HTML.clear()
    public._FORM_PAGES.clear()
    yield forms._STEPS_HTML
    forms._STEPS_HTML.clear()
    public._FORM_PAGES.clear()


@pytest.fixture
def fresh_pages(fresh_steps):
    return public._FORM_PAGES


def test_the_shared_form_page_gets_its_own_tokens_every_time(db, fresh_pages):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    first = browser.get(URL)
    assert len(fresh_pages) == 1
    second = browser.get(URL)
    assert len(fresh_pages) == 1
    assert public._PLACEHOLDER not in first.text + second.text
    assert without_tokens(first.text) == without_tokens(second.text)
    for name in ("csrfmiddlewaretoken", "submission_token"):
        pattern = rf'name="{name}" value="([^"]+)"'
        assert re.search(pattern, first.text).group(1) != re.search(pattern, second.text).group(1)
    # the signed time the page was made (whole seconds)
    started = re.search(r'name="form_started" value="([^"]+)"', second.text).group(1)
    assert abs(spam.started_at(started) - time.time()) < 5
    assert "csrftoken" in second.cookies  # the CSRF cookie comes with the page
    # the tokens of a page from the shared copy work: the report is stored
    data = valid_data(  # (the signed start time of a page 30 s ago)
        csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text)[
            1
        ],
        submission_token=re.search(r'name="submission_token" value="([^"]+)"', second.text)[1],
    )
    assert browser.post(URL, data).status_code == 302
    assert all_reports().get().submission_token == data["submission_token"]


def test_the_shared_form_page_is_what_a_fresh_rendering_gives(client, db, fresh_pages):
    shared = client.get(URL).text
    assert len(fresh_pages) == 1
    client.cookies["sessionid"] = "no-such-session"  # not shared: rendered for this visitor
    fresh = client.get(URL).text
    assert len(fresh_pages) == 1
    assert without_tokens(shared) == without_tokens(fresh)


@pytest.mark.parametrize(
    "variant", ["query", "session", "messages", "staff"], ids=lambda variant: variant
)
def test_pages_that_may_differ_are_not_shared(client, db, fresh_pages, variant, request):
    if variant == "query":
        response = client.get(URL + "?from=flyer")
    elif variant == "session":
        client.cookies["sessionid"] = "abc"
        response = client.get(URL)
    elif variant == "messages":
        client.cookies["messages"] = "x"
        response = client.get(URL)
    else:
        login = request.getfixturevalue("login")
        response = login(request.getfixturevalue("counsellor_a")).get(URL)
    assert response.status_code == 200
    assert not fresh_pages


def test_a_page_that_used_the_csp_nonce_is_not_shared(client, db, fresh_pages, monkeypatch):
    real = public.render_to_string

    def uses_nonce(template, context, request):
        str(request._csp_nonce)  # as a template with an inline script would
        return real(template, context, request)

    monkeypatch.setattr(public, "render_to_string", uses_nonce)
    assert client.get(URL).status_code == 200
    assert not fresh_pages


def test_the_empty_form_is_the_same_with_its_steps_rendered_once(client, db, fresh_steps):
    first = client.get(URL).text
    assert len(fresh_steps) == 1
    second = client.get(URL).text
    assert len(fresh_steps) == 1
    assert without_tokens(first) == without_tokens(second)
    with translation.override("de"):
        uncached = get_template("intake/public/_report_steps.html").render({"form": ReportForm()})
    assert uncached in second
    # the tokens are new for every page, outside the cached steps
    token = r'name="submission_token" value="([^"]+)"'
    assert re.search(token, first).group(1) != re.search(token, second).group(1)


def test_each_language_gets_its_own_steps(client, db, fresh_steps):
    german = client.get(URL).text
    english = client.get("/en/melden/").text
    assert len(fresh_steps) == 2
    assert "Was ist passiert?" in german and "Was ist passiert?" not in english
    assert '<html lang="en"' in english


def test_a_new_consent_wording_shows_at_once(client, db, fresh_steps):
    assert "Neue Fassung der Einwilligung" not in client.get(URL).text
    current = ConsentText.current("statistics")
    ConsentText.objects.create(
        purpose="statistics",
        version=current.version + 1,
        text="Neue Fassung der Einwilligung zur Statistik.",
        valid_from=date.today(),
    )
    page = client.get(URL).text
    assert "Neue Fassung der Einwilligung zur Statistik." in page
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert all_reports().get().consents == {"statistics": current.version + 1}


def test_a_form_with_errors_is_rendered_with_what_was_sent(post_report, fresh_steps):
    response = post_report(valid_data(description="Mein eigener Text", situations=None))
    assert response.status_code == 200
    assert "Mein eigener Text" in response.text
    assert "Bitte kreuzen Sie mindestens eine Antwort an." in response.text
    assert all("Mein eigener Text" not in html for html in fresh_steps.values())
    assert not ReportForm(initial={"city": "Dortmund"}).cached_steps()
