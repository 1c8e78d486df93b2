"""Forms of the staff side of the reporting portal (queue, triage, catchment).

Choices are always limited to what the active organisation may use; a value from
elsewhere (another office's counsellor, an organisation outside the network) is
refused with a German message before any service is called.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wohnfair.accounts.models import Organisation, User
from wohnfair.cases.forms import LANGUAGE_CHOICES, TermChoiceField, terms
from wohnfair.cases.models import Respondent, Vocabulary
from wohnfair.intake.models import CatchmentArea, Report, ReportStatus
from wohnfair.intake.triage import ALLOWED_TRANSITIONS, MAX_MESSAGE_LENGTH, OPEN_STATUSES

STATUS_OPEN = ""  # the default filter: new and in progress
STATUS_ALL = "alle"
QUEUE_NETWORK = "netz"


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    sprache = forms.ChoiceField(label=_("Sprache der Meldung"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(
        self, *args: Any, members: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (STATUS_OPEN, _("offen (neu und in Bearbeitung)")),
            (STATUS_ALL, _("alle")),
            *ReportStatus.choices,
        ]
        self.fields["sprache"].choices = [("", _("alle Sprachen")), *LANGUAGE_CHOICES]
        if members is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [
                ("", _("Netzwerk-Warteschlange und alle Mitglieder")),
                (QUEUE_NETWORK, _("nur Netzwerk-Warteschlange")),
                *((str(org.pk), org.name) for org in members),
            ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Zuständig"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("niemand"),
        error_messages={
            "invalid_choice": _(
                "Diese Person arbeitet nicht als Berater*in oder Leitung in Ihrer Organisation."
            )
        },
    )

    def __init__(self, *args: Any, counsellors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = counsellors
        field.label_from_instance = lambda user: str(user)  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Nachricht"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Bitte schreiben Sie eine Nachricht."),
            "max_length": _("Die Nachricht ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Bitte schreiben Sie eine Nachricht."))
        return text


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Neuer Status"),
        error_messages={"invalid_choice": _("Dieser Statuswechsel ist nicht möglich.")},
    )
    duplicate_of = forms.CharField(
        label=_("Aktenzeichen der ursprünglichen Meldung"),
        required=False,
        max_length=20,
        help_text=_("Nur bei „Doppelte Meldung“."),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(ALLOWED_TRANSITIONS.get(report.status, frozenset()))
        if report.status in OPEN_STATUSES and report.case_id is None:
            allowed |= {ReportStatus.SPAM, ReportStatus.DUPLICATE}
        self.fields["status"].choices = [
            (value, label) for value, label in ReportStatus.choices if value in allowed
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["duplicate_of"] = (cleaned.get("duplicate_of") or "").strip()
        if cleaned.get("status") == ReportStatus.DUPLICATE and not cleaned["duplicate_of"]:
            self.add_error(
                "duplicate_of",
                _("Bitte geben Sie das Aktenzeichen der ursprünglichen Meldung an."),
            )
        return cleaned


class ForwardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Weiterleiten an"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Bitte wählen Sie eine Organisation aus."),
            "invalid_choice": _(
                "An diese Organisation kann die Meldung nicht weitergeleitet werden. "
                "Möglich sind nur andere Organisationen Ihres Netzwerks."
            ),
        },
    )

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = targets


class OpenCaseForm(forms.Form):
    """The parts of a case the report cannot fill: the channel and an existing respondent."""

    channel = TermChoiceField(queryset=terms(Vocabulary.CHANNEL), label=_("Zugangsweg"))
    respondent = forms.ModelChoiceField(
        label=_("Vorhandene Verursachende"),
        queryset=Respondent.objects.none(),
        required=False,
        empty_label=_("– keine oder neu anlegen –"),
        error_messages={
            "invalid_choice": _("Diese Verursachenden gehören nicht zu Ihrer Organisation.")
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = terms(Vocabulary.CHANNEL)
        self.fields["respondent"].queryset = Respondent.objects.of_organisation(organisation)


class CatchmentForm(forms.Form):
    postcode_prefix = forms.RegexField(
        label=_("Postleitzahl oder Anfang"),
        regex=r"^[0-9]{1,5}$",
        required=False,
        max_length=5,
        help_text=_("Zum Beispiel 44137 oder 441 für alle, die so beginnen."),
        error_messages={"invalid": _("Bitte nur eine bis fünf Ziffern eingeben.")},
    )
    district = forms.CharField(label=_("Stadt oder Stadtteil"), required=False, max_length=100)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        prefix = (cleaned.get("postcode_prefix") or "").strip()
        district = " ".join((cleaned.get("district") or "").split())
        cleaned["postcode_prefix"], cleaned["district"] = prefix, district
        if self.errors:
            return cleaned
        if not prefix and not district:
            raise forms.ValidationError(
                _("Bitte geben Sie eine Postleitzahl oder einen Stadtteil an.")
            )
        if CatchmentArea.objects.filter(
            organisation=self.organisation,
            postcode_prefix=prefix,
            district__iexact=district,
        ).exists():
            raise forms.ValidationError(_("Dieses Gebiet ist bereits eingetragen."))
        return cleaned
