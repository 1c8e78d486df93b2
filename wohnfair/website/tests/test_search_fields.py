"""Every page type gives its text to the search index (the search view is in search.py)."""

from wagtail.models import Page


def found(query: str) -> list[str]:
    return [page.title for page in Page.objects.live().search(query)]


def test_the_seed_text_of_ueberblick_is_found(demo_site):
    assert "Überblick" in found("Integrationsagentur")


def test_bodies_summaries_and_structured_fields_are_indexed(demo_site):
    assert "Stellungnahme zur Reform des Allgemeinen Gleichbehandlungsgesetzes" in found(
        "Bundesministerium"
    )  # the addressee of a position
    assert "Links" in found("Mieterverein")  # an entry of the link directory
    assert "Meilensteine" in found("Testing-Studie")  # a milestone
    assert "Kontakt" in found("Roseggerstraße")  # the address of the contact page
    assert "Neue Sprechzeiten auf Türkisch und Arabisch" in found("Sprechzeiten")
