"""Forms of the statistics exchange page: export period, upload of a file."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wohnfair.cases.models import CaseStatus, CaseType
from wohnfair.monitoring.aggregation import Filters, Period
from wohnfair.monitoring.pooling import MAX_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRANULARITY_CHOICES = [
    ("total", _("ganzer Zeitraum")),
    ("year", _("Jahre")),
    ("quarter", _("Quartale")),
    ("month", _("Monate")),
]


def last_year() -> tuple[date, date]:
    year = date.today().year - 1
    return date(year, 1, 1), date(year, 12, 31)


class ExportForm(forms.Form):
    start = forms.DateField(label=_("von"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("bis"), widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(
        label=_("Einteilung"), choices=GRANULARITY_CHOICES, initial="total"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            try:
                data["period"] = Period(data["start"], data["end"])
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (JSON)"),
        help_text=_("Eine Exportdatei im Wohnfair-Statistikaustausch, höchstens 2 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 2 MB)."))
        return upload


class StatisticsFilterForm(forms.Form):
    """Period, granularity, case types and statuses of the network view (GET)."""

    von = forms.DateField(label=_("von"), required=False, widget=DATE_INPUT)
    bis = forms.DateField(label=_("bis"), required=False, widget=DATE_INPUT)
    einteilung = forms.ChoiceField(
        label=_("Einteilung"), choices=GRANULARITY_CHOICES, required=False
    )
    fallart = forms.MultipleChoiceField(
        label=_("Fallart"),
        choices=CaseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=CaseStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def filters(self, today: date) -> Filters | None:
        """The filters, or None with the errors on the form."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        start = data.get("von") or date(today.year, 1, 1)
        end = data.get("bis") or date(today.year, 12, 31)
        try:
            period = Period(start, end)
        except ValueError as error:
            self.add_error("bis", str(error))
            return None
        return Filters(
            period,
            data.get("einteilung") or "total",
            tuple(data.get("fallart") or ()),
            tuple(data.get("status") or ()),
        )
