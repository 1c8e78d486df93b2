"""The reporting portal's spam protection (``intake.spam``) for the website's small forms.

The layers are the portal's own functions: honeypot, signed minimum fill time, proof of
work (``intake/pow.js``) and the rate limits. This module only adds the form plumbing
and the wording for enquiries and newsletter sign-ups. Plain text only: markup typed
into a field is refused with a message instead of being stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Self

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wohnfair import submissions
from wohnfair.intake import spam

# Rate-limit scopes of intake.spam: public forms share the portal's budget per address.
SUBMIT_SCOPE = "submit"
UNVERIFIED_SCOPE = "unverified"

MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|<\s*/?\s*[A-Za-z!?]|\[url|javascript:", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

MARKUP_MESSAGE = _(
    "Bitte schreiben Sie nur einfachen Text, ohne HTML-Befehle oder Zeichen wie „<“ "
    "direkt vor Buchstaben."
)
HONEYPOT_MESSAGE = _(
    "Das Formular konnte nicht gesendet werden. Bitte lassen Sie das Feld „Bitte leer "
    "lassen“ leer und senden Sie es noch einmal."
)
TOO_FAST_MESSAGE = _(
    "Das ging sehr schnell. Zum Schutz vor automatisch gesendeten Nachrichten warten Sie "
    "bitte einige Sekunden und senden Sie das Formular dann noch einmal."
)
EXPIRED_MESSAGE = _(
    "Das Formular ist abgelaufen oder unvollständig angekommen. Bitte prüfen Sie Ihre "
    "Angaben und senden Sie es noch einmal."
)
BAD_POW_MESSAGE = _(
    "Die Prüfung gegen automatisch gesendete Nachrichten ist fehlgeschlagen oder abgelaufen. "
    "Bitte senden Sie das Formular noch einmal."
)
POW_REUSED_MESSAGE = _(
    "Diese Prüfung gegen automatisch gesendete Nachrichten wurde schon verwendet. Bitte "
    "laden Sie die Seite neu und senden Sie das Formular noch einmal."
)


def refuse_markup(value: str) -> None:
    if value and MARKUP.search(value):
        raise ValidationError(MARKUP_MESSAGE, code="markup")


def plain(value: Any) -> str:
    """Stripped text without control characters that no keyboard types."""
    return CONTROL.sub("", value).strip() if isinstance(value, str) else ""


class ProtectedForm(forms.Form):
    """A public form with the portal's spam protection and a once-only form token.

    Unbound, it carries a fresh form token and a signed start time; bound, it keeps
    the ones that were posted so that a form given back with errors stays the same
    submission. ``cleaned_data["proof_of_work"]`` is the solved challenge or "".
    """

    def __init__(
        self,
        *args: Any,
        check_spam: bool = True,
        tokens: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """``tokens``: where an unbound form takes its form token and start time from
        (a form given back unchanged, for example after a rate limit)."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.check_spam = check_spam
        source = self.data if self.is_bound else (tokens or {})
        posted = source.get(submissions.TOKEN_FIELD)
        self.form_token = (
            posted
            if isinstance(posted, str) and submissions.TOKEN_PATTERN.match(posted)
            else submissions.new_token()
        )
        started = source.get(spam.STARTED_FIELD)
        self.started_token = (
            started if spam.started_at(started) is not None else spam.started_token()
        )

    @classmethod
    def given_back(cls, post: Mapping[str, Any]) -> Self:
        """An unbound form showing what was sent, to hand it back unchanged."""
        initial = {name: post.get(name) for name in cls.base_fields if name in post}
        return cls(initial=initial, tokens=post)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str) and name in self.fields:
                try:
                    refuse_markup(value)
                except ValidationError as error:
                    self.add_error(name, error)
        token = self.data.get(submissions.TOKEN_FIELD)
        if not isinstance(token, str) or not submissions.TOKEN_PATTERN.match(token):
            raise ValidationError(EXPIRED_MESSAGE, code="form_token")
        data["form_token"] = token
        data["proof_of_work"] = ""
        if self.check_spam:
            self._check_spam(data)
        return data

    def _check_spam(self, data: dict[str, Any]) -> None:
        if self.data.get(spam.HONEYPOT_FIELD):
            raise ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        problem = spam.fill_time_problem(self.data.get(spam.STARTED_FIELD))
        if problem == "too_fast":
            raise ValidationError(TOO_FAST_MESSAGE, code="too_fast")
        if problem is not None:
            raise ValidationError(EXPIRED_MESSAGE, code="form_expired")
        answer = self.data.get(spam.POW_FIELD) or ""
        if answer:
            challenge = spam.verify_solution(answer)
            if challenge is None:
                raise ValidationError(BAD_POW_MESSAGE, code="bad_pow")
            data["proof_of_work"] = challenge

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for the summary above the form."""
        summary: list[tuple[str, str]] = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            for error in self[name].errors:
                summary.append((self[name].id_for_label or "", f"{self[name].label}: {error}"))
        return summary
