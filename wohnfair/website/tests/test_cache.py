"""The anonymous page cache: what is served from it, what never is, and when it empties."""

import gc
import io
import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Site

from wohnfair.website.cache import CACHE_HEADER, GENERATION_KEY, page_cache

TEMPLATE_WITH_FORM = """<!DOCTYPE html><html lang="de"><head><title>{{ page.title }}</title></head>
<body><h1>{{ page.title }}</h1><form method="post">{% csrf_token %}<button>Senden</button></form>
</body></html>"""
TEMPLATE_WITH_NONCE = """<!DOCTYPE html><html lang="de"><head><title>{{ page.title }}</title>
<script nonce="{{ csp_nonce }}">document.title = "x";</script></head>
<body><h1>{{ page.title }}</h1></body></html>"""


@pytest.fixture
def page_template(settings, tmp_path):
    """Serve plain Wagtail pages with ``text`` as their template (wagtailcore/page.html)."""

    def _use(text: str) -> None:
        folder = tmp_path / "wagtailcore"
        folder.mkdir(exist_ok=True)
        (folder / "page.html").write_text(text)
        settings.TEMPLATES = [
            {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
        ]

    return _use


def test_an_anonymous_visitor_gets_the_second_request_from_the_cache(client, make_page):
    page = make_page("Aktuelle Aktion")
    first = client.get(page.url)
    second = client.get(page.url)
    assert first.status_code == second.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert "Aktuelle Aktion" in second.text
    assert second["Cache-Control"] == f"public, max-age={settings.WOHNFAIR_PAGE_CACHE_MAX_AGE}"
    # The headers of the outer middleware are added to a cached page as well.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"
    assert second["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in second


def test_publishing_a_change_empties_the_cache(client, make_page):
    page = make_page("Ziele 2026")
    client.get(page.url)
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    page.title = "Ziele 2027"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response[CACHE_HEADER] == "miss"
    assert "Ziele 2027" in response.text


def test_publishing_another_page_empties_the_cache_too(client, make_page):
    """Menus and lists on every page show other pages' titles."""
    page = make_page("Überblick")
    client.get(page.url)
    make_page("Neue Pressemitteilung")
    assert client.get(page.url)[CACHE_HEADER] == "miss"


def test_an_unpublished_page_is_gone_at_once(client, make_page):
    page = make_page("Kampagne Fair Wohnen")
    client.get(page.url)
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_deleted_or_moved_page_empties_the_cache(client, make_page):
    page = make_page("Meilensteine")
    other = make_page("Links")
    target = make_page("Archiv")
    client.get(page.url)
    other.delete()
    assert client.get(page.url)[CACHE_HEADER] == "miss"
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    old_url = page.url
    page.move(target, pos="last-child")
    assert client.get(old_url).status_code != 200
    page.refresh_from_db()
    assert client.get(page.url)[CACHE_HEADER] == "miss"


def test_saving_the_site_empties_the_cache(client, make_page):
    page = make_page("Stiftung")
    client.get(page.url)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Wohnfair Dortmund"
    site.save()
    assert client.get(page.url)[CACHE_HEADER] == "miss"


def png_file() -> ImageFile:
    output = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 90)).save(output, format="PNG")
    return ImageFile(output, name="plakat.png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("kind", ["image", "document"])
def test_changing_an_image_or_a_document_empties_the_cache(client, make_page, media, kind):
    page = make_page("Materialien")
    client.get(page.url)
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    if kind == "image":
        item = Image.objects.create(title="Plakat", file=png_file())
    else:
        item = Document.objects.create(title="Flyer", file=ContentFile(b"%PDF-1.4", "flyer.pdf"))
    assert client.get(page.url)[CACHE_HEADER] == "miss"
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    item.title = "Neuer Titel"
    item.save()
    assert client.get(page.url)[CACHE_HEADER] == "miss"
    client.get(page.url)
    item.delete()
    assert client.get(page.url)[CACHE_HEADER] == "miss"


# Wagtail leaves the temporary file of a new rendition for the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_renditions_made_while_rendering_leave_the_cache_alone(client, make_page, media):
    image = Image.objects.create(title="Plakat", file=png_file())
    page = make_page("Materialien")
    client.get(page.url)
    image.get_rendition("fill-100x100")
    assert client.get(page.url)[CACHE_HEADER] == "hit"
    gc.collect()  # the file is collected here, under this test's warning filter


def test_a_signed_in_person_never_gets_or_leaves_a_cached_page(client, make_page, editor_a):
    page = make_page("Standpunkte")
    client.force_login(editor_a)
    response = client.get(page.url)
    assert CACHE_HEADER not in response
    assert "no-store" in response["Cache-Control"]
    anonymous = Client()
    assert anonymous.get(page.url)[CACHE_HEADER] == "miss"
    assert client.get(page.url).get(CACHE_HEADER) is None


def test_a_visitor_with_a_session_gets_a_fresh_page(client, make_page):
    page = make_page("Konfliktmanagement")
    client.get(page.url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "irgendeine-sitzung"
    assert CACHE_HEADER not in client.get(page.url)


def test_a_page_with_a_csrf_token_is_never_stored(client, make_page, page_template):
    page_template(TEMPLATE_WITH_FORM)
    page = make_page("Kontakt")
    first = client.get(page.url)
    visitor = Client(enforce_csrf_checks=True)
    second = visitor.get(page.url)
    assert CACHE_HEADER not in first and CACHE_HEADER not in second
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text).group(1)
    # The visitor's own token and cookie belong together: the form can be sent.
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value
    assert token not in first.text


def test_a_page_with_an_inline_script_nonce_is_never_stored(client, make_page, page_template):
    page_template(TEMPLATE_WITH_NONCE)
    page = make_page("Aktuelles")
    client.get(page.url)
    second = client.get(page.url)
    assert CACHE_HEADER not in second
    nonce = re.search(r'nonce="([^"]+)"', second.text).group(1)
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/aktuell/jahresbericht-2025/", "/info/ueberblick/", "/en/"])
def test_the_scripts_of_a_cached_demo_page_satisfy_the_policy_sent_with_it(client, demo_site, path):
    client.get(path)
    cached = client.get(path)
    assert cached[CACHE_HEADER] == "hit"
    policy = cached["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert "'unsafe-inline'" not in script_src
    for attributes in re.findall(r"<script([^>]*)>", cached.text):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        source = re.search(r'src="([^"]+)"', attributes)
        if nonce:
            assert f"'nonce-{nonce.group(1)}'" in script_src
        else:
            assert source and source.group(1).startswith("/") and "'self'" in script_src


def test_the_demo_contact_form_is_never_served_from_the_cache(demo_site):
    first, second = Client(), Client()
    pages = [first.get("/info/kontakt/"), second.get("/info/kontakt/")]
    tokens = []
    for response in pages:
        assert response.status_code == 200
        assert CACHE_HEADER not in response
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        assert token, "the contact form carries a CSRF token"
        tokens.append(token.group(1))
    assert first.cookies[settings.CSRF_COOKIE_NAME].value != (
        second.cookies[settings.CSRF_COOKIE_NAME].value
    )


def test_query_strings_and_hosts_are_cached_apart(client, make_page):
    page = make_page("Aktuell")
    client.get(page.url)
    assert client.get(page.url, {"seite": "2"})[CACHE_HEADER] == "miss"
    assert client.get(page.url, HTTP_HOST="127.0.0.1")[CACHE_HEADER] == "miss"
    assert client.get(page.url)[CACHE_HEADER] == "hit"


def test_not_found_and_post_are_not_cached(client, make_page):
    page = make_page("Presse")
    assert client.get("/gibt-es-nicht/").status_code == 404
    assert CACHE_HEADER not in client.get("/gibt-es-nicht/")
    client.get(page.url)
    assert CACHE_HEADER not in client.post(page.url)


def test_the_cache_can_be_switched_off(client, make_page, settings):
    settings.WOHNFAIR_PAGE_CACHE = False
    page = make_page("Ohne Cache")
    client.get(page.url)
    response = client.get(page.url)
    assert response.status_code == 200
    assert CACHE_HEADER not in response
    assert page_cache().get(GENERATION_KEY) is not None  # publishing still bumps
