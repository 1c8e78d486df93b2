"""The report form (seven steps) and the follow-up forms of the public portal.

``ReportForm`` serves the public page and, with ``check_spam=False``, the staff
page that enters a report taken by phone or at the counter. Everything the
person types is plain text: it is stored as typed and always shown escaped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wohnfair.cases.documents import (
    EXTENSION_FAMILIES,
    CheckedFile,
    check_upload,
    clean_name,
    looks_executable,
)
from wohnfair.cases.models import ConsentText
from wohnfair.intake import receipts, services, spam
from wohnfair.intake.models import Situation, Wish

MAX_TEXT = 10_000
MAX_MESSAGE = 10_000
MAX_FILE_MB = 10
MAX_FILES = services.MAX_FILES
PUBLIC_FAMILIES = frozenset({"pdf", "image", "email", "text", "text-document"})
ACCEPT = ",".join(
    extension for extension, family in EXTENSION_FAMILIES.items() if family in PUBLIC_FAMILIES
)

# Step 3: who it was, in plain words -> code in the "verursachende" vocabulary.
RESPONDENT_KINDS = [
    ("", _("Weiß ich nicht")),
    ("private_landlord", _("Eine private Vermieterin oder ein privater Vermieter")),
    ("housing_company", _("Ein Wohnungsunternehmen oder eine Genossenschaft")),
    ("agent", _("Ein Makler, eine Maklerin oder die Hausverwaltung")),
    ("portal", _("Ein Wohnungsportal im Internet")),
    ("neighbour", _("Nachbarinnen oder Nachbarn")),
    ("authority", _("Ein Amt, zum Beispiel Jobcenter oder Wohnungsamt")),
    ("other", _("Jemand anderes")),
]

# Step 4: why, in plain words -> code in the "merkmal" vocabulary (several may share one).
GROUNDS = [
    (
        "origin",
        "ethnic_origin",
        _("Meine Herkunft oder Hautfarbe, oder weil man mich für fremd hält"),
    ),
    ("name", "ethnic_origin", _("Mein Name oder mein Akzent")),
    ("language", "language", _("Meine Sprache oder wie gut ich Deutsch spreche")),
    ("religion", "religion", _("Meine Religion, zum Beispiel weil ich ein Kopftuch trage")),
    ("nationality", "nationality", _("Meine Staatsangehörigkeit")),
    ("residence", "residence_status", _("Mein Aufenthaltsstatus")),
    ("disability", "disability", _("Eine Behinderung oder eine Krankheit")),
    ("age", "age", _("Mein Alter")),
    (
        "gender",
        "gender",
        _("Mein Geschlecht, zum Beispiel weil ich eine Frau, trans* oder nicht-binär bin"),
    ),
    ("sexuality", "sexual_identity", _("Weil ich lesbisch, schwul, bi oder queer bin")),
    (
        "income",
        "social_status",
        _("Mein Einkommen, zum Beispiel weil ich Bürgergeld oder Wohngeld bekomme"),
    ),
    ("children", "family_size", _("Weil ich Kinder habe oder eine große Familie")),
    ("homeless", "homelessness", _("Weil ich wohnungslos bin oder war")),
    ("other", "other", _("Etwas anderes")),
]
GROUND_CODES = {key: code for key, code, _label in GROUNDS}

# Languages people may want to be called in, named in their own language.
PREFERRED_LANGUAGES = [
    ("", _("Keine Angabe")),
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("bg", "Български"),
    ("fa", "فارسی"),
    ("ku", "Kurdî"),
    ("fr", "Français"),
    ("es", "Español"),
    ("sq", "Shqip"),
    ("bs", "Bosanski / Hrvatski / Srpski"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("other", _("Eine andere Sprache")),
]

# The consent wordings seeded in cases.vocabularies (version 1), repeated here so that
# makemessages extracts them for the public form (it does not know the N_ alias used
# there); the form shows the stored text of the current version through gettext, and
# a test keeps both lists equal.
CONSENT_TEXT_MSGIDS = (
    gettext_noop(
        "Ich bin einverstanden, dass die Beratungsstelle meine Angaben, auch zu meiner "
        "Herkunft, Religion, Gesundheit oder sexuellen Identität, speichert und nutzt, um "
        "mich zu beraten und in meinem Auftrag tätig zu werden. Ich kann diese Einwilligung "
        "jederzeit widerrufen."
    ),
    gettext_noop(
        "Ich bin einverstanden, dass mein Fall ohne Namen und ohne Angaben, die auf mich "
        "schließen lassen, in Statistiken der Beratungsstelle und ihres Netzwerks gezählt wird."
    ),
    gettext_noop(
        "Ich bin einverstanden, dass mein Fall ohne Namen und so verändert, dass niemand auf "
        "mich schließen kann, als Beispiel veröffentlicht wird (etwa im Jahresbericht)."
    ),
)

PHONE_PATTERN = re.compile(r"^[0-9+()/.\-\s]{5,40}$")

# What check_upload found wrong -> a message in the form's language.
FILE_PROBLEMS = {
    "too_large": _("„%(name)s“ ist größer als 10 MB."),
    "empty": _("„%(name)s“ ist leer."),
    "executable": _("„%(name)s“ ist ein Programm. Programme nehmen wir zum Schutz aller nicht an."),
    "extension": _(
        "„%(name)s“ hat eine Endung, die wir nicht annehmen. Möglich sind PDF, Fotos und "
        "Bildschirmfotos (JPEG, PNG, GIF, WebP, HEIC), E-Mails (.eml, .msg), Textdateien und "
        "Word- oder OpenDocument-Texte."
    ),
    "mismatch": _("„%(name)s“ ist etwas anderes, als die Endung des Namens sagt."),
    "damaged": _("„%(name)s“ lässt sich nicht öffnen und ist vermutlich beschädigt."),
    "encoding": _("„%(name)s“ ist keine Textdatei in UTF-8."),
    "heic": _(
        "„%(name)s“ ist ein HEIC-Foto, das wir nicht verarbeiten können. Bitte speichern "
        "Sie es als JPEG."
    ),
    "image_too_large": _("„%(name)s“ hat zu viele Bildpunkte."),
    "email_headers": _("„%(name)s“ ist keine gespeicherte E-Mail."),
}
FILE_PROBLEM_DEFAULT = _("„%(name)s“ können wir nicht annehmen.")


def check_report_file(uploaded: UploadedFile) -> CheckedFile:
    """The file as it will be stored (images re-encoded without metadata), or
    ValidationError with a message in the active language that names the file."""
    name = clean_name(uploaded.name or "") or gettext("Datei ohne Namen")

    def refuse(problem: str) -> ValidationError:
        message = FILE_PROBLEMS.get(problem, FILE_PROBLEM_DEFAULT)
        return ValidationError(message, code=problem, params={"name": name})

    if (uploaded.size or 0) > MAX_FILE_MB * 1024 * 1024:
        raise refuse("too_large")
    family = EXTENSION_FAMILIES.get(os.path.splitext(name)[1].lower())
    if family not in PUBLIC_FAMILIES:
        # An executable is called what it is, whatever its name.
        uploaded.seek(0)
        head = uploaded.read(64)
        raise refuse("executable" if looks_executable(head) else "extension")
    try:
        return check_upload(uploaded)
    except ValidationError as error:
        raise refuse(error.code or "") from None


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def today() -> date:
    return timezone.localdate()


class PlainTextMixin:
    """Plain labels (no colon after them) and text without control characters that no
    keyboard types (NUL is refused by the fields already)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @staticmethod
    def plain(value: str) -> str:
        return "".join(
            char for char in value if char in "\n\t" or not (ord(char) < 32 or ord(char) == 127)
        )


