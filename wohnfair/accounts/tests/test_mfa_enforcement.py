import pytest
from allauth.mfa.models import Authenticator

STAFF_URLS = ["/staff/", "/staff/team/", "/staff/protokoll/", "/ar/staff/"]


@pytest.fixture
def require_mfa(settings):
    settings.WOHNFAIR_REQUIRE_MFA = True


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_without_second_factor_is_sent_to_set_one_up(require_mfa, login, lead_a, url):
    response = login(lead_a).get(url)
    assert response.status_code == 302
    assert response.url.endswith("/konto/2fa/")


def test_staff_with_authenticator_but_unconfirmed_session_must_confirm(require_mfa, login, lead_a):
    Authenticator.objects.create(user=lead_a, type=Authenticator.Type.TOTP, data={})
    response = login(lead_a).get("/staff/team/")
    assert response.status_code == 302
    assert "/konto/reauthenticate/" in response.url or "2fa/reauthenticate" in response.url
    assert "next=/staff/team/" in response.url


@pytest.mark.parametrize("url", STAFF_URLS)
def test_session_confirmed_with_second_factor_gets_in(require_mfa, login, lead_a, url):
    assert login(lead_a, mfa=True).get(url).status_code == 200


def test_admin_refuses_a_session_without_second_factor(require_mfa, login, django_user_model):
    root = django_user_model.objects.create_superuser("root@example.org", "x" * 16)
    assert login(root).get("/admin/").status_code == 302
    assert login(root, mfa=True).get("/admin/").status_code == 200


def test_demo_settings_do_not_require_mfa(login, lead_a, settings):
    assert settings.WOHNFAIR_REQUIRE_MFA is False
    assert login(lead_a).get("/staff/").status_code == 200


def _in_production(code: str, **extra: str) -> str:
    """What ``code`` prints under production settings, in a fresh interpreter."""
    import subprocess
    import sys

    env = {
        "WOHNFAIR_ENV": "production",
        "WOHNFAIR_SECRET_KEY": "k" * 60,
        "WOHNFAIR_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        "WOHNFAIR_ALLOWED_HOSTS": "wohnfair.example",
        "DJANGO_SETTINGS_MODULE": "wohnfair.settings",
        "PATH": "/usr/bin:/bin",
        **extra,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_production_settings_require_mfa():
    printed = _in_production(
        "from django.conf import settings as s; print(s.WOHNFAIR_REQUIRE_MFA,"
        " s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    assert printed.split() == ["True", "True", "True", "False"]


def test_the_default_receipt_salt_is_reported_in_production():
    code = (
        "import django; django.setup(); from wohnfair.checks import production_settings;"
        " print([problem.id for problem in production_settings(None)])"
    )
    assert "wohnfair.W003" in _in_production(code)
    assert "wohnfair.W003" in _in_production(code, WOHNFAIR_RECEIPT_SALT="")
    assert "wohnfair.W003" not in _in_production(code, WOHNFAIR_RECEIPT_SALT="s" * 40)
