"""Forms for goals (Ziele) and milestones (Meilensteine). Never ``__all__``: the
organisation comes from the session, not from the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wohnfair.cases.forms import DateInput
from wohnfair.monitoring.models import Goal, Indicator, Milestone


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["year", "title", "description", "indicator", "target", "manual_value", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    description = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") and data["indicator"] != Indicator.MANUAL:
            # A counted indicator has no hand-entered value; one left over would mislead.
            data["manual_value"] = None
        return data


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["date", "title", "text", "is_public"]
        widgets = {"date": DateInput()}

    text = forms.CharField(
        label=_("Text"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
