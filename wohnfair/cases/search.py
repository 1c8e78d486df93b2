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
    Intervention,
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


def _term_filter(label: Any) -> TermChoiceField:
    """A filter by one term of a vocabulary, named by its stable code in the URL."""
    return TermChoiceField(
        label=label, required=False, queryset=None, to_field_name="code", empty_label=_("alle")
    )


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
    merkmal = _term_filter(_("Merkmal"))
    lebensbereich = _term_filter(_("Lebensbereich"))
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk"), required=False, queryset=None, empty_label=_("alle")
    )
    verursacher = forms.ModelChoiceField(
        label=_("Verursachende"), required=False, queryset=None, empty_label=_("alle")
    )
    # Further categories of the documentation: the statistics link to the case list with
    # them (monitoring.aggregation.DRILLDOWN_PARAMETERS); shown folded away.
    form = _term_filter(_("Form"))
    ebene = _term_filter(_("Ebene"))
    verursacherart = _term_filter(_("Art der Verursachenden"))
    zugang = _term_filter(_("Zugangsweg"))
    intervention = _term_filter(_("Intervention"))
    ergebnis = _term_filter(_("Ergebnis"))
    abschluss = _term_filter(_("Abschlussgrund"))
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

    MORE_VOCABULARIES = {
        "form": Vocabulary.FORM,
        "ebene": Vocabulary.EBENE,
        "verursacherart": Vocabulary.VERURSACHENDE,
        "zugang": Vocabulary.CHANNEL,
        "intervention": Vocabulary.INTERVENTION,
        "ergebnis": Vocabulary.OUTCOME,
        "abschluss": Vocabulary.CLOSING_REASON,
    }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["berater"].queryset = counsellor_choices(organisation)
        # Filters may name retired terms too: old cases still carry them.
        self.fields["merkmal"].queryset = Term.objects.of(Vocabulary.MERKMAL)
        self.fields["lebensbereich"].queryset = Term.objects.of(Vocabulary.LEBENSBEREICH)
        for name, vocabulary in self.MORE_VOCABULARIES.items():
            self.fields[name].queryset = Term.objects.of(vocabulary)
        self.fields["bezirk"].queryset = District.objects.filter(organisation=organisation)
        self.fields["verursacher"].queryset = Respondent.objects.of_organisation(organisation)

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.MORE_VOCABULARIES]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MORE_VOCABULARIES]

    def more_in_use(self) -> bool:
        """Whether one of the folded filters has a value (the fold then stays open)."""
        return any(self.data.get(name) for name in self.MORE_VOCABULARIES)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("Das Ende liegt vor dem Beginn."))
        return cleaned


# Filter parameter -> lookup on the case, or on any of its incidents.
CASE_FILTERS = {
    "status": "status",
    "typ": "case_type",
    "zugang": "channel",
    "ergebnis": "outcome",
    "abschluss": "closing_reason",
}
INCIDENT_FILTERS = {
    "merkmal": "merkmale",
    "lebensbereich": "lebensbereich",
    "form": "form",
    "ebene": "ebene",
    "bezirk": "district",
    "verursacher": "respondent",
    "verursacherart": "respondent__kind",
}


def filter_cases(
    cases: QuerySet[Case], data: dict[str, Any], *, user: Any, mine_by_default: bool
) -> QuerySet[Case]:
    """Apply validated filter values (``CaseFilterForm.cleaned_data``) to a scoped queryset."""
    if mine_by_default and not data.get("alle") and not data.get("berater"):
        cases = cases.filter(assignments__user=user)
    if data.get("berater"):
        cases = cases.filter(assignments__user=data["berater"])
    if data.get("von"):
        cases = cases.filter(first_contact__gte=data["von"])
    if data.get("bis"):
        cases = cases.filter(first_contact__lte=data["bis"])
    for parameter, lookup in CASE_FILTERS.items():
        if data.get(parameter):
            cases = cases.filter(**{lookup: data[parameter]})
    incidents = Incident.objects.filter(case=OuterRef("pk"))
    for parameter, lookup in INCIDENT_FILTERS.items():
        if data.get(parameter):
            cases = cases.filter(Exists(incidents.filter(**{lookup: data[parameter]})))
    if data.get("intervention"):
        interventions = Intervention.objects.filter(case=OuterRef("pk"))
        cases = cases.filter(Exists(interventions.filter(kind=data["intervention"])))

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
