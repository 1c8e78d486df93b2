"""The demo website: the seed's page tree with realistic content in German,
and the start page and Überblick in English, Turkish and Arabic.

``build_demo_site()`` is called by ``manage.py load_demo`` and by tests; it
creates what is missing and leaves an existing website alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from wohnfair.website import content
from wohnfair.website.cms_access import ensure_cms_groups
from wohnfair.website.models import (
    CampaignIndexPage,
    CampaignPage,
    ContactPage,
    EnquiryKind,
    EnquiryPage,
    HomePage,
    LinkDirectoryPage,
    MaterialsPage,
    MilestonesPage,
    NewsIndexPage,
    NewsPage,
    PositionIndexPage,
    PositionPage,
    StandardPage,
)


def text(html: str) -> tuple[str, RichText]:
    return ("text", RichText(html))


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }


def ensure_roots(default_locale: Locale) -> Page:
    """The tree roots Wagtail's migrations create (missing after a test database flush)."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                locale=default_locale,
            )
        )
    return root


def publish[P: Page](parent: Page, page: P) -> P:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def simple_pdf(title: str) -> bytes:
    """A one-page PDF with a title line: enough for a demo download, no renderer needed."""
    line = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 56 780 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_document(title: str, filename: str) -> Any:
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    existing = document_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = document_model(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(simple_pdf(title)), save=False)
    document.save()
    return document


