import pytest


@pytest.mark.parametrize("url", ["/", "/konto/login/", "/ar/konto/login/", "/einladung/x/"])
def test_every_public_response_carries_the_security_headers(client, url, db):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_script_nonce_is_fresh_per_response(client, db, rf):
    from django.template import Context, Template
    from django.utils.csp import LazyNonce

    template = Template('<script nonce="{{ csp_nonce }}"></script>')
    first = template.render(Context({"csp_nonce": LazyNonce()}))
    second = template.render(Context({"csp_nonce": LazyNonce()}))
    assert first != second


@pytest.mark.parametrize("url", ["/staff/", "/staff/team/", "/konto/2fa/"])
def test_staff_pages_are_never_cached(login, lead_a, url):
    response = login(lead_a).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_hsts_and_secure_cookies_in_production(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_csrf_is_required_for_state_changes(lead_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(lead_a)
    response = strict.post(
        "/staff/team/einladen/", {"email": "x@example.org", "role": "counsellor"}
    )
    assert response.status_code == 403
    assert "Formular abgelaufen" in response.text


def test_cookies_are_httponly_and_samesite(client, lead_a):
    from wohnfair.accounts.tests.factories import PASSWORD

    response = client.post("/konto/login/", {"login": lead_a.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_unknown_page_gets_a_friendly_404(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
