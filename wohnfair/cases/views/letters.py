"""Letter templates (leads) and letters on a case (counsellors and leads).

Templates belong to the active organisation; a template of another one answers
404. Letters are found through the case (``get_case_for_user``) and its
``letters``, so a letter of a case the user may not see answers 404 as well.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wohnfair.accounts.access import staff_required
from wohnfair.accounts.models import Role
from wohnfair.audit.services import log_action
from wohnfair.cases import letters
from wohnfair.cases.access import get_case_for_user
from wohnfair.cases.models import Case, Letter, LetterTemplate

CLOSED_MESSAGE = gettext_lazy(
    "Der Fall ist abgeschlossen oder anonymisiert; Briefe können nicht mehr angelegt, "
    "bearbeitet oder fertiggestellt werden."
)


# Forms --------------------------------------------------------------------------------


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["kind", "name", "subject", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22})}
        help_texts = {
            "body": gettext_lazy(
                "Absätze durch eine Leerzeile trennen. Grußformel, Name der Berater*in und "
                "Briefkopf fügt das PDF selbst an."
            ),
        }

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        letters.validate_template(subject)
        return subject.strip()

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        letters.validate_template(body)
        return body.strip()


class ChooseTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Briefvorlage"),
        queryset=LetterTemplate.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = case.organisation.letter_templates.filter(  # type: ignore[attr-defined]
            is_active=True
        )


class LetterForm(forms.Form):
    recipient = forms.CharField(
        label=gettext_lazy("Empfänger*in"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Name und Anschrift, eine Zeile je Angabe."),
    )
    subject = forms.CharField(label=gettext_lazy("Betreff"), max_length=300)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=gettext_lazy(
            "Absätze durch eine Leerzeile trennen. Der Text erscheint genau so im Brief; "
            "Grußformel und Name fügt das PDF selbst an."
        ),
    )


# Templates (leads) --------------------------------------------------------------------


def _template_of_organisation(request: HttpRequest, pk: int) -> LetterTemplate:
    return get_object_or_404(request.membership.organisation.letter_templates, pk=pk)  # type: ignore[attr-defined]


def _placeholder_help() -> list[tuple[str, Any]]:
    return [(letters.as_placeholder(name), label) for name, label in letters.PLACEHOLDERS.items()]


@staff_required(Role.LEAD)
def template_list(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    if request.method == "POST":
        created = letters.ensure_default_templates(organisation)
        for template in created:
            log_action(request.user, organisation, "letter_template.created", template)
        if created:
            messages.success(
                request,
                _("%(count)s Standardvorlagen wurden angelegt.") % {"count": len(created)},
            )
        else:
            messages.info(request, _("Für jede Briefart gibt es bereits eine Vorlage."))
        return redirect("cases:letter_templates")
    templates = list(organisation.letter_templates.all())
    missing_kinds = {template["kind"] for template in letters.DEFAULT_TEMPLATES} - {
        template.kind for template in templates
    }
    return render(
        request,
        "cases/letters/template_list.html",
        {"templates": templates, "defaults_missing": bool(missing_kinds)},
    )


def _template_form_page(
    request: HttpRequest, form: LetterTemplateForm, template: LetterTemplate | None, status: int
) -> HttpResponse:
    return render(
        request,
        "cases/letters/template_form.html",
        {"form": form, "template": template, "placeholders": _placeholder_help()},
        status=status,
    )


@staff_required(Role.LEAD)
def template_create(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation  # type: ignore[attr-defined]
    if request.method != "POST":
        return _template_form_page(request, LetterTemplateForm(), None, 200)
    form = LetterTemplateForm(request.POST, instance=LetterTemplate(organisation=organisation))
    if not form.is_valid():
        return _template_form_page(request, form, None, 400)
    template = form.save()
    log_action(request.user, organisation, "letter_template.created", template)
    messages.success(request, _("Die Briefvorlage wurde gespeichert."))
    return redirect("cases:letter_templates")


@staff_required(Role.LEAD)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template_of_organisation(request, pk)
    if request.method != "POST":
        return _template_form_page(request, LetterTemplateForm(instance=template), template, 200)
    form = LetterTemplateForm(request.POST, instance=template)
    if not form.is_valid():
        template.refresh_from_db()  # the form wrote the refused values into the instance
        return _template_form_page(request, form, template, 400)
    form.save()
    log_action(request.user, template.organisation, "letter_template.changed", template)
    messages.success(request, _("Die Briefvorlage wurde gespeichert."))
    return redirect("cases:letter_templates")


# Letters on a case --------------------------------------------------------------------


def _refuse_closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    if letters.case_accepts_letters(case):
        return None
    messages.error(request, CLOSED_MESSAGE)
    return redirect(case.get_absolute_url())


@staff_required(Role.COUNSELLOR, Role.LEAD)
def letter_create(request: HttpRequest, number: str) -> HttpResponse:
    case = get_case_for_user(request, number)
    if refused := _refuse_closed(request, case):
        return refused
    form = ChooseTemplateForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = letters.create_letter(case, form.cleaned_data["template"], by=request.user)
            except letters.LetterError as error:
                messages.error(request, str(error))
                return redirect(case.get_absolute_url())
            messages.success(
                request, _("Der Entwurf wurde angelegt. Bitte prüfen und ergänzen Sie ihn.")
            )
            return redirect("cases:letter", case.number, letter.pk)
        status = 400
    else:
        status = 200
    return render(request, "cases/letters/create.html", {"case": case, "form": form}, status=status)


def _letter_page(
    request: HttpRequest, case: Case, letter: Letter, form: LetterForm | None, status: int = 200
) -> HttpResponse:
    editable = not letter.is_final and letters.case_accepts_letters(case)
    if form is None and editable:
        form = LetterForm(
            initial={"recipient": letter.recipient, "subject": letter.subject, "body": letter.body}
        )
    today = timezone.localdate()
    deadline = (
        letters.open_claim_deadline(case)
        if editable and letter.kind == LetterTemplate.Kind.CLAIM
        else None
    )
    return render(
        request,
        "cases/letters/letter.html",
        {
            "case": case,
            "letter": letter,
            "form": form if editable else None,
            "editable": editable,
            "missing": letters.missing_parts(letter) if editable else [],
            "deadline_passed": deadline if deadline and deadline.due_on < today else None,
            "recipient_lines": [line for line in letter.recipient.splitlines() if line.strip()],
        },
        status=status,
    )


@staff_required(Role.COUNSELLOR, Role.LEAD)
def letter_edit(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = get_case_for_user(request, number)
    letter = get_object_or_404(case.letters.select_related("document", "created_by"), pk=pk)
    if request.method != "POST":
        return _letter_page(request, case, letter, None)
    if refused := _refuse_closed(request, case):
        return refused
    if letter.is_final:
        messages.error(
            request,
            _("Der Brief ist bereits fertiggestellt und kann nicht mehr bearbeitet werden."),
        )
        return redirect("cases:letter", case.number, letter.pk)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _letter_page(request, case, letter, form, status=400)
    try:
        letters.update_draft(letter, by=request.user, **form.cleaned_data)
    except letters.LetterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Der Entwurf wurde gespeichert."))
    return redirect("cases:letter", case.number, letter.pk)


@staff_required(Role.COUNSELLOR, Role.LEAD)
@require_POST
def letter_finalise(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = get_case_for_user(request, number)
    letter = get_object_or_404(case.letters, pk=pk)
    if refused := _refuse_closed(request, case):
        return refused
    try:
        letter = letters.finalise_letter(letter, by=request.user)
    except (letters.LetterError, ValidationError) as error:
        message = str(error) if isinstance(error, letters.LetterError) else error.messages[0]
        messages.error(request, message)
        return redirect("cases:letter", case.number, letter.pk)
    messages.success(
        request,
        _(
            "Der Brief wurde als PDF in den Dokumenten des Falls gespeichert und als "
            "Intervention eingetragen."
        ),
    )
    return redirect(case.get_absolute_url())