def consent_labels() -> dict[str, tuple[str, int | None]]:
    """purpose -> the current consent wording in the active language and its version
    ("", None where there is none), read in one query."""
    current: dict[str, tuple[int, str]] = {}
    for purpose, version, text in ConsentText.objects.filter(
        purpose__in=services.CONSENT_PURPOSES, valid_from__lte=today()
    ).values_list("purpose", "version", "text"):
        if purpose not in current or version > current[purpose][0]:
            current[purpose] = (version, text)
    return {
        purpose: (gettext(current[purpose][1]), current[purpose][0])
        if purpose in current
        else ("", None)
        for purpose in services.CONSENT_PURPOSES
    }


def consent_label(purpose: str) -> tuple[str, int | None]:
    """The current consent wording in the active language, and its version."""
    return consent_labels()[purpose]


# The rendered steps of an empty report form, by language, day and consent wordings:
# rendering the widgets' templates is most of the cost of the form page, and an empty
# form looks the same for everyone (tokens sit outside the steps). Per process, small.
_STEPS_HTML: dict[tuple[object, ...], SafeString] = {}
_STEPS_HTML_MAX = 32


class ReportForm(PlainTextMixin, forms.Form):
    """Steps 1–7 of the report. ``STEPS`` says which fields belong to which step."""

    # 1. What happened
    situations = forms.MultipleChoiceField(
        label=_("Was trifft auf Sie zu?"),
        help_text=_("Sie können mehrere Antworten ankreuzen."),
        choices=Situation.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte kreuzen Sie mindestens eine Antwort an.")},
    )
    description = forms.CharField(
        label=_("Erzählen Sie mit Ihren Worten, was passiert ist"),
        help_text=_("Zum Beispiel: Wer hat was gesagt oder geschrieben? Was wurde abgelehnt?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _(
                "Bitte schreiben Sie höchstens %(limit_value)d Zeichen (jetzt: %(show_value)d)."
            )
        },
    )
    # 2. When and where
    incident_date = forms.DateField(
        label=_("Wann ist es passiert?"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte geben Sie ein Datum ein, zum Beispiel 15.03.2026.")},
    )
    date_is_approximate = forms.BooleanField(
        label=_("Ich weiß das Datum nur ungefähr"), required=False
    )
    postcode = forms.CharField(
        label=_("Postleitzahl"),
        required=False,
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("Eine Postleitzahl hat fünf Ziffern."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    city = forms.CharField(label=_("Ort"), required=False, max_length=100)
    district = forms.CharField(label=_("Stadtteil"), required=False, max_length=100)
    # 3. Who
    respondent_kind = forms.ChoiceField(
        label=_("Wer hat Sie benachteiligt?"),
        choices=RESPONDENT_KINDS,
        required=False,
        widget=forms.RadioSelect,
    )
    respondent_name = forms.CharField(
        label=_("Name der Person, Firma oder Stelle (wenn Sie ihn kennen)"),
        required=False,
        max_length=200,
    )
    # 4. Why
    grounds = forms.MultipleChoiceField(
        label=_("Warum, glauben Sie, ist es passiert?"),
        help_text=_("Sie können mehrere Gründe ankreuzen, oder keinen, wenn Sie es nicht wissen."),
        choices=[(key, label) for key, _code, label in GROUNDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # 5. Evidence
    files = MultipleFileField(
        label=_("Dateien (höchstens 5, je bis 10 MB)"),
        help_text=_(
            "Zum Beispiel Bildschirmfotos, Fotos, PDF-Dateien oder E-Mails. Wir prüfen jede "
            "Datei und entfernen aus Fotos versteckte Angaben wie den Ort der Aufnahme."
        ),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    # 6. What the person wants
    wish = forms.ChoiceField(
        label=_("Ihr Wunsch"),
        choices=Wish.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie aus, was Sie möchten.")},
    )
    consent_publication = forms.BooleanField(required=False)
    # 7. Contact or anonymous
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    contact_email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Bitte prüfen Sie die E-Mail-Adresse.")},
    )
    contact_phone = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("In welcher Sprache möchten Sie beraten werden?"),
        choices=PREFERRED_LANGUAGES,
        required=False,
    )
    call_times = forms.CharField(
        label=_("Wann können wir Sie gut anrufen?"), required=False, max_length=200
    )
    consent_counselling = forms.BooleanField(required=False)
    consent_statistics = forms.BooleanField(required=False)

    STEPS = [
        ("what", _("Was ist passiert?"), ["situations", "description"]),
        (
            "when",
            _("Wann und wo?"),
            ["incident_date", "date_is_approximate", "postcode", "city", "district"],
        ),
        ("who", _("Wer war es?"), ["respondent_kind", "respondent_name"]),
        ("why", _("Warum ist es passiert?"), ["grounds"]),
        ("evidence", _("Beweise"), ["files"]),
        ("wish", _("Was möchten Sie?"), ["wish", "consent_publication"]),
        (
            "contact",
            _("Kontakt oder anonym"),
            [
                "contact_name",
                "contact_email",
                "contact_phone",
                "preferred_language",
                "call_times",
                "consent_counselling",
                "consent_statistics",
            ],
        ),
    ]
    TEXT_FIELDS = (
        "description",
        "city",
        "district",
        "respondent_name",
        "contact_name",
        "contact_phone",
        "call_times",
    )

    def __init__(
        self,
        *args: Any,
        check_spam: bool = True,
        tokens: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """``tokens``: where an unbound form takes its submission token and start time
        from (the data of a form given back unchanged)."""
        super().__init__(*args, **kwargs)
        self.check_spam = check_spam
        self.fields["incident_date"].widget.attrs["max"] = today().isoformat()
        self.consent_versions: dict[str, int | None] = {}
        for purpose, (label, version) in consent_labels().items():
            self.fields[f"consent_{purpose}"].label = label
            self.consent_versions[purpose] = version
        source = self.data if self.is_bound else (tokens or {})
        posted = source.get("submission_token")
        self.submission_token = (
            posted if services.valid_submission_token(posted) else services.new_submission_token()
        )
        posted_start = source.get(spam.STARTED_FIELD)
        self.started_token = (
            posted_start if spam.started_at(posted_start) is not None else spam.started_token()
        )

    # Rendering helpers -----------------------------------------------------------------

    def cached_steps(self) -> SafeString | None:
        """The HTML of the seven steps of an empty form, rendered once per process for each
        language, day and consent wording; None for a form with data or initial values
        (which is rendered every time)."""
        if self.is_bound or self.initial:
            return None
        key = (
            get_language(),
            self.fields["incident_date"].widget.attrs.get("max"),
            tuple(self.fields[f"consent_{purpose}"].label for purpose in services.CONSENT_PURPOSES),
        )
        html = _STEPS_HTML.get(key)
        if html is None:
            html = get_template("intake/public/_report_steps.html").render({"form": self})
            if len(_STEPS_HTML) >= _STEPS_HTML_MAX:
                _STEPS_HTML.clear()
            _STEPS_HTML[key] = html
        return html

    def steps(self) -> list[dict[str, Any]]:
        return [
            {
                "number": number,
                "key": key,
                "title": title,
                "fields": [self[name] for name in names],
                "has_errors": any(self[name].errors for name in names),
            }
            for number, (key, title, names) in enumerate(self.STEPS, start=1)
        ]

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) of every error, for the summary above the form."""
        summary = [("", str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            anchor = self[name].auto_id if name in self.fields else ""
            if name in ("situations", "grounds", "respondent_kind", "wish"):
                anchor = f"{anchor}_0"
            summary.extend((anchor, str(message)) for message in errors)
        return summary

    # Cleaning --------------------------------------------------------------------------

    def clean_description(self) -> str:
        return self.plain(self.cleaned_data["description"]).strip()

    def clean_incident_date(self) -> date | None:
        value = self.cleaned_data["incident_date"]
        if value is not None and value > today():
            raise ValidationError(
                _(
                    "Das Datum liegt in der Zukunft. Bitte geben Sie den Tag an, an dem es "
                    "passiert ist."
                ),
                code="future",
            )
        if value is not None and value.year < 1900:
            raise ValidationError(_("Bitte prüfen Sie das Jahr."), code="too_old")
        return value

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        if value and (not PHONE_PATTERN.match(value) or sum(char.isdigit() for char in value) < 5):
            raise ValidationError(
                _("Bitte geben Sie nur die Telefonnummer an, zum Beispiel 0231 123456."),
                code="phone",
            )
        return value

    def clean_files(self) -> list[CheckedFile]:
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(
                _("Bitte wählen Sie höchstens %(limit)d Dateien aus."),
                code="too_many",
                params={"limit": MAX_FILES},
            )
        checked, problems = [], []
        for upload in uploads:
            try:
                checked.append(check_report_file(upload))
            except ValidationError as error:
                problems.append(error)
        if problems:
            raise ValidationError(problems)
        return checked

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for name in self.TEXT_FIELDS:
            if name in self.cleaned_data and isinstance(self.cleaned_data[name], str):
                self.cleaned_data[name] = self.plain(self.cleaned_data[name]).strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.check_spam:
            self._check_spam(data)
        situations = data.get("situations") or []
        if Situation.OTHER in situations and not data.get("description"):
            self.add_error(
                "description",
                ValidationError(
                    _(
                        "Sie haben „Etwas anderes“ angekreuzt. Bitte beschreiben Sie kurz, "
                        "was passiert ist."
                    ),
                    code="describe_other",
                ),
            )
        self._check_consents(data)
        data["ground_codes"] = sorted(
            {GROUND_CODES[key] for key in data.get("grounds") or [] if key in GROUND_CODES}
        )
        data["consents"] = [
            purpose for purpose in services.CONSENT_PURPOSES if data.get(f"consent_{purpose}")
        ]
        # The versions of the texts in force, read for this form (saves reading them again).
        data["consent_versions"] = {
            purpose: version
            for purpose, version in self.consent_versions.items()
            if purpose in data["consents"] and version is not None
        }
        data["submission_token"] = self.submission_token
        return data

    def has_contact(self, data: dict[str, Any]) -> bool:
        return any(data.get(name) for name in ("contact_name", "contact_email", "contact_phone"))

    def _check_consents(self, data: dict[str, Any]) -> None:
        counselling = data.get("consent_counselling")
        if not counselling and not data.get("consent_statistics"):
            self.add_error(
                "consent_statistics",
                ValidationError(
                    _(
                        "Ohne Ihre Einwilligung dürfen wir die Meldung nicht speichern, weil "
                        "sie besonders geschützte Angaben enthalten kann. Bitte stimmen Sie "
                        "mindestens der Beratung oder der anonymen Statistik zu."
                    ),
                    code="consent_required",
                ),
            )
        elif not counselling and data.get("wish") == Wish.COUNSELLING:
            self.add_error(
                "consent_counselling",
                ValidationError(
                    _(
                        "Sie möchten beraten werden. Dafür brauchen wir Ihre Einwilligung zur "
                        "Beratung. Wenn Sie nur melden möchten, wählen Sie das in Schritt 6."
                    ),
                    code="counselling_consent_required",
                ),
            )
        elif not counselling and self.has_contact(data):
            self.add_error(
                "consent_counselling",
                ValidationError(
                    _(
                        "Sie haben Kontaktdaten angegeben. Wir speichern und nutzen sie nur mit "
                        "Ihrer Einwilligung zur Beratung. Bitte stimmen Sie zu oder lassen Sie "
                        "die Kontaktfelder leer."
                    ),
                    code="contact_consent_required",
                ),
            )

    def _check_spam(self, data: dict[str, Any]) -> None:
        if self.data.get(spam.HONEYPOT_FIELD):
            raise ValidationError(
                _(
                    "Das Formular konnte nicht gesendet werden. Bitte lassen Sie das Feld "
                    "„Bitte leer lassen“ leer und senden Sie es noch einmal."
                ),
                code="honeypot",
            )
        problem = spam.fill_time_problem(self.data.get(spam.STARTED_FIELD))
        if problem == "too_fast":
            raise ValidationError(
                _(
                    "Das ging sehr schnell. Zum Schutz vor automatisch gesendeten Meldungen "
                    "warten Sie bitte einige Sekunden und senden Sie das Formular dann noch einmal."
                ),
                code="too_fast",
            )
        if problem is not None:
            raise ValidationError(
                _(
                    "Das Formular ist abgelaufen oder unvollständig angekommen. Bitte prüfen Sie "
                    "Ihre Angaben und senden Sie es noch einmal."
                ),
                code="form_expired",
            )
        answer = self.data.get(spam.POW_FIELD) or ""
        data["proof_of_work"] = ""
        if answer:
            challenge = spam.verify_solution(answer)
            if challenge is None:
                raise ValidationError(
                    _(
                        "Die Prüfung gegen automatisch gesendete Meldungen ist fehlgeschlagen "
                        "oder abgelaufen. Bitte senden Sie das Formular noch einmal."
                    ),
                    code="bad_pow",
                )
            data["proof_of_work"] = challenge


POW_REUSED_MESSAGE = _(
    "Diese Prüfung gegen automatisch gesendete Meldungen wurde schon verwendet. Bitte warten "
    "Sie, bis die neue Prüfung fertig ist, und senden Sie das Formular noch einmal."
)


class ReceiptForm(PlainTextMixin, forms.Form):
    receipt = forms.CharField(
        label=_("Ihr Code (16 Ziffern)"),
        max_length=receipts.MAX_INPUT_LENGTH,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
        error_messages={"required": _("Bitte geben Sie Ihren Code ein.")},
    )


class MessageForm(PlainTextMixin, forms.Form):
    body = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Bitte schreiben Sie eine Nachricht."),
            "max_length": _(
                "Bitte schreiben Sie höchstens %(limit_value)d Zeichen (jetzt: %(show_value)d)."
            ),
        },
    )
    files = MultipleFileField(
        label=_("Dateien (höchstens 5, je bis 10 MB)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )

    clean_files = ReportForm.clean_files

    def clean_body(self) -> str:
        value = self.plain(self.cleaned_data["body"]).strip()
        if not value:
            raise ValidationError(_("Bitte schreiben Sie eine Nachricht."), code="required")
        return value
