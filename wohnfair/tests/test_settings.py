import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from wohnfair.lib.env import env_bool, env_choice, env_int, env_list, env_secret


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        env={"DJANGO_SETTINGS_MODULE": "wohnfair.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_settings({"WOHNFAIR_ENV": "production"})
    assert result.returncode != 0
    assert "WOHNFAIR_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = run_settings({"WOHNFAIR_ENV": "production", "WOHNFAIR_SECRET_KEY": "s" * 60})
    assert result.returncode != 0
    assert "WOHNFAIR_ENCRYPTION_KEYS must be set" in result.stderr


def test_unknown_environment_name_fails_loudly():
    result = run_settings({"WOHNFAIR_ENV": "prod"})
    assert "WOHNFAIR_ENV must be one of development, production" in result.stderr


def test_env_helpers_reject_bad_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "vielleicht")
    monkeypatch.setenv("X_INT", "zwölf")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL must be a boolean"):
        env_bool("X_BOOL")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be an integer"):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfigured, match="X_CHOICE must be one of a, b"):
        monkeypatch.setenv("X_CHOICE", "c")
        env_choice("X_CHOICE", ("a", "b"), "a")
    with pytest.raises(ImproperlyConfigured):
        env_secret("X_MISSING", required=True, fallback="dev")


def test_env_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    assert env_bool("X_BOOL") is True
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_secret("X_MISSING", required=False, fallback="dev") == "dev"
