"""sitemap.xml lists every language's live, public pages; robots.txt keeps crawlers out of
the workspace and points to the sitemap."""

from wagtail.models import Locale, PageViewRestriction


def test_the_sitemap_lists_live_public_pages_of_all_languages_with_alternates(
    client, make_page, site_root
):
    german = make_page("Überblick")
    make_page("Entwurf", live=False)
    private = make_page("Intern")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    site_root.copy_for_translation(english_locale).save_revision().publish()
    english = german.copy_for_translation(english_locale)
    english.save_revision().publish()

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.text
    german_url = german.get_full_url()
    english_url = english.get_full_url()
    assert english.url.startswith("/en/")
    assert f"<loc>{german_url}</loc>" in xml
    assert f"<loc>{english_url}</loc>" in xml
    assert f'hreflang="en" href="{english_url}"' in xml
    assert f'hreflang="de" href="{german_url}"' in xml
    assert f'hreflang="x-default" href="{german_url}"' in xml
    assert private.url not in xml
    assert "entwurf" not in xml.lower()


def test_robots_txt_disallows_the_workspace_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    for path in ("/staff/", "/cms/", "/konto/", "/melden/status/", "/admin/", "/en/staff/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_and_robots_refuse_post(client, db):
    assert client.post("/robots.txt").status_code == 405
    assert client.post("/sitemap.xml").status_code == 405
