"""Blocks refuse what would break accessibility or lead off the site."""

import pytest
from django.core.exceptions import ValidationError

from wohnfair.website.blocks import AccessibleImageBlock, CallToActionBlock


def test_an_image_needs_its_alternative_text():
    block = AccessibleImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": None, "alt": "", "caption": ""}))
    assert block.child_blocks["alt"].required


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://evil.example/", "//evil.example"])
def test_a_call_to_action_links_only_within_the_site(url):
    block = CallToActionBlock()
    value = block.to_python(
        {"title": "Melden", "text": "", "page": None, "url": url, "label": "Los"}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_a_call_to_action_with_a_site_path_is_fine():
    block = CallToActionBlock()
    value = block.to_python(
        {"title": "Melden", "text": "", "page": None, "url": "/melden/", "label": "Los"}
    )
    assert block.clean(value)["url"] == "/melden/"
