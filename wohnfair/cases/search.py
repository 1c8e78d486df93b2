"""Filtering, searching and sorting the case list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation
from wohnfair.cases.forms import DateInput, TermChoiceField, counsellor_choices
from wohnfair.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    District,
    Incident,
    Respondent,
    Term,
    Vocabulary,
    name_search_token,
)

SORTS = {
    "neueste": ("-first_contact", "-sequence"),
    "aelteste": ("first_contact", "sequence"),
    "nummer": ("number",),
    "geaendert": ("-updated_at",),
}


class CaseFilterForm(forms.Form):
    """GET parameters of the case list; invalid values are reported, never a server error."""

    q = forms.CharField(label=_("Suche"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *CaseStatus.choices]
    )
    typ = forms.ChoiceField(
        label=_("Fallart"), required=False, choices=[("", _("alle")), *CaseType.choices]
    )
    berater = forms.ModelChoiceField(
        label=_("Berater*in"), required=False, queryset=None, empty_label=_("alle")
    )
    merkmal = TermChoiceField(
        label=_("Merkmal"),
        required=False,
        queryset=None,
        to_field_name="code",
        empty_label=_("alle"),
    )
    lebensbereich = TermChoiceField(
        label=_("Lebensbereich"),
        required=False,
        queryset=None,
        to_field_name="code",
        empty_label=_("alle"),
    )
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk"), required=False, queryset=None, empty_label=_("alle")
    )
    verursacher = forms.ModelChoiceField(
        label=_("Verursachende"), required=False, queryset=None, empty_label=_("alle")
    )
    von = forms.DateField(label=_("Erstkontakt von"), required=False, widget=DateInput())
    bis = forms.DateField(label=_("bis"), required=False, widget=DateInput())
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[
            ("neueste", _("neueste zuerst")),
            ("aelteste", _("älteste zuerst")),
            ("nummer", _("Fallnummer")),
            ("geaendert", _("zuletzt geändert")),
        ],
    )
    alle = forms.BooleanField(label=_("auch Fälle anderer Berater*innen"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["berater"].queryset = counsellor_choices(organisation)
        # Filters may name retired terms too: old cases still carry them.
        self.fields["merkmal"].queryset = Term.objects.of(Vocabulary.MERKMAL)
        self.fields["lebensbereich"].queryset = Term.objects.of(Vocabulary.LEBENSBEREICH)
        self.fields["bezirk"].queryset = District.objects.filter(organisation=organisation)
        self.fields["verursacher"].queryset = Respondent.objects.of_organisation(organisation)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("Das Ende liegt vor dem Beginn."))
        return cleaned


def filter_cases(
    cases: QuerySet[Case], data: dict[str, Any], *, user: Any, mine_by_default: bool
) -> QuerySet[Case]:
    """Apply validated filter values (``CaseFilterForm.cleaned_data``) to a scoped queryset."""
    if mine_by_default and not data.get("alle") and not data.get("berater"):
        cases = cases.filter(assignments__user=user)
    if data.get("berater"):
        cases = cases.filter(assignments__user=data["berater"])
    if data.get("status"):
        cases = cases.filter(status=data["status"])
    if data.get("typ"):
        cases = cases.filter(case_type=data["typ"])
    if data.get("von"):
        cases = cases.filter(first_contact__gte=data["von"])
    if data.get("bis"):
        cases = cases.filter(first_contact__lte=data["bis"])

    incidents = Incident.objects.filter(case=OuterRef("pk"))
    if data.get("merkmal"):
        cases = cases.filter(Exists(incidents.filter(merkmale=data["merkmal"])))
    if data.get("lebensbereich"):
        cases = cases.filter(Exists(incidents.filter(lebensbereich=data["lebensbereich"])))
    if data.get("bezirk"):
        cases = cases.filter(Exists(incidents.filter(district=data["bezirk"])))
    if data.get("verursacher"):
        cases = cases.filter(Exists(incidents.filter(respondent=data["verursacher"])))

    query = (data.get("q") or "").strip()
    if query:
        cases = cases.filter(search_condition(query))
    return cases.order_by(*SORTS.get(data.get("sortierung") or "neueste", SORTS["neueste"]))


def search_condition(query: str) -> Q:
    """Case number, an exact word of the person's name (blind index), or the respondent's name."""
    from wohnfair.cases.models import Person

    condition = Q(number__icontains=query)
    words = [word for word in query.split() if len(word) > 1]
    if words:
        persons = Person.objects.filter(case=OuterRef("pk"))
        for word in words:
            persons = persons.filter(name_index__contains=name_search_token(word))
        condition |= Exists(persons)
    condition |= Exists(
        Incident.objects.filter(case=OuterRef("pk"), respondent__name__icontains=query)
    )
    return condition
