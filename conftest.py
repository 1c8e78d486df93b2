"""Shared personas: two offices A and B in one network, and who works where.

Every staff view is tried as a member of the other organisation and as an
anonymous visitor; these fixtures make that a one-liner.
"""

import pytest
from django.test import Client

from wohnfair.accounts.models import Organisation, Role
from wohnfair.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Planerladen Dortmund", code="PL")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Beratungsstelle Bochum", code="BO")


@pytest.fixture
def network(db, org_a, org_b):
    network = OrganisationFactory(
        name="ada.nrw Netzwerk", code="ADA", kind=Organisation.Kind.NETWORK
    )
    network.member_organisations.add(org_a, org_b)
    return network


def _member(organisation, role, email):
    return MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email)
    ).user


@pytest.fixture
def counsellor_a(org_a):
    return _member(org_a, Role.COUNSELLOR, "beratung@a.example")


@pytest.fixture
def lead_a(org_a):
    return _member(org_a, Role.LEAD, "leitung@a.example")


@pytest.fixture
def editor_a(org_a):
    return _member(org_a, Role.EDITOR, "redaktion@a.example")


@pytest.fixture
def counsellor_b(org_b):
    return _member(org_b, Role.COUNSELLOR, "beratung@b.example")


@pytest.fixture
def lead_b(org_b):
    return _member(org_b, Role.LEAD, "leitung@b.example")


@pytest.fixture
def network_analyst(network):
    return _member(network, Role.NETWORK_ANALYST, "netzwerk@example.org")


@pytest.fixture
def login(client):
    """Log a persona in: ``login(lead_a)`` returns the client."""

    def _login(user, *, mfa: bool = False) -> Client:
        client.force_login(user)
        if mfa:
            session = client.session
            session["account_authentication_methods_user"] = str(user.pk)
            session["account_authentication_methods"] = [
                {"method": "password", "at": 0, "email": user.email},
                {"method": "mfa", "at": 0, "type": "totp", "id": 1},
            ]
            session.save()
        return client

    return _login


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def vocabularies(transactional_db):
    """Transactional tests flush the database, seeded vocabularies included: seed again."""
    from wohnfair.cases.models import ConsentText, PeriodRule, Term
    from wohnfair.cases.vocabularies import seed_period_rules, seed_vocabularies

    seed_vocabularies(Term, ConsentText)
    seed_period_rules(PeriodRule)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that need no real hash use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _german_by_default():
    """Every test starts in German, whatever language an earlier test left active."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.deactivate()
