"""Demo enquiries for the Planerladen (PL) office, and the default site's settings."""

from __future__ import annotations

import secrets

from wagtail.models import Site

from wohnfair.accounts.models import Organisation
from wohnfair.enquiries.models import Enquiry, EnquiryStatus, WebsiteSettings

DEMO_ENQUIRIES = [
    {
        "kind": "contact",
        "name": "Mehmet Yıldız",
        "email": "mehmet.yildiz@example.org",
        "message": "Ich möchte einen Beratungstermin vereinbaren. Wann haben Sie Sprechstunde?",
    },
    {
        "kind": "mediation",
        "name": "Renate Kowalski",
        "phone": "0231 998877",
        "parties": "Ich und die Familie im Erdgeschoss",
        "address_area": "Nordstadt, Nähe Borsigplatz",
        "message": "Seit Monaten Streit um Kinderwagen im Hausflur und laute Musik.",
        "other_party_knows": "no",
        "preferred_contact": "phone",
    },
    {
        "kind": "support",
        "name": "Amina Diallo",
        "email": "amina.diallo@example.org",
        "message": "Klage nach Absage einer Wohnung wegen meines Namens; Anwaltskosten.",
        "court_stage": "filed",
        "office_involved": "yes",
        "amount_needed": "850.00",
        "status": EnquiryStatus.IN_PROGRESS,
    },
    {
        "kind": "accessibility",
        "page_address": "/materialien/",
        "message": "Die PDF-Broschüre lässt sich mit dem Screenreader nicht lesen.",
    },
]


def build_demo_enquiries() -> list[Enquiry]:
    """Point the default site at PL and add a few enquiries; idempotent.

    Needs the PL organisation (accounts demo) and a default Wagtail site (Wagtail's
    migrations or the website demo) first.
    """
    organisation = Organisation.objects.get(code="PL")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        WebsiteSettings.objects.update_or_create(
            site=site,
            defaults={
                "organisation": organisation,
                "newsletter_sender_name": "Planerladen e.V. – Antidiskriminierungsarbeit Wohnen",
            },
        )
    existing = Enquiry.objects.of_organisation(organisation)
    if existing.exists():
        return list(existing)
    return [
        Enquiry.objects.create(
            organisation=organisation,
            submission_token=secrets.token_urlsafe(24),
            proof_of_work_verified=True,
            **values,
        )
        for values in DEMO_ENQUIRIES
    ]
