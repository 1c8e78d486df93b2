"""``{% enquiry_form %}`` renders a complete form on any page."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory


def render(source: str) -> str:
    request = RequestFactory().get("/kontakt/")
    return Template("{% load enquiry_tags %}" + source).render(Context({"request": request}))


def test_two_forms_on_one_page_have_distinct_ids_and_one_pow_script(db):
    html = render('{% enquiry_form "contact" %}{% enquiry_form "accessibility" %}')
    assert html.count("intake/pow.js") == 1
    assert 'id="id_contact_message"' in html and 'id="id_accessibility_message"' in html
    assert 'action="/anfrage/kontakt/"' in html and 'action="/anfrage/barrierefreiheit/"' in html
    assert html.count('name="csrfmiddlewaretoken"') == 2


def test_an_unknown_kind_is_a_template_error(db):
    with pytest.raises(TemplateSyntaxError):
        render('{% enquiry_form "pizza" %}')
