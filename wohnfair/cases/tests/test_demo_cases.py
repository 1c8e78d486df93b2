"""The demo case files that `manage.py load_demo` adds for the two demo offices.

Loading takes a few seconds (users, sixty audited cases), so each test checks a lot.
"""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from wohnfair.accounts.models import Organisation
from wohnfair.audit.models import AuditEntry
from wohnfair.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    District,
    Incident,
    Note,
    Person,
    PersonRole,
    Respondent,
)


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def snapshot():
    return {
        "cases": Case.objects.unscoped("test").count(),
        "persons": Person.objects.count(),
        "incidents": Incident.objects.count(),
        "notes": Note.objects.count(),
        "respondents": Respondent.objects.unscoped("test").count(),
        "districts": District.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def demo(db):
    load_demo()
    return {code: Organisation.objects.get(code=code) for code in ("PL", "BO")}


def test_loading_again_adds_nothing_and_everything_was_audited(demo):
    first = snapshot()
    load_demo()
    assert snapshot() == first

    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    assert actions["case.opened"] == 60
    closed = Case.objects.unscoped("test").filter(status=CaseStatus.CLOSED).count()
    assert actions["case.closed"] == closed
    assert actions["case.status_changed"] > 0
    assert actions["respondent.created"] >= 10


def test_about_sixty_varied_cases_across_both_offices(demo):
    assert Case.objects.of_organisation(demo["PL"]).count() == 40
    assert Case.objects.of_organisation(demo["BO"]).count() == 20
    assert District.objects.filter(organisation=demo["PL"]).count() == 12
    assert District.objects.filter(organisation=demo["BO"]).count() == 6
    assert District.objects.filter(organisation=demo["BO"], name="Wattenscheid").exists()

    every = Case.objects.unscoped("test").select_related("organisation")
    assert set(every.values_list("case_type", flat=True)) == set(CaseType.values)
    statuses = Counter(every.values_list("status", flat=True))
    assert statuses[CaseStatus.CLOSED] >= 10
    assert statuses[CaseStatus.IN_PROGRESS] + statuses[CaseStatus.WAITING] >= 5
    assert every.filter(restricted=True).exists()
    assert every.filter(status=CaseStatus.CLOSED, outcome__isnull=False).exists()
    assert not every.filter(status=CaseStatus.CLOSED, closing_reason__isnull=True).exists()
    assert not every.exclude(status=CaseStatus.CLOSED).filter(closed_on__isnull=False).exists()
    assert len(set(every.values_list("channel", flat=True))) >= 4

    today = timezone.localdate()
    for case in every:
        assert today - timedelta(days=731) <= case.first_contact <= today
        assert case.number == f"{case.organisation.code}-{case.year}-{case.sequence:04d}"
        if case.closed_on:
            assert case.first_contact <= case.closed_on <= today
    assert len(set(every.values_list("year", flat=True))) >= 2

    def repeated(organisation, at_least):
        return (
            Respondent.objects.of_organisation(organisation)
            .annotate(incident_count=Count("incidents"))
            .filter(incident_count__gte=at_least)
        )

    assert repeated(demo["PL"], 3).filter(kind__code="housing_company").exists()
    assert repeated(demo["BO"], 2).exists()
    kinds = set(Respondent.objects.unscoped("test").values_list("kind__code", flat=True))
    assert {"housing_company", "private_landlord", "agent", "portal", "authority"} <= kinds


def test_people_and_narratives_are_realistic_and_decrypt(demo):
    seekers = Person.objects.filter(role=PersonRole.ADVICE_SEEKER)
    assert seekers.count() == 60
    assert len(set(seekers.values_list("name_index", flat=True))) >= 50  # few repeats
    for person in seekers:
        assert " " in person.name
        assert person.email or person.phone
    descriptions = [incident.description for incident in Incident.objects.all()]
    assert all(len(text) > 40 for text in descriptions)
    assert not any("{" in text for text in descriptions)
    assert any("Wohnung" in text for text in descriptions)
    assert Note.objects.exists()
    # Mediation cases name the other party.
    assert Person.objects.filter(role=PersonRole.PARTY).exists()


def test_without_the_demo_offices_nothing_happens(db):
    from wohnfair.cases import demo as cases_demo

    cases_demo.load()
    assert not Case.objects.unscoped("test").exists()
