"""Forms of the statistics policy page and of the API key page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wohnfair.monitoring.models import StatisticsPolicy
from wohnfair.monitoring.tokens import DEFAULT_DAYS, MAX_DAYS


class PolicyForm(forms.ModelForm):
    class Meta:
        model = StatisticsPolicy
        fields = ["min_cell", "show_in_network_columns", "publish_statistics"]

    def __init__(self, *args: Any, is_network: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_network:
            # A network has no network above it to show a column in.
            del self.fields["show_in_network_columns"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür der Schlüssel gedacht ist, zum Beispiel „Auswertung Jahresbericht“."),
    )
    days = forms.IntegerField(
        label=_("gültig für (Tage)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )
