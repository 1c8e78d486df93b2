"""Page types of the public website (Wagtail).

The tree follows the seed's menu: Home -> Info (Aktuelle Aktion, Überblick,
Ziele, Meilensteine, Kontakt), Aktuell, Standpunkte, Konfliktmanagement,
Materialien, Stiftung, Links, Leichte Sprache and the legal pages. Translations
are copies of the German pages per locale (Wagtail i18n).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wohnfair.website import blocks

NEWS_PER_PAGE = 10
HOME_NEWS = 3


# Page types of other apps that may be children here once they exist (the
# newsletter app is built in parallel); a missing one is left out, not an error.
OPTIONAL_PAGE_TYPES = frozenset({"newsletter.NewsletterPage"})


def _page_type_exists(label: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


class WebsitePage(Page):
    """Common base: a short summary that teasers, feeds and search results show."""

    summary = models.TextField(
        _("Kurzfassung"),
        blank=True,
        help_text=_("Ein bis drei Sätze für Übersichten, Suchergebnisse und den Feed."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    content_panels = [*Page.content_panels, FieldPanel("summary")]

    class Meta:
        abstract = True

    def teaser(self) -> str:
        return self.summary or self.search_description

    @classmethod
    def clean_subpage_models(cls) -> list[type[Page]]:
        subpage_types = getattr(cls, "subpage_types", None)
        if cls._clean_subpage_models is None and subpage_types is not None:
            cls.subpage_types = [
                label
                for label in subpage_types
                if label not in OPTIONAL_PAGE_TYPES or _page_type_exists(label)
            ]
        return super().clean_subpage_models()


class StandardPage(WebsitePage):
    """Überblick, Ziele, Leichte Sprache, Impressum, Datenschutz, section pages like Info."""

    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))

    search_fields = [*WebsitePage.search_fields, index.SearchField("body")]
    content_panels = [*WebsitePage.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("Standardseite")
        verbose_name_plural = _("Standardseiten")


class ContactPage(WebsitePage):
    """Kontakt: address, opening and consultation hours, the contact form."""

    address = models.TextField(_("Anschrift"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    opening_hours = RichTextField(_("Öffnungszeiten"), blank=True, features=["bold", "ul"])
    consultation_hours = RichTextField(_("Sprechzeiten"), blank=True, features=["bold", "ul"])
    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))

    form_kind = "contact"
    search_fields = [
        *WebsitePage.search_fields,
        index.SearchField("address"),
        index.SearchField("opening_hours"),
        index.SearchField("consultation_hours"),
        index.SearchField("body"),
    ]
    content_panels = [
        *WebsitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Erreichbarkeit"),
        ),
        FieldPanel("opening_hours"),
        FieldPanel("consultation_hours"),
        FieldPanel("body"),
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Kontaktseite")
        verbose_name_plural = _("Kontaktseiten")


class EnquiryKind(models.TextChoices):
    MEDIATION = "mediation", _("Anfrage zur Konfliktvermittlung")
    SUPPORT = "support", _("Antrag auf Unterstützung durch die Stiftung")
    ACCESSIBILITY = "accessibility", _("Rückmeldung zur Barrierefreiheit")
    CONTACT = "contact", _("Kontaktformular")


class EnquiryPage(WebsitePage):
    """A page with text and one form that reaches the staff workspace.

    Konfliktmanagement (mediation request), Stiftung (request for support),
    Erklärung zur Barrierefreiheit (feedback). The form itself belongs to the
    enquiries app and is rendered by its ``enquiry_form`` tag.
    """

    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))
    form_kind = models.CharField(
        _("Formular"), max_length=20, choices=EnquiryKind.choices, default=EnquiryKind.MEDIATION
    )
    form_heading = models.CharField(_("Überschrift des Formulars"), max_length=200, blank=True)

    search_fields = [*WebsitePage.search_fields, index.SearchField("body")]
    content_panels = [
        *WebsitePage.content_panels,
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("form_kind"), FieldPanel("form_heading")], _("Formular")),
    ]

    class Meta:
        verbose_name = _("Seite mit Formular")
        verbose_name_plural = _("Seiten mit Formular")


class CampaignIndexPage(WebsitePage):
    """Aktuelle Aktion: shows the current campaign in full and lists the earlier ones."""

    subpage_types = ["website.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Aktionen (Übersicht)")
        verbose_name_plural = _("Aktionen (Übersichten)")

    def campaigns(self) -> models.QuerySet[CampaignPage]:
        return (
            CampaignPage.objects.child_of(self)
            .live()
            .order_by("-is_featured", "-start_date", "-pk")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        campaigns = list(self.campaigns())
        context["current"] = campaigns[0] if campaigns else None
        context["earlier"] = campaigns[1:]
        return context


class CampaignPage(WebsitePage):
    """A campaign (Aktion). The featured one, else the newest, is the Aktuelle Aktion."""

    start_date = models.DateField(_("Beginn"), default=date.today)
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    is_featured = models.BooleanField(
        _("als Aktuelle Aktion hervorheben"),
        default=False,
        help_text=_("Erscheint auf der Startseite und unter Info › Aktuelle Aktion."),
    )
    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))

    parent_page_types = ["website.CampaignIndexPage"]
    subpage_types: list[str] = []
    search_fields = [*WebsitePage.search_fields, index.SearchField("body")]
    content_panels = [
        *WebsitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("is_featured")],
            heading=_("Zeitraum"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Aktion")
        verbose_name_plural = _("Aktionen")


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "website.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsIndexPage(RoutablePageMixin, WebsitePage):
    """Aktuell: news with an archive by year, tag (Thema) and campaign, and an Atom feed."""

    subpage_types = ["website.NewsPage", "newsletter.NewsletterPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Nachrichten (Übersicht)")
        verbose_name_plural = _("Nachrichten (Übersichten)")

    def news(self) -> models.QuerySet[NewsPage]:
        return NewsPage.objects.child_of(self).live().order_by("-date", "-pk")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from wohnfair.website.archive import filter_news

        context = super().get_context(request, *args, **kwargs)
        context.update(filter_news(self, request.GET))
        return context

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        from wohnfair.website.feeds import atom_feed

        return atom_feed(self, request)

    @path("", name="index")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)


class NewsPage(WebsitePage):
    date = models.DateField(_("Datum"), default=date.today)
    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("Themen"))
    campaign = models.ForeignKey(
        "website.CampaignPage",
        verbose_name=_("Aktion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )

    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *WebsitePage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    content_panels = [
        *WebsitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("tags"), FieldPanel("campaign")],
            heading=_("Einordnung"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")


class PositionIndexPage(WebsitePage):
    """Standpunkte: positions and statements, newest first."""

    subpage_types = ["website.PositionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Standpunkte (Übersicht)")
        verbose_name_plural = _("Standpunkte (Übersichten)")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["positions"] = (
            PositionPage.objects.child_of(self)
            .live()
            .select_related("document")
            .order_by("-date", "-pk")
        )
        return context


class PositionPage(WebsitePage):
    """A position or statement (Stellungnahme): to whom, when, in short, with an optional PDF."""

    date = models.DateField(_("Datum"), default=date.today)
    addressee = models.CharField(
        _("Adressat*in"), max_length=250, help_text=_("An wen sich die Stellungnahme richtet.")
    )
    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["website.PositionIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *WebsitePage.search_fields,
        index.SearchField("addressee"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    content_panels = [
        *WebsitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("addressee"), FieldPanel("document")],
            heading=_("Angaben"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("Standpunkt")
        verbose_name_plural = _("Standpunkte")


class MilestonesPage(WebsitePage):
    """Meilensteine: the public timeline since 1997.

    Two sources, one timeline: milestones written on this page by the editors
    (drafts, moderation, translations), and the milestones that the office's
    staff marked public in the workspace (``monitoring.Milestone``, kept for the
    annual reports), of the organisation this site belongs to.
    """

    milestones = StreamField(
        [("milestone", blocks.MilestoneBlock())], blank=True, verbose_name=_("Meilensteine")
    )

    search_fields = [*WebsitePage.search_fields, index.SearchField("milestones")]
    content_panels = [*WebsitePage.content_panels, FieldPanel("milestones")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Meilensteine")
        verbose_name_plural = _("Meilenstein-Seiten")

    def timeline(self) -> list[dict[str, Any]]:
        entries = [dict(block.value) for block in self.milestones]
        seen = {(entry["date"], entry["title"]) for entry in entries}
        for milestone in self._public_workspace_milestones():
            if (milestone["date"], milestone["title"]) not in seen:
                entries.append(milestone)
        return sorted(entries, key=lambda item: item["date"])

    def _public_workspace_milestones(self) -> list[dict[str, Any]]:
        from wohnfair.enquiries.routing import organisation_for_site
        from wohnfair.monitoring.models import Milestone

        organisation = organisation_for_site(self.get_site())
        if organisation is None:
            return []
        return list(
            Milestone.objects.of_organisation(organisation)
            .filter(is_public=True)
            .values("date", "title", "text")
        )


class LinkDirectoryPage(WebsitePage):
    """Links: counselling offices and partners, filterable by city, topic and language."""

    entries = StreamField(
        [("entry", blocks.LinkEntryBlock())], blank=True, verbose_name=_("Einträge")
    )

    search_fields = [*WebsitePage.search_fields, index.SearchField("entries")]
    content_panels = [*WebsitePage.content_panels, FieldPanel("entries")]

    class Meta:
        verbose_name = _("Linkverzeichnis")
        verbose_name_plural = _("Linkverzeichnisse")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from wohnfair.website.directory import filter_entries

        context = super().get_context(request, *args, **kwargs)
        context.update(filter_entries([block.value for block in self.entries], request.GET))
        return context


class MaterialsPage(WebsitePage):
    """Materialien: downloadable documents (a catalogue with ordering and lending comes later)."""

    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Einleitung"))
    documents = StreamField(
        [("document", blocks.DocumentBlock())], blank=True, verbose_name=_("Dokumente")
    )

    search_fields = [
        *WebsitePage.search_fields,
        index.SearchField("body"),
        index.SearchField("documents"),
    ]
    content_panels = [*WebsitePage.content_panels, FieldPanel("body"), FieldPanel("documents")]

    class Meta:
        verbose_name = _("Materialien")
        verbose_name_plural = _("Materialseiten")


class HomePage(WebsitePage):
    """The start page: Aktuelle Aktion, latest news, the paths to report and to counselling."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(blocks.body_blocks(), blank=True, verbose_name=_("Inhalt"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "website.StandardPage",
        "website.ContactPage",
        "website.EnquiryPage",
        "website.CampaignIndexPage",
        "website.NewsIndexPage",
        "website.PositionIndexPage",
        "website.MilestonesPage",
        "website.LinkDirectoryPage",
        "website.MaterialsPage",
        "newsletter.NewsletterPage",
    ]
    search_fields = [
        *WebsitePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [*WebsitePage.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        descendants = Page.objects.descendant_of(self).live()
        context["current_campaign"] = (
            CampaignPage.objects.filter(pk__in=descendants.type(CampaignPage).values("pk"))
            .order_by("-is_featured", "-start_date", "-pk")
            .first()
        )
        context["latest_news"] = NewsPage.objects.filter(
            pk__in=descendants.type(NewsPage).values("pk")
        ).order_by("-date", "-pk")[:HOME_NEWS]
        context["news_index"] = descendants.type(NewsIndexPage).first()
        context["contact"] = ContactPage.objects.filter(
            pk__in=descendants.type(ContactPage).values("pk")
        ).first()
        context["counselling"] = EnquiryPage.objects.filter(
            pk__in=descendants.type(EnquiryPage).values("pk"), form_kind=EnquiryKind.MEDIATION
        ).first()
        return context
