"""Forms of the counselling workflow. Choices are limited to the organisation and the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation, User
from wohnfair.cases import agg
from wohnfair.cases.forms import (
    DateInput,
    TermChoiceField,
    counsellor_choices,
    not_in_future,
    terms,
)
from wohnfair.cases.models import (
    Agreement,
    Case,
    Intervention,
    MediationSession,
    Person,
    Term,
    Vocabulary,
)
from wohnfair.cases.workflow import check_agreement_dates

TEXT_LIMIT = 20000

TRISTATE_CHOICES = [
    (agg.YES, _("ja")),
    (agg.NO, _("nein")),
    (agg.UNKNOWN, _("weiß nicht / noch offen")),
]


def long_text(label: Any, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# AGG check -----------------------------------------------------------------------------


def _yes_no(value: str) -> bool:
    return value == agg.YES


class AggCheckForm(forms.Form):
    """The guided AGG check; ``answers()`` gives the input of ``agg.assess``."""

    state_body = forms.TypedChoiceField(
        label=_("Wer hat benachteiligt: eine staatliche Stelle?"),
        choices=[
            (agg.NO, _("Nein: eine private Person oder ein Unternehmen")),
            (agg.YES, _("Ja: eine Behörde, ein Amt oder ein Jobcenter")),
        ],
        coerce=_yes_no,
        widget=forms.RadioSelect,
        help_text=_(
            "Kommunale Wohnungsunternehmen in privater Rechtsform (GmbH, AG) und "
            "Genossenschaften sind keine Behörden."
        ),
    )
    grounds = forms.MultipleChoiceField(
        label=_("Welche Merkmale sind betroffen?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mehrere möglich. Die Merkmale des § 1 AGG stehen zuerst."),
        error_messages={"required": _("Bitte wählen Sie mindestens ein Merkmal.")},
    )
    mass_business = forms.ChoiceField(
        label=_("Vermietet die Vermieterseite insgesamt mehr als 50 Wohnungen?"),
        choices=TRISTATE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "§ 19 Abs. 1 und Abs. 5 Satz 3 AGG: Bei höchstens 50 Wohnungen ist die Vermietung "
            "in der Regel kein Massengeschäft. Für die ethnische Herkunft spielt die Zahl "
            "keine Rolle."
        ),
    )
    close_relationship = forms.ChoiceField(
        label=_(
            "Besteht ein besonderes Nähe- oder Vertrauensverhältnis, etwa weil beide Seiten "
            "auf demselben Grundstück wohnen?"
        ),
        choices=TRISTATE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("§ 19 Abs. 5 Satz 1 und 2 AGG."),
    )
    objection_19_3 = forms.BooleanField(
        label=_("Die Gegenseite beruft sich auf „sozial stabile Bewohnerstrukturen“ (§ 19 Abs. 3)"),
        required=False,
    )
    objection_20 = forms.BooleanField(
        label=_("Die Gegenseite nennt einen sachlichen Grund für die Ungleichbehandlung (§ 20)"),
        required=False,
    )
    evidence = forms.MultipleChoiceField(
        label=_("Welche Beweismittel liegen vor?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("§ 22 AGG: Indizien verlagern die Beweislast auf die Gegenseite."),
    )
    rationale = long_text(_("Begründung"), required=True, rows=6)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kept = self.initial
        self.fields["grounds"].choices = self._choices(Vocabulary.MERKMAL, kept.get("grounds"))
        self.fields["evidence"].choices = self._choices(Vocabulary.EVIDENCE, kept.get("evidence"))
        self.fields["rationale"].help_text = _(
            "Warum Sie so einschätzen: Sachverhalt, offene Fragen, nächste Schritte."
        )

    @staticmethod
    def _choices(vocabulary: str, kept_codes: Any) -> list[tuple[str, str]]:
        """Codes of the usable terms, plus retired ones the stored answers still use."""
        usable = Q(pk__in=terms(vocabulary).values("pk")) | Q(code__in=list(kept_codes or []))
        ordered = Term.objects.of(vocabulary).filter(usable).order_by("-is_agg", "order", "code")
        return [(term.code, term.display_label) for term in ordered]

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "state_body": data["state_body"],
            "grounds": list(data["grounds"]),
            "mass_business": data["mass_business"],
            "close_relationship": data["close_relationship"],
            "objection_19_3": data["objection_19_3"],
            "objection_20": data["objection_20"],
            "evidence": list(data["evidence"]),
        }

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        """Stored answers, or what the case file already tells (incidents, respondents)."""
        assessment = getattr(case, "agg_check", None)
        if assessment is not None:
            answers = assessment.answers
            return {
                **answers,
                "state_body": agg.YES if answers.get("state_body") else agg.NO,
                "rationale": assessment.rationale,
            }
        incidents = list(
            case.incidents.select_related("respondent__kind").prefetch_related(
                "merkmale", "evidence"
            )
        )
        grounds: list[str] = []
        evidence: list[str] = []
        respondents = []
        for incident in incidents:
            grounds += [t.code for t in incident.merkmale.all() if t.code not in grounds]
            evidence += [t.code for t in incident.evidence.all() if t.code not in evidence]
            if incident.respondent is not None:
                respondents.append(incident.respondent)
        flats = [r.flats_count for r in respondents]
        if any(count is not None and count > 50 for count in flats):
            mass_business = agg.YES
        elif flats and all(count is not None for count in flats):
            mass_business = agg.NO
        else:
            mass_business = agg.UNKNOWN
        state_body = any(r.kind.code == "authority" for r in respondents)
        return {
            "state_body": agg.YES if state_body else agg.NO,
            "grounds": grounds,
            "mass_business": mass_business,
            "close_relationship": agg.NO,
            "evidence": evidence,
        }


# Interventions -------------------------------------------------------------------------


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["kind", "date", "addressee", "summary", "result", "next_step"]
        widgets = {"date": DateInput()}

    addressee = forms.CharField(
        label=_("an wen"),
        required=False,
        max_length=200,
        help_text=_("Zum Beispiel: Hausverwaltung, Wohnungsamt, Anwältin."),
    )
    summary = long_text(_("Inhalt"), rows=4)
    result = long_text(_("Ergebnis"))
    next_step = long_text(_("nächster Schritt"), rows=2)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["kind"] = TermChoiceField(
            queryset=terms(Vocabulary.INTERVENTION, self.instance.kind_id),
            label=_("Art"),
        )
        self.fields["date"].validators.append(not_in_future)

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day < self.case.first_contact:
            raise ValidationError(_("Das Datum liegt vor dem Erstkontakt."))
        return day


# Tasks ---------------------------------------------------------------------------------


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Aufgabe"), max_length=200)
    assignee = forms.ModelChoiceField(label=_("zuständig"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("fällig am"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = counsellor_choices(organisation)
        self.fields["assignee"].label_from_instance = lambda user: str(user)


# Conflict mediation --------------------------------------------------------------------


def _person_label(person: Person) -> str:
    return f"{person} ({person.party_role})" if person.party_role else str(person)


def _session_label(session: MediationSession) -> str:
    label = date_format(session.date, "SHORT_DATE_FORMAT")
    return f"{label} – {session.place}" if session.place else label


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    place = forms.CharField(label=_("Ort"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Teilnehmende"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Personen und Konfliktparteien dieses Falls."),
    )
    interpreter = forms.CharField(
        label=_("Dolmetschen"),
        max_length=200,
        required=False,
        help_text=_("Sprache und wer gedolmetscht hat."),
    )
    topics = long_text(_("Themen"))
    notes = long_text(_("Verlauf"), rows=5)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = case.persons.all()
        field.label_from_instance = _person_label


class AgreementForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("im Gespräch vom"), queryset=MediationSession.objects.none(), required=False
    )
    text = long_text(_("Vereinbarung"), required=True, rows=5)
    agreed_on = forms.DateField(label=_("vereinbart am"), widget=DateInput())
    review_on = forms.DateField(
        label=_("überprüfen am"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "An diesem Tag erinnert Wohnfair daran, nachzufragen, ob die Vereinbarung hält."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = case.mediation_sessions.all()
        field.label_from_instance = _session_label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agreed_on = cleaned.get("agreed_on")
        if agreed_on is not None and "session" not in self.errors:
            try:
                check_agreement_dates(agreed_on, cleaned.get("review_on"), cleaned.get("session"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("überprüft am"), widget=DateInput(), validators=[not_in_future]
    )
    review_result = long_text(_("Ergebnis der Überprüfung"), required=True)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean_reviewed_on(self) -> date:
        day: date = self.cleaned_data["reviewed_on"]
        if day < self.agreement.agreed_on:
            raise ValidationError(
                _("Die Überprüfung kann nicht vor dem Datum der Vereinbarung liegen.")
            )
        return day
