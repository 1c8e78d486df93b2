"""The public enquiry forms (one per kind) and the staff forms of the inbox."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wohnfair.enquiries.models import (
    CourtStage,
    EnquiryKind,
    EnquiryStatus,
    PreferredContact,
    YesNoUnknown,
)
from wohnfair.enquiries.protection import ProtectedForm, plain

MAX_MESSAGE = 5000
MAX_SHORT = 200
PHONE_PATTERN = re.compile(r"^[0-9+()/.\-\s]{5,40}$")


def _text(label: Any, *, required: bool = False, max_length: int = MAX_SHORT, **kw: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kw)


def _area(label: Any, *, required: bool = False, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_MESSAGE,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _choice(label: Any, choices: Any, *, required: bool = False) -> Any:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", _("Bitte wählen")), *choices] if not required else list(choices),
        widget=forms.Select if not required else forms.RadioSelect,
    )


class EnquiryForm(ProtectedForm):
    """Fields every kind shares: how to reach the person and what they write."""

    kind = EnquiryKind.CONTACT
    name = _text(_("Ihr Name"), help_text=_("Freiwillig."))
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        max_length=254,
        help_text=_("Damit wir Ihnen antworten können. Sie bekommen eine Eingangsbestätigung."),
    )
    phone = _text(_("Telefon"), max_length=40, help_text=_("Freiwillig."))
    message = _area(_("Ihre Nachricht"), required=True)
    contact_required = True

    field_order = ["name", "email", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Field ids per kind: several forms may share one page.
        kwargs.setdefault("auto_id", f"id_{self.kind}_%s")
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean_name(self) -> str:
        return plain(self.cleaned_data.get("name"))

    def clean_message(self) -> str:
        value = plain(self.cleaned_data.get("message"))
        if not value:
            raise ValidationError(_("Bitte schreiben Sie uns Ihr Anliegen."), code="required")
        return value

    def clean_phone(self) -> str:
        value = plain(self.cleaned_data.get("phone"))
        if value and (not PHONE_PATTERN.match(value) or sum(c.isdigit() for c in value) < 5):
            raise ValidationError(
                _("Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + - / an."),
                code="phone",
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            self.contact_required
            and not self.errors
            and not (data.get("email") or data.get("phone"))
        ):
            raise ValidationError(
                _("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an."),
                code="contact_required",
            )
        return data


class ContactForm(EnquiryForm):
    kind = EnquiryKind.CONTACT


class MediationForm(EnquiryForm):
    kind = EnquiryKind.MEDIATION
    parties = _area(
        _("Wer ist beteiligt?"),
        required=True,
        help_text=_("Zum Beispiel: ich und die Familie in der Wohnung über mir."),
    )
    address_area = _text(
        _("Wo wohnen Sie?"),
        required=True,
        max_length=150,
        help_text=_("Stadtteil oder Straße, ohne Hausnummer."),
    )
    message = _area(_("Worum geht es in dem Konflikt?"), required=True)
    other_party_knows = _choice(
        _("Weiß die andere Seite, dass Sie sich an uns wenden?"), YesNoUnknown.choices
    )
    preferred_contact = _choice(_("Wie sollen wir Sie erreichen?"), PreferredContact.choices)
    field_order = ["parties", "address_area", "message", "other_party_knows", "name", "email"]

    def clean_parties(self) -> str:
        return plain(self.cleaned_data.get("parties"))

    def clean_address_area(self) -> str:
        return plain(self.cleaned_data.get("address_area"))


class SupportForm(EnquiryForm):
    kind = EnquiryKind.SUPPORT
    message = _area(
        _("Worum geht es? Fassen Sie Ihren Fall kurz zusammen."),
        required=True,
        help_text=_(
            "Was ist passiert, gegen wen richtet sich die Klage, was möchten Sie erreichen?"
        ),
    )
    court_stage = _choice(_("Wie weit ist das Verfahren?"), CourtStage.choices)
    office_involved = _choice(_("Begleitet Sie schon eine Beratungsstelle?"), YesNoUnknown.choices)
    amount_needed = forms.DecimalField(
        label=_("Benötigter Betrag in Euro"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("1000000"),
        max_digits=9,
        decimal_places=2,
        help_text=_("Freiwillig, zum Beispiel für Gerichts- oder Anwaltskosten."),
    )
    field_order = ["message", "court_stage", "office_involved", "amount_needed", "name", "email"]


class AccessibilityForm(EnquiryForm):
    kind = EnquiryKind.ACCESSIBILITY
    page_address = _text(_("Welche Seite oder welcher Inhalt ist betroffen?"), max_length=500)
    message = _area(_("Welche Barriere haben Sie bemerkt?"), required=True)
    contact_required = False
    field_order = ["page_address", "message", "name", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Freiwillig, wenn Sie eine Antwort möchten.")

    def clean_page_address(self) -> str:
        return plain(self.cleaned_data.get("page_address"))


FORMS: dict[str, type[EnquiryForm]] = {
    EnquiryKind.CONTACT: ContactForm,
    EnquiryKind.MEDIATION: MediationForm,
    EnquiryKind.SUPPORT: SupportForm,
    EnquiryKind.ACCESSIBILITY: AccessibilityForm,
}

# The public address of each form (German words, as in all public URLs).
SLUGS: dict[str, str] = {
    EnquiryKind.CONTACT: "kontakt",
    EnquiryKind.MEDIATION: "konfliktvermittlung",
    EnquiryKind.SUPPORT: "stiftung",
    EnquiryKind.ACCESSIBILITY: "barrierefreiheit",
}
KIND_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}

HEADINGS: dict[str, Any] = {
    EnquiryKind.CONTACT: _("Schreiben Sie uns"),
    EnquiryKind.MEDIATION: _("Anfrage zur Konfliktvermittlung"),
    EnquiryKind.SUPPORT: _("Antrag auf Unterstützung durch die Stiftung"),
    EnquiryKind.ACCESSIBILITY: _("Barriere melden"),
}
SUBMIT_LABELS: dict[str, Any] = {
    EnquiryKind.CONTACT: _("Nachricht senden"),
    EnquiryKind.MEDIATION: _("Anfrage senden"),
    EnquiryKind.SUPPORT: _("Antrag senden"),
    EnquiryKind.ACCESSIBILITY: _("Rückmeldung senden"),
}


# Staff ---------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("Alle Arten")), *EnquiryKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Offen (neu und in Bearbeitung)")),
            ("all", _("Alle")),
            *EnquiryStatus.choices,
        ],
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Zuständig"), queryset=None, required=False, empty_label=_("Niemand")
    )

    def __init__(self, *args: Any, counsellors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = counsellors  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EnquiryStatus.choices)
