"""Which organisation a site's enquiries go to."""

from wagtail.models import Site

from wohnfair.enquiries.models import WebsiteSettings
from wohnfair.enquiries.routing import organisation_for_site


def test_the_site_setting_decides(org_a, org_b):
    site = Site.objects.get(is_default_site=True)
    assert organisation_for_site(site) is None  # two offices, nothing configured
    WebsiteSettings.objects.create(site=site, organisation=org_b)
    assert organisation_for_site(site) == org_b


def test_the_only_office_is_the_fallback(org_a, network):
    # network brings a second office (org_b): no fallback then
    assert organisation_for_site(None) is None


def test_one_office_alone_gets_everything(org_a):
    assert organisation_for_site(Site.objects.get(is_default_site=True)) == org_a
    assert organisation_for_site(None) == org_a


def test_a_setting_without_organisation_falls_back(org_a):
    site = Site.objects.get(is_default_site=True)
    WebsiteSettings.objects.create(site=site, organisation=None)
    assert organisation_for_site(site) == org_a
