"""Model fields whose values are encrypted in the database (see ``lib.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models

from wohnfair.lib import crypto


class EncryptedTextField(models.TextField):
    """A text stored encrypted; empty strings stay empty so that blank checks work.

    Encrypted values cannot be filtered or sorted in the database; search uses
    a blind index kept beside the value where needed.
    """

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        self.crypto_context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value, self.crypto_context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(str(value), self.crypto_context)


class EncryptedCharField(EncryptedTextField):
    """Short encrypted values (names, phone numbers); the form shows a one-line input."""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)
