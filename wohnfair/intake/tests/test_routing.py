"""Routing: the longest postcode prefix wins, else district, else city, else the
network queue (None); ambiguous matches go to the network queue as well."""

import pytest

from wohnfair.accounts.tests.factories import OrganisationFactory
from wohnfair.intake.models import CatchmentArea
from wohnfair.intake.services import organisation_for
from wohnfair.intake.tests.conftest import all_reports, valid_data


def area(organisation, prefix="", district=""):
    return CatchmentArea.objects.create(
        organisation=organisation, postcode_prefix=prefix, district=district
    )


@pytest.fixture
def org_c(db):
    return OrganisationFactory(name="Beratung Essen", code="ES")


def test_the_longest_postcode_prefix_wins(org_a, org_b):
    area(org_a, "44")
    area(org_b, "441")
    assert organisation_for("44137", "", "") == org_b
    assert organisation_for("44787", "", "") == org_a
    area(org_a, "44137")
    assert organisation_for("44137", "", "") == org_a


def test_a_postcode_match_beats_district_and_city(org_a, org_b):
    area(org_a, "447")
    area(org_b, district="Dortmund")
    assert organisation_for("44787", "Dortmund", "") == org_a


def test_equal_prefixes_are_told_apart_by_district_else_network_queue(org_a, org_b):
    area(org_a, "441")
    area(org_b, "441")
    area(org_b, district="Hörde")
    assert organisation_for("44137", "Dortmund", "Hörde") == org_b
    assert organisation_for("44137", "Dortmund", "Eving") is None


def test_without_a_postcode_match_the_district_then_the_city_decides(org_a, org_b):
    area(org_a, district="Dortmund")
    area(org_b, district="Innenstadt-Nord")
    assert organisation_for("", "Dortmund", "innenstadt nord") == org_b
    assert organisation_for("", "dortmund", "Eving") == org_a
    assert organisation_for("50667", "DORTMUND", "") == org_a


def test_names_match_without_case_accents_or_hyphens(org_a):
    area(org_a, district="Hörde")
    assert organisation_for("", "", "horde") == org_a
    assert organisation_for("", "", "  HÖRDE ") == org_a


def test_no_match_or_an_ambiguous_one_goes_to_the_network_queue(org_a, org_b):
    assert organisation_for("44137", "Dortmund", "") is None
    area(org_a, district="Ruhrgebiet")
    area(org_b, district="Ruhrgebiet")
    assert organisation_for("", "Ruhrgebiet", "") is None
    assert organisation_for("", "", "") is None


def test_a_submitted_report_is_routed(post_report, org_a, org_b, org_c):
    area(org_a, "441")
    area(org_b, "447")
    area(org_c, district="Essen")
    post_report(valid_data(postcode="44137", city="Dortmund"))
    post_report(valid_data(postcode="44787", city="Bochum"))
    post_report(valid_data(postcode="", city="Essen", district=""))
    post_report(valid_data(postcode="50667", city="Köln", district=""))
    routed = {report.postcode or report.city: report.organisation for report in all_reports()}
    assert routed == {"44137": org_a, "44787": org_b, "Essen": org_c, "50667": None}
