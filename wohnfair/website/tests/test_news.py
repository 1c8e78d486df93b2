"""Aktuell: archive by year, tag and campaign; the Atom feed; Standpunkte with PDF."""

import xml.etree.ElementTree as ET
from datetime import date

from wohnfair.website.models import CampaignPage, NewsIndexPage, NewsPage

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(html: str) -> set[str]:
    return {news.title for news in NewsPage.objects.all() if news.title in html}


def test_the_archive_filters_by_year_tag_and_campaign(client, demo_site):
    by_year = client.get("/aktuell/?jahr=2025").text
    assert titles(by_year) == {"Zwei-Monats-Frist im AGG: Reform in der Diskussion"}
    by_tag = client.get("/aktuell/?thema=beratung").text
    assert titles(by_tag) == {"Neue Sprechzeiten auf Türkisch und Arabisch"}
    campaign = CampaignPage.objects.get(slug="fair-vermieten")
    by_campaign = client.get(f"/aktuell/?aktion={campaign.pk}").text
    assert titles(by_campaign) == {"Infoabend für Vermieterinnen und Vermieter"}
    assert len(titles(client.get("/aktuell/").text)) == 4


def test_bad_archive_parameters_answer_normally(client, demo_site):
    for query in ["jahr=abc", "aktion=1%27%20OR%201=1", "thema=" + "x" * 2000, "seite=-5"]:
        response = client.get(f"/aktuell/?{query}")
        assert response.status_code == 200, query
    assert "Keine Nachrichten gefunden." in client.get("/aktuell/?jahr=1990").text


def test_the_feed_is_valid_atom_with_the_latest_items_first(client, demo_site):
    response = client.get("/aktuell/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        news.title for news in NewsPage.objects.live().order_by("-date")
    ]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/aktuell/jahresbericht-2025/")
    assert 'type="application/atom+xml"' in client.get("/aktuell/").text


def test_a_new_item_leads_the_feed_and_an_unpublished_one_leaves_it(client, demo_site):
    index = NewsIndexPage.objects.get()
    fresh = NewsPage(title="Neue Broschüre erschienen", slug="broschuere", date=date(2026, 11, 1))
    index.add_child(instance=fresh)
    fresh.save_revision().publish()
    NewsPage.objects.get(slug="agg-frist-reform").unpublish()
    root = ET.fromstring(client.get("/aktuell/feed/").content)  # noqa: S314 (our own feed)
    entry_titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert entry_titles[0] == "Neue Broschüre erschienen"
    assert "Zwei-Monats-Frist im AGG: Reform in der Diskussion" not in entry_titles


def test_positions_show_date_addressee_summary_and_pdf(client, demo_site):
    html = client.get("/standpunkte/").text
    assert "Bundesministerium der Justiz" in html
    assert '<time datetime="2026-02-10">' in html
    detail = client.get("/standpunkte/agg-reform/").text
    assert "Stellungnahme als PDF herunterladen" in detail
    pdf_url = detail.split('<a class="button" href="')[1].split('"')[0]
    assert pdf_url.startswith("/dokumente/")
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-1.4")


def test_campaign_index_features_the_current_campaign(client, demo_site):
    html = client.get("/info/aktuelle-aktion/").text
    featured = html.split('id="current-heading"')[1].split("</h2>")[0]
    assert "Fair vermieten" in featured
    assert "Frühere Aktionen" in html and "Wohnungsanzeigen unter der Lupe" in html


def test_milestones_run_since_1997_in_order(client, demo_site):
    html = client.get("/info/meilensteine/").text
    first, last = html.index(">1997</time>"), html.index(">2019</time>")
    assert first < html.index(">2009</time>") < last


def test_public_workspace_milestones_join_the_timeline_and_refresh_the_cache(
    client, demo_site, org_a, org_b
):
    from datetime import date

    from wohnfair.enquiries.models import WebsiteSettings
    from wohnfair.enquiries.routing import organisation_for_site
    from wohnfair.monitoring.models import Milestone
    from wohnfair.website.models import MilestonesPage

    page = MilestonesPage.objects.filter(locale__language_code="de").first()
    site = page.get_site()
    WebsiteSettings.objects.update_or_create(site=site, defaults={"organisation": org_a})
    organisation = organisation_for_site(site)
    assert organisation == org_a
    Milestone.objects.create(
        organisation=org_b,
        date=date(2026, 2, 1),
        title="Meilenstein einer anderen Stelle",
        is_public=True,
    )
    url = page.url
    assert "Erste Testing-Studie im Landkreis" not in client.get(url).text
    Milestone.objects.create(
        organisation=organisation,
        date=date(2026, 3, 1),
        title="Erste Testing-Studie im Landkreis",
        is_public=True,
    )
    Milestone.objects.create(
        organisation=organisation, date=date(2026, 4, 1), title="Interner Meilenstein"
    )
    html = client.get(url).text
    assert "Erste Testing-Studie im Landkreis" in html
    assert "Interner Meilenstein" not in html
    assert "Meilenstein einer anderen Stelle" not in html
