"""``{% newsletter_signup %}``: the newsletter sign-up form for any website page."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from wohnfair.enquiries.templatetags.enquiry_tags import pow_script_once
from wohnfair.newsletter.forms import SignupForm

register = template.Library()


@register.simple_tag(takes_context=True)
def newsletter_signup(
    context: template.Context, form: SignupForm | None = None, throttled: bool = False
) -> SafeString:
    request = context.get("request")
    return render_to_string(
        "newsletter/_signup_form.html",
        {
            "form": form if form is not None else SignupForm(),
            "form_id": "newsletter-signup",
            "honeypot_id": "newsletter-signup-website",
            "throttled": throttled,
            "load_pow_script": pow_script_once(request),
        },
        request=request,
    )
