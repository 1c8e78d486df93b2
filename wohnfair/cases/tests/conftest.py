from datetime import date

import pytest

from wohnfair.cases import services
from wohnfair.cases.models import District, Term


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code)


@pytest.fixture
def district_a(org_a):
    return District.objects.create(organisation=org_a, name="Innenstadt-Nord")


@pytest.fixture
def make_case(db):
    """``make_case(org, by=user, name="...", description="...", **case_fields)``."""

    def _make(organisation, *, by, name="Aylin Demir", description="", restricted=False, **fields):
        return services.open_case(
            organisation=organisation,
            opened_by=by,
            case_type=fields.pop("case_type", "beratung"),
            first_contact=fields.pop("first_contact", date(2026, 3, 2)),
            channel=term("channel", "walk_in"),
            restricted=restricted,
            counsellors=fields.pop("counsellors", None),
            person=services.PersonData(name=name, email="aylin@example.org", phone="0231 1234"),
            incident=services.IncidentData(
                date=fields.pop("incident_date", date(2026, 2, 20)),
                lebensbereich=term("lebensbereich", "flat_search"),
                merkmale=[term("merkmal", "ethnic_origin")],
                description=description,
                form=term("form", "direct"),
                ebene=term("ebene", "individual"),
            ),
            consents=fields.pop("consents", ["counselling", "statistics"]),
        )

    return _make


@pytest.fixture
def case_a(make_case, org_a, counsellor_a):
    return make_case(org_a, by=counsellor_a)


@pytest.fixture
def create_data(district_a):
    """POST data of the "open a case" page, valid unless changed."""

    def _data(**changes):
        data = {
            "form_token": "token-" + "a" * 30,
            "case-case_type": "beratung",
            "case-first_contact": "2026-03-02",
            "case-channel": term("channel", "telephone").pk,
            "case-who_came": "affected",
            "case-language": "tr",
            "person-name": "Mehmet Yılmaz",
            "person-email": "m.yilmaz@example.org",
            "person-phone": "+49 231 555 0101",
            "incident-date": "2026-02-27",
            "incident-district": district_a.pk,
            "incident-lebensbereich": term("lebensbereich", "flat_search").pk,
            "incident-merkmale": [
                term("merkmal", "ethnic_origin").pk,
                term("merkmal", "language").pk,
            ],
            "incident-form": term("form", "direct").pk,
            "incident-description": "Nach Nennung des Namens war die Wohnung plötzlich vergeben.",
            "consent-purposes": ["counselling", "statistics"],
            "consent-given_on": "2026-03-02",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return _data
