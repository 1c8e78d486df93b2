"""``{% enquiry_form "contact" %}``: a complete enquiry form for a website page.

Kinds: "contact", "mediation", "support", "accessibility". The form posts to the
enquiries app (``anfrage/<slug>/``) in the page's language and carries the portal's
spam protection; it works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from wohnfair.enquiries.forms import FORMS, SLUGS, SUBMIT_LABELS, EnquiryForm

register = template.Library()

POW_SCRIPT_FLAG = "_wohnfair_pow_script"


def pow_script_once(request: Any) -> bool:
    """True the first time a page asks: pow.js handles the first protected form only."""
    if request is None:
        return True
    if getattr(request, POW_SCRIPT_FLAG, False):
        return False
    setattr(request, POW_SCRIPT_FLAG, True)
    return True


@register.simple_tag(takes_context=True)
def enquiry_form(
    context: template.Context,
    kind: str,
    form: EnquiryForm | None = None,
    unavailable: bool = False,
    throttled: bool = False,
) -> SafeString:
    if kind not in FORMS:
        raise template.TemplateSyntaxError(
            f"enquiry_form: unknown kind {kind!r}; use one of {', '.join(FORMS)}"
        )
    request = context.get("request")
    form = form if form is not None else FORMS[kind]()
    form_id = f"enquiry-{kind}"
    return render_to_string(
        "enquiries/_form.html",
        {
            "form": form,
            "form_id": form_id,
            "honeypot_id": f"{form_id}-website",
            "action": reverse("enquiries:submit", args=[SLUGS[kind]]),
            "submit_label": SUBMIT_LABELS[kind],
            "unavailable": unavailable,
            "throttled": throttled,
            "load_pow_script": pow_script_once(request),
        },
        request=request,
    )