@transaction.atomic
def build_demo_site() -> HomePage:
    """Build the demo website unless a German start page exists; return the German start page."""
    locales = ensure_locales()
    german = locales[settings.LANGUAGE_CODE]
    existing = HomePage.objects.filter(locale=german).first()
    if existing is not None:
        return existing
    root = ensure_roots(german)
    # Wagtail's placeholder "Welcome" page gives way to the real start page.
    for placeholder in root.get_children().exact_type(Page):
        placeholder.delete()
    home = publish(
        root,
        HomePage(
            title="Willkommen bei der Servicestelle für Antidiskriminierungsarbeit",
            slug="startseite",
            locale=german,
            seo_title="Startseite",
            search_description=content.HOME_DESCRIPTION,
            intro=content.HOME_INTRO,
        ),
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = "Wohnfair"
    site.save()

    info = publish(
        home,
        StandardPage(title="Info", slug="info", show_in_menus=True, summary=content.INFO_SUMMARY),
    )
    campaigns = publish(
        info,
        CampaignIndexPage(
            title="Aktuelle Aktion",
            slug="aktuelle-aktion",
            show_in_menus=True,
            summary="Womit wir gerade auf Diskriminierung am Wohnungsmarkt aufmerksam machen.",
        ),
    )
    overview = publish(
        info,
        StandardPage(
            title="Überblick",
            slug="ueberblick",
            show_in_menus=True,
            summary=content.OVERVIEW_SUMMARY,
            body=content.overview_body(),
        ),
    )
    publish(
        info,
        StandardPage(
            title="Ziele",
            slug="ziele",
            show_in_menus=True,
            summary=content.GOALS_SUMMARY,
            body=[text(content.GOALS_HTML)],
        ),
    )
    publish(
        info,
        MilestonesPage(
            title="Meilensteine",
            slug="meilensteine",
            show_in_menus=True,
            summary="Die Geschichte des Projekts seit 1997.",
            milestones=[("milestone", m) for m in content.MILESTONES],
        ),
    )
    publish(
        info, ContactPage(title="Kontakt", slug="kontakt", show_in_menus=True, **content.CONTACT)
    )

    featured = None
    for spec in content.CAMPAIGNS:
        campaign = publish(campaigns, CampaignPage(**spec["fields"], body=[text(spec["html"])]))
        if campaign.is_featured:
            featured = campaign

    news_index = publish(
        home,
        NewsIndexPage(
            title="Aktuell",
            slug="aktuell",
            show_in_menus=True,
            summary="Nachrichten aus der Servicestelle.",
        ),
    )
    for spec in content.NEWS:
        news = NewsPage(**spec["fields"], body=[text(spec["html"])])
        if spec.get("campaign"):
            news.campaign = featured
        news_index.add_child(instance=news)
        news.tags.add(*spec["tags"])
        news.save_revision().publish()

    positions = publish(
        home,
        PositionIndexPage(
            title="Standpunkte",
            slug="standpunkte",
            show_in_menus=True,
            summary=content.POSITIONS_SUMMARY,
        ),
    )
    for spec in content.POSITIONS:
        document = None
        if spec.get("pdf"):
            document = demo_document(spec["fields"]["title"], spec["pdf"])
        publish(
            positions, PositionPage(**spec["fields"], body=[text(spec["html"])], document=document)
        )

    publish(
        home,
        EnquiryPage(
            title="Konfliktmanagement",
            slug="konfliktmanagement",
            show_in_menus=True,
            form_kind=EnquiryKind.MEDIATION,
            form_heading="Vermittlung anfragen",
            summary=content.MEDIATION_SUMMARY,
            body=[text(content.MEDIATION_HTML)],
        ),
    )
    brochure = demo_document(
        "Ratgeber: Diskriminierung bei der Wohnungssuche",
        "ratgeber-wohnungssuche.pdf",
    )
    publish(
        home,
        MaterialsPage(
            title="Materialien",
            slug="materialien",
            show_in_menus=True,
            summary="Broschüren, Ratgeber und Arbeitshilfen zum Herunterladen.",
            documents=[
                (
                    "document",
                    {
                        "document": brochure,
                        "title": "",
                        "description": content.BROCHURE_DESCRIPTION,
                    },
                )
            ],
        ),
    )
    publish(
        home,
        EnquiryPage(
            title="Stiftung",
            slug="stiftung",
            show_in_menus=True,
            form_kind=EnquiryKind.SUPPORT,
            form_heading="Unterstützung beantragen",
            summary=content.FOUNDATION_SUMMARY,
            body=[text(content.FOUNDATION_HTML)],
        ),
    )
    publish(
        home,
        LinkDirectoryPage(
            title="Links",
            slug="links",
            show_in_menus=True,
            summary="Beratungsstellen und Partner in Nordrhein-Westfalen und bundesweit.",
            entries=[("entry", entry) for entry in content.LINKS],
        ),
    )
    publish(
        home,
        StandardPage(
            title="Leichte Sprache",
            slug="leichte-sprache",
            show_in_menus=True,
            summary=content.EASY_SUMMARY,
            body=[text(content.EASY_HTML)],
        ),
    )
    publish(
        home, StandardPage(title="Impressum", slug="impressum", body=[text(content.IMPRINT_HTML)])
    )
    publish(
        home,
        StandardPage(title="Datenschutz", slug="datenschutz", body=[text(content.PRIVACY_HTML)]),
    )
    publish(
        home,
        EnquiryPage(
            title="Erklärung zur Barrierefreiheit",
            slug="barrierefreiheit",
            form_kind=EnquiryKind.ACCESSIBILITY,
            form_heading="Barriere melden",
            body=[text(content.ACCESSIBILITY_HTML)],
        ),
    )

    translate(home, overview, locales)
    index_pages(home)
    # Editors and leads who existed before the tree did get their page permissions now.
    ensure_cms_groups()
    return home


def index_pages(home: HomePage) -> None:
    """Put the new pages into the search index now.

    Saves only enqueue index updates for the task worker; the demo (and the
    tests built on it) should be searchable without waiting for one.
    """
    from wagtail.search import index

    for page in Page.objects.filter(depth__gte=home.depth).specific():
        index.insert_or_update_object(page)


def translate(home: HomePage, overview: StandardPage, locales: dict[str, Locale]) -> None:
    """The start page and Überblick (with Info above it) in English, Turkish and Arabic."""
    for code, texts in content.TRANSLATIONS.items():
        locale = locales[code]
        home_copy = home.copy_for_translation(locale)
        home_copy.title = texts["home_title"]
        home_copy.seo_title = texts["home_seo_title"]
        home_copy.intro = texts["home_intro"]
        home_copy.search_description = texts["home_description"]
        home_copy.save_revision().publish()
        info_copy = overview.get_parent().specific.copy_for_translation(locale)
        info_copy.title = texts["info_title"]
        info_copy.summary = ""
        info_copy.save_revision().publish()
        overview_copy = overview.copy_for_translation(locale)
        overview_copy.title = texts["overview_title"]
        overview_copy.summary = texts["overview_summary"]
        overview_copy.body = [text(texts["overview_html"])]
        overview_copy.save_revision().publish()
