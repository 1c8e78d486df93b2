"""The filter form of the statistics dashboard and its exports (GET parameters).

von, bis      first-contact period (ISO dates), or
jahr          a whole year (used when von/bis are empty)
einteilung    month | quarter | year | total
fallart       case types (repeatable)
status        statuses (repeatable)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wohnfair.cases.models import CaseStatus, CaseType
from wohnfair.monitoring.aggregation import Filters, Period

GRANULARITY_CHOICES = [
    ("total", _("ganzer Zeitraum")),
    ("year", _("Jahre")),
    ("quarter", _("Quartale")),
    ("month", _("Monate")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StatisticsFilterForm(forms.Form):
    jahr = forms.IntegerField(label=_("Jahr"), required=False, min_value=1990, max_value=2100)
    von = forms.DateField(label=_("Erstkontakt von"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("Erstkontakt bis"), required=False, widget=DateInput())
    einteilung = forms.ChoiceField(
        label=_("Einteilung"), required=False, choices=GRANULARITY_CHOICES
    )
    fallart = forms.MultipleChoiceField(
        label=_("Fallart"),
        required=False,
        choices=CaseType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle Fallarten."),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=CaseStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle Status."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        start, end, year = cleaned.get("von"), cleaned.get("bis"), cleaned.get("jahr")
        if (start is None) != (end is None):
            self.add_error(
                "bis" if end is None else "von",
                _("Bitte Beginn und Ende angeben oder beide leer lassen."),
            )
            return cleaned
        if start is None:
            year = year or timezone.localdate().year
            start, end = date(year, 1, 1), date(year, 12, 31)
        try:
            cleaned["filters"] = Filters(
                period=Period(start, end),
                granularity=cleaned.get("einteilung") or "total",
                case_types=tuple(cleaned.get("fallart") or ()),
                statuses=tuple(cleaned.get("status") or ()),
            )
        except ValueError as error:
            self.add_error("bis", str(error))
        return cleaned


def filters_from(data: Any) -> tuple[StatisticsFilterForm, Filters | None]:
    """Bind the GET data; ``Filters`` when valid, else None (the form carries the messages)."""
    form = StatisticsFilterForm(data)
    if form.is_valid():
        return form, form.cleaned_data["filters"]
    return form, None


def default_filters() -> Filters:
    return Filters(Period.year(timezone.localdate().year))


def query_of(filters: Filters) -> list[tuple[str, str]]:
    """GET parameters that give these filters back (for export links)."""
    params = [
        ("von", filters.period.start.isoformat()),
        ("bis", filters.period.end.isoformat()),
        ("einteilung", filters.granularity),
    ]
    params += [("fallart", value) for value in filters.case_types]
    params += [("status", value) for value in filters.statuses]
    return params
