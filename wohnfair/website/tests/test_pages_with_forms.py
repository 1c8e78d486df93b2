"""Pages that carry a form of the enquiries app, the link directory and the materials list."""

import pytest

from wohnfair.website.models import EnquiryKind, EnquiryPage


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/info/kontakt/", "contact"),
        ("/konfliktmanagement/", "mediation"),
        ("/stiftung/", "support"),
        ("/barrierefreiheit/", "accessibility"),
    ],
)
def test_each_form_page_renders_its_enquiry_form(client, demo_site, url, kind):
    html = client.get(url).text
    form = html.split('id="form-heading"')[1]
    assert f'id="enquiry-{kind}"' in form
    assert 'name="csrfmiddlewaretoken"' in form


@pytest.mark.parametrize("url", ["/", "/aktuell/"])
def test_home_and_news_link_to_the_newsletter_sign_up_without_a_form(client, demo_site, url):
    html = client.get(url).text
    assert 'href="/newsletter/anmelden/"' in html
    # No form token on these pages: they stay in the anonymous page cache.
    assert "csrfmiddlewaretoken" not in html


def test_form_kinds_of_the_demo_pages(demo_site):
    kinds = dict(
        EnquiryPage.objects.filter(locale__language_code="de").values_list("slug", "form_kind")
    )
    assert kinds == {
        "konfliktmanagement": EnquiryKind.MEDIATION,
        "stiftung": EnquiryKind.SUPPORT,
        "barrierefreiheit": EnquiryKind.ACCESSIBILITY,
    }


def test_contact_page_shows_address_and_hours(client, demo_site):
    html = client.get("/info/kontakt/").text
    assert "44137 Dortmund" in html
    assert "Öffnungszeiten" in html and "Sprechzeiten" in html


def test_the_link_directory_filters_by_city_topic_and_language(client, demo_site):
    everything = client.get("/links/").text
    assert "4 Einträge von 4" in everything
    bochum = client.get("/links/?ort=Bochum").text
    assert "Beratungsstelle Bochum" in bochum and "Mieterverein Dortmund" not in bochum
    turkish = client.get("/links/?sprache=Türkisch").text
    assert "1 Eintrag von 4" in turkish and "Antidiskriminierungsbüro Köln" in turkish
    politics = client.get("/links/?thema=Politik").text
    assert "Antidiskriminierungsverband Deutschland (advd)" in politics


def test_unknown_directory_filters_are_ignored(client, demo_site):
    response = client.get("/links/?ort=%3Cscript%3E&thema=' OR 1=1 --&sprache=" + "x" * 2000)
    assert response.status_code == 200
    assert "4 Einträge von 4" in response.text
    assert "<script>" not in response.text


def test_materials_list_documents_in_a_table_with_caption(client, demo_site):
    html = client.get("/materialien/").text
    assert "<caption>Materialien zum Herunterladen</caption>" in html
    assert "Ratgeber: Diskriminierung bei der Wohnungssuche" in html
    assert 'href="/dokumente/' in html
