"""The public sign-up form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wohnfair.enquiries.protection import ProtectedForm


class SignupForm(ProtectedForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_(
            "Sie bekommen eine E-Mail mit einem Link. Erst wenn Sie ihn anklicken, sind Sie "
            "angemeldet. Abmelden können Sie sich mit dem Link in jedem Newsletter."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_newsletter_%s")
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
