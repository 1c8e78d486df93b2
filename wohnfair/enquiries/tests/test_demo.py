from wagtail.models import Site

from wohnfair.enquiries.demo import build_demo_enquiries
from wohnfair.enquiries.models import Enquiry
from wohnfair.enquiries.routing import organisation_for_site
from wohnfair.newsletter.demo import build_demo_newsletter
from wohnfair.newsletter.models import Subscriber


def test_demo_enquiries_and_subscribers_are_built_once(org_a, org_b):
    assert len(build_demo_enquiries()) == 4
    build_demo_enquiries()
    assert Enquiry.objects.of_organisation(org_a).count() == 4
    assert organisation_for_site(Site.objects.get(is_default_site=True)) == org_a
    build_demo_newsletter()
    build_demo_newsletter()
    assert Subscriber.objects.filter(status="confirmed").count() == 2
