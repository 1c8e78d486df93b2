"""Once-only form submissions: a hidden token per rendered form.

Usage in a view::

    with transaction.atomic():
        duplicate = claim(request.POST.get(TOKEN_FIELD))
        if duplicate is not None:
            return redirect(duplicate or fallback)
        obj = do_the_work()
        remember(request.POST[TOKEN_FIELD], obj.get_absolute_url())
"""

from __future__ import annotations

import re
import secrets

from django.db import IntegrityError, transaction

from wohnfair.models import FormSubmission

TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class InvalidToken(Exception):
    pass


def new_token() -> str:
    return secrets.token_urlsafe(24)


def claim(token: str | None) -> str | None:
    """Take the token inside the caller's transaction; return None if it was free.

    Returns the stored result URL ("" if none) when the form was already submitted.
    """
    if not token or not TOKEN_PATTERN.match(token):
        raise InvalidToken
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        previous = FormSubmission.objects.filter(token=token).first()
        return previous.result_url if previous else ""
    return None


def remember(token: str, result_url: str) -> None:
    FormSubmission.objects.filter(token=token).update(result_url=result_url)
