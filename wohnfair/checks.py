"""System checks for settings invariants that Django's own checks do not cover."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[Warning | Error]:
    problems: list[Warning | Error] = []
    if not settings.IS_PRODUCTION:
        problems.append(
            Warning(
                "WOHNFAIR_ENV is not 'production'.",
                hint="Set WOHNFAIR_ENV=production on servers.",
                id="wohnfair.W001",
            )
        )
        return problems
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(Error("The development SECRET_KEY is in use.", id="wohnfair.E001"))
    if settings.DEVELOPMENT_ENCRYPTION_KEY in settings.WOHNFAIR_ENCRYPTION_KEYS:
        problems.append(Error("The development encryption key is in use.", id="wohnfair.E002"))
    if not settings.WOHNFAIR_REQUIRE_MFA:
        problems.append(
            Warning(
                "Staff can work without a second factor.",
                hint="Unset WOHNFAIR_REQUIRE_MFA or set it to true.",
                id="wohnfair.W002",
            )
        )
    if settings.WOHNFAIR_RECEIPT_SALT == settings.DEVELOPMENT_RECEIPT_SALT:
        problems.append(
            Warning(
                "Receipt codes of public reports are hashed with the well-known default salt.",
                hint=(
                    "Set WOHNFAIR_RECEIPT_SALT to a random secret kept outside the database "
                    "before the first report (a later change makes existing receipt codes "
                    "unusable; an installation that already has reports may silence "
                    "wohnfair.W003 instead)."
                ),
                id="wohnfair.W003",
            )
        )
    return problems


@register(Tags.security)
def encryption_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    import base64
    import binascii

    errors = []
    for index, key in enumerate(settings.WOHNFAIR_ENCRYPTION_KEYS):
        try:
            valid = len(base64.urlsafe_b64decode(key)) == 32
        except (binascii.Error, ValueError):
            valid = False
        if not valid:
            errors.append(
                Error(
                    f"WOHNFAIR_ENCRYPTION_KEYS entry {index + 1} is not 32 url-safe base64 bytes.",
                    id="wohnfair.E003",
                )
            )
    return errors
