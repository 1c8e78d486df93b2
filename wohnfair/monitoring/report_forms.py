"""Forms for annual and funder reports: the period and kind, then the narrative texts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wohnfair.cases.forms import DateInput
from wohnfair.monitoring.models import ReportKind
from wohnfair.monitoring.reports import NARRATIVE_MAX_LENGTH, period_errors, sections_for


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art des Berichts"), choices=ReportKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    period_start = forms.DateField(label=_("Zeitraum von"), widget=DateInput())
    period_end = forms.DateField(label=_("Zeitraum bis"), widget=DateInput())
    consented_only = forms.BooleanField(
        label=_("nur Fälle mit Einwilligung zur Statistik (für Veröffentlichung)"),
        required=False,
        help_text=_(
            "Für Berichte, die veröffentlicht werden: Es zählen nur Fälle mit Einwilligung, "
            "kleine Zahlen erscheinen als „<5“."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            for message in period_errors(start, end):
                self.add_error("period_end", message)
        return data


class NarrativeForm(forms.Form):
    """One textarea per section of the report's kind."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label, help_text in sections_for(kind):
            self.fields[code] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=NARRATIVE_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
