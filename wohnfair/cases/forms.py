"""Forms of the case file. Choices are always limited to the active organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation, User
from wohnfair.cases.models import (
    CASE_ROLES,
    LANGUAGE_CHOICES,
    Case,
    CaseStatus,
    CaseType,
    ConsentPurpose,
    District,
    Incident,
    Person,
    PersonRole,
    Respondent,
    Term,
    Vocabulary,
    WhoCame,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Term) -> str:
        return obj.display_label


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Term) -> str:
        return obj.display_label


def terms(vocabulary: str, keep: Any = None) -> QuerySet[Term]:
    """Terms that may be chosen now, plus the ones an existing entry already uses."""
    usable = Q(pk__in=Term.objects.of(vocabulary).usable().values("pk"))
    if keep:
        kept = [keep] if isinstance(keep, int) else list(keep)
        usable |= Q(pk__in=kept)
    return Term.objects.of(vocabulary).filter(usable)


def not_in_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))


def counsellor_choices(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "email")
    )


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "case_type",
            "first_contact",
            "channel",
            "who_came",
            "language",
            "interpreter_needed",
            "restricted",
        ]
        widgets = {"first_contact": DateInput()}

    language = forms.ChoiceField(label=_("Sprache der Beratung"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"] = TermChoiceField(
            queryset=terms(Vocabulary.CHANNEL, self.instance.channel_id),
            label=_("Zugangsweg"),
        )
        self.fields["case_type"].choices = CaseType.choices
        self.fields["who_came"].choices = WhoCame.choices
        self.fields["first_contact"].validators.append(not_in_future)
        if self.instance.pk:
            # The number depends on the year of the first contact; it never changes.
            self.fields["first_contact"].disabled = True


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "email",
            "phone",
            "address",
            "preferred_language",
            "household_size",
            "characteristics",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    name = forms.CharField(label=_("Name oder Pseudonym"), max_length=200)
    email = forms.EmailField(label=_("E-Mail-Adresse"), required=False, max_length=254)
    phone = forms.RegexField(
        label=_("Telefon"),
        required=False,
        max_length=40,
        regex=r"^[0-9+()/ .-]{3,40}$",
        error_messages={"invalid": _("Bitte nur Ziffern, Leerzeichen und + ( ) / . - verwenden.")},
    )
    address = forms.CharField(
        label=_("Anschrift"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    preferred_language = forms.ChoiceField(
        label=_("bevorzugte Sprache"), choices=[("", "–"), *LANGUAGE_CHOICES], required=False
    )
    household_size = forms.IntegerField(
        label=_("Haushaltsgröße"), required=False, min_value=1, max_value=30
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = list(self.instance.characteristics.all()) if self.instance.pk else None
        self.fields["characteristics"] = TermMultipleChoiceField(
            queryset=terms(Vocabulary.MERKMAL, [t.pk for t in keep] if keep else None),
            required=False,
            label=_("selbst beschriebene Merkmale"),
            help_text=_("Nur eintragen, wenn die Person es ausdrücklich möchte."),
        )


class PartyForm(PersonForm):
    """A further person or a conflict party, with the role in the case."""

    class Meta(PersonForm.Meta):
        fields = ["role", "party_role", *PersonForm.Meta.fields]

    role = forms.ChoiceField(
        label=_("Rolle im Fall"),
        choices=[
            (PersonRole.INVOLVED, PersonRole.INVOLVED.label),
            (PersonRole.PARTY, PersonRole.PARTY.label),
        ],
    )


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "date",
            "date_end",
            "date_is_approximate",
            "district",
            "lebensbereich",
            "merkmale",
            "form",
            "ebene",
            "respondent",
            "evidence",
            "description",
        ]
        widgets = {
            "date": DateInput(),
            "date_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        pk = instance.pk
        self.fields["date"].validators.append(not_in_future)
        self.fields["date_end"].validators.append(not_in_future)
        self.fields["district"].queryset = District.objects.filter(
            Q(organisation=organisation, is_active=True) | Q(pk=instance.district_id or 0)
        )
        self.fields["respondent"].queryset = Respondent.objects.of_organisation(organisation)
        self.fields["lebensbereich"] = TermChoiceField(
            queryset=terms(Vocabulary.LEBENSBEREICH, instance.lebensbereich_id if pk else None),
            label=_("Lebensbereich"),
        )
        self.fields["form"] = TermChoiceField(
            queryset=terms(Vocabulary.FORM, instance.form_id if pk else None),
            label=_("Form"),
            required=False,
        )
        self.fields["ebene"] = TermChoiceField(
            queryset=terms(Vocabulary.EBENE, instance.ebene_id if pk else None),
            label=_("Ebene"),
            required=False,
        )
        self.fields["merkmale"] = TermMultipleChoiceField(
            queryset=terms(
                Vocabulary.MERKMAL,
                list(instance.merkmale.values_list("pk", flat=True)) if pk else None,
            ),
            label=_("Merkmale"),
            help_text=_("Mehrere möglich."),
        )
        self.fields["evidence"] = TermMultipleChoiceField(
            queryset=terms(
                Vocabulary.EVIDENCE,
                list(instance.evidence.values_list("pk", flat=True)) if pk else None,
            ),
            label=_("vorhandene Beweismittel"),
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date"), cleaned.get("date_end")
        if start and end and end < start:
            self.add_error("date_end", _("Das Ende liegt vor dem Beginn."))
        return cleaned


class RespondentForm(forms.ModelForm):
    class Meta:
        model = Respondent
        fields = ["kind", "name", "address", "flats_count", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    notes = forms.CharField(
        label=_("Notizen"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = TermChoiceField(
            queryset=terms(Vocabulary.VERURSACHENDE, self.instance.kind_id), label=_("Art")
        )


class NewRespondentForm(forms.Form):
    """Optional: a respondent that is not yet in the organisation's list."""

    new_respondent_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_respondent_kind = TermChoiceField(
        queryset=Term.objects.none(), label=_("Art"), required=False
    )
    confirm_new_respondent = forms.BooleanField(label=_("Trotzdem neu anlegen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_respondent_kind"].queryset = terms(Vocabulary.VERURSACHENDE)
        # While typing, similar names of the organisation are offered (htmx).
        self.fields["new_respondent_name"].widget.attrs.update(
            {
                "hx-get": reverse("cases:respondent_search"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-respondents",
                "autocomplete": "off",
            }
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("new_respondent_name") and not cleaned.get("new_respondent_kind"):
            self.add_error("new_respondent_kind", _("Bitte die Art der Verursachenden angeben."))
        return cleaned


class ConsentForm(forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("Einwilligungen der Person"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Nur ankreuzen, was die Person ausdrücklich erlaubt hat."),
    )
    given_on = forms.DateField(
        label=_("erteilt am"), widget=DateInput(), validators=[not_in_future], required=False
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notiz"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    closing_reason = TermChoiceField(queryset=Term.objects.none(), label=_("Abschlussgrund"))
    outcome = TermChoiceField(queryset=Term.objects.none(), label=_("Ergebnis"), required=False)
    closed_on = forms.DateField(label=_("abgeschlossen am"), widget=DateInput())
    satisfaction = forms.TypedChoiceField(
        label=_("Zufriedenheit der Person"),
        choices=[("", _("nicht erfragt"))] + [(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("1 = gar nicht zufrieden, 5 = sehr zufrieden"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["closing_reason"].queryset = terms(Vocabulary.CLOSING_REASON)
        self.fields["outcome"].queryset = terms(Vocabulary.OUTCOME)

    def clean_closed_on(self) -> date:
        closed_on: date = self.cleaned_data["closed_on"]
        not_in_future(closed_on)
        if closed_on < self.case.first_contact:
            raise forms.ValidationError(_("Der Abschluss kann nicht vor dem Erstkontakt liegen."))
        return closed_on


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("neuer Status"),
        choices=[
            (CaseStatus.IN_PROGRESS, CaseStatus.IN_PROGRESS.label),
            (CaseStatus.WAITING, CaseStatus.WAITING.label),
        ],
    )


class AssignForm(forms.Form):
    counsellors = forms.ModelMultipleChoiceField(
        label=_("Berater*innen"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellors"].queryset = counsellor_choices(organisation)
        self.fields["counsellors"].label_from_instance = lambda user: str(user)
