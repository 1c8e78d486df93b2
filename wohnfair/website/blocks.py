"""The small set of StreamField blocks editors build pages from.

Text, heading, image (with required alternative text), quote, call to action,
document download and fact box; plus the structured blocks of the milestone
timeline and the link directory.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Zwischenüberschrift")), ("h3", _("Unterüberschrift"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Überschrift")
        template = "website/blocks/heading.html"


class AccessibleImageBlock(blocks.StructBlock):
    """An image whose alternative text is required: screen reader users must get it."""

    image = ImageChooserBlock(label=_("Bild"))
    alt = blocks.CharBlock(
        label=_("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt, was auf dem Bild zu sehen ist (Pflichtfeld)."),
    )
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "website/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Zitat"))
    attribution = blocks.CharBlock(label=_("Quelle"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "website/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Seite"), required=False)
    url = blocks.CharBlock(
        label=_("oder Adresse auf dieser Website"),
        required=False,
        max_length=200,
        help_text=_("Zum Beispiel /melden/"),
    )
    label = blocks.CharBlock(label=_("Beschriftung der Schaltfläche"), max_length=80)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        url = value.get("url") or ""
        # Only paths on this website: no other hosts, no javascript: links.
        if (url and (not url.startswith("/") or url.startswith("//"))) or (
            not url and not value.get("page")
        ):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Bitte eine Seite wählen oder eine Adresse angeben, die mit / beginnt.")
                    )
                }
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Handlungsaufforderung")
        template = "website/blocks/call_to_action.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(
        label=_("Titel"), required=False, max_length=200, help_text=_("Sonst der Dokumenttitel.")
    )
    description = blocks.TextBlock(label=_("Beschreibung"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokument zum Herunterladen")
        template = "website/blocks/document.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    text = blocks.RichTextBlock(label=_("Inhalt"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "list-ul"
        label = _("Infokasten")
        template = "website/blocks/fact_box.html"


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks of every page body (a fresh list for each StreamField)."""
    return [
        ("text", blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)),
        ("heading", HeadingBlock()),
        ("image", AccessibleImageBlock()),
        ("quote", QuoteBlock()),
        ("call_to_action", CallToActionBlock()),
        ("document", DocumentBlock()),
        ("fact_box", FactBoxBlock()),
    ]


class MilestoneBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Datum"))
    title = blocks.CharBlock(label=_("Titel"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        icon = "date"
        label = _("Meilenstein")


def split_list(value: str) -> list[str]:
    """'Wohnen, Arbeit' -> ['Wohnen', 'Arbeit']."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class LinkEntryBlock(blocks.StructBlock):
    """One counselling office or partner of the link directory."""

    name = blocks.CharBlock(label=_("Name"), max_length=200)
    kind = blocks.ChoiceBlock(
        label=_("Art"),
        choices=[("counselling", _("Beratungsstelle")), ("partner", _("Partner"))],
        default="counselling",
    )
    city = blocks.CharBlock(label=_("Ort"), max_length=100)
    topics = blocks.CharBlock(
        label=_("Themen"), max_length=300, required=False, help_text=_("Durch Kommas getrennt.")
    )
    languages = blocks.CharBlock(
        label=_("Sprachen"),
        max_length=300,
        required=False,
        help_text=_("Durch Kommas getrennt, zum Beispiel: Deutsch, Türkisch"),
    )
    website = blocks.URLBlock(label=_("Website"), required=False)
    email = blocks.EmailBlock(label=_("E-Mail"), required=False)
    phone = blocks.CharBlock(label=_("Telefon"), max_length=50, required=False)
    address = blocks.TextBlock(label=_("Anschrift"), required=False)

    class Meta:
        icon = "link"
        label = _("Eintrag")


def entry_dict(value: Any) -> dict[str, Any]:
    """A link entry with its comma lists split, for filtering and templates."""
    return {
        **dict(value),
        "topic_list": split_list(value.get("topics", "")),
        "language_list": split_list(value.get("languages", "")),
    }
