"""`manage.py generate_cases`: synthetic cases in bulk, encrypted and numbered like real ones."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from wohnfair.audit.models import AuditEntry
from wohnfair.cases.models import (
    Case,
    CaseAssignment,
    CaseCounter,
    Consent,
    District,
    Incident,
    Person,
    name_search_token,
)


def generate(code="PL", count=25, **options):
    out = io.StringIO()
    options = {"seed": 7, "batch": 10, "verbosity": 0, **options}
    call_command("generate_cases", org=code, count=count, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def office_a(org_a, counsellor_a, lead_a):
    District.objects.create(organisation=org_a, name="Innenstadt-Nord")
    District.objects.create(organisation=org_a, name="Eving")
    return org_a


def cases_of(organisation):
    return Case.objects.of_organisation(organisation)


def test_creates_exactly_the_requested_cases_with_unique_numbers(office_a):
    generate(count=25, batch=10)  # three batches, the last one short

    cases = cases_of(office_a)
    assert cases.count() == 25
    numbers = list(cases.values_list("number", flat=True))
    assert len(set(numbers)) == 25
    for case in cases:
        assert case.number == f"PL-{case.year}-{case.sequence:04d}"
        assert case.year == case.first_contact.year
    assert Person.objects.filter(case__organisation=office_a).count() == 25
    assert Incident.objects.filter(case__organisation=office_a).count() == 25


def test_each_case_has_an_incident_with_merkmale_consents_and_counsellors(
    office_a, counsellor_a, counsellor_b
):
    generate(count=40, batch=15)

    incidents = Incident.objects.filter(case__organisation=office_a).prefetch_related("merkmale")
    for incident in incidents:
        codes = [term.vocabulary for term in incident.merkmale.all()]
        assert codes and set(codes) == {"merkmal"}
        assert incident.lebensbereich.vocabulary == "lebensbereich"
        assert incident.district is None or incident.district.organisation_id == office_a.pk

    consents = Counter(
        Consent.objects.filter(case__organisation=office_a).values_list("purpose", flat=True)
    )
    assert consents["counselling"] == 40
    assert 0 < consents["statistics"] < 40

    assigned = set(
        CaseAssignment.objects.filter(case__organisation=office_a).values_list("user", flat=True)
    )
    # Counsellors of the office only: not the lead (there is a counsellor), not office B.
    assert assigned == {counsellor_a.pk}
    for case in cases_of(office_a):
        assert case.assignments.exists()
        assert case.created_by_id == counsellor_a.pk
        if case.is_closed:
            assert case.closing_reason is not None and case.closed_on is not None


def test_names_and_contact_data_are_encrypted_and_findable(office_a):
    generate(count=5)

    person = Person.objects.filter(case__organisation=office_a).first()
    assert person.name and " " in person.name
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, phone FROM cases_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert stored[0].startswith("wf1:")
    assert person.name.split()[0] not in stored[0]
    for value in stored[1:]:
        assert value == "" or value.startswith("wf1:")
    last_word = person.name.split()[-1]
    assert name_search_token(last_word) in person.name_index.split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM cases_incident")
        descriptions = [row[0] for row in cursor.fetchall()]
    assert all(text == "" or text.startswith("wf1:") for text in descriptions)


def test_counters_continue_and_a_case_opened_afterwards_gets_the_next_number(
    office_a, make_case, counsellor_a
):
    before = make_case(office_a, by=counsellor_a, first_contact=timezone.localdate())
    generate(count=30)

    cases = cases_of(office_a)
    per_year = Counter(cases.values_list("year", flat=True))
    for counter in CaseCounter.objects.filter(organisation=office_a):
        assert counter.last == per_year[counter.year]
        assert sorted(cases.filter(year=counter.year).values_list("sequence", flat=True)) == list(
            range(1, counter.last + 1)
        )
    this_year = timezone.localdate().year
    assert before.number == f"PL-{this_year}-0001"

    after = make_case(office_a, by=counsellor_a, first_contact=timezone.localdate())
    assert after.number == f"PL-{this_year}-{per_year[this_year] + 1:04d}"
    assert cases.filter(number=after.number).count() == 1


def test_other_organisations_are_left_alone(office_a, org_b, counsellor_b, make_case):
    other = make_case(org_b, by=counsellor_b)
    generate(count=10)
    assert list(cases_of(org_b)) == [other]
    assert not CaseCounter.objects.filter(organisation=org_b).exclude(year=2026).exists()


def test_same_seed_gives_the_same_content(office_a, org_b, counsellor_b):
    District.objects.create(organisation=org_b, name="Bochum-Mitte")
    District.objects.create(organisation=org_b, name="Wattenscheid")
    generate("PL", count=8, seed=3)
    generate("BO", count=8, seed=3)

    def shape(organisation):
        return [
            (case.first_contact, case.status, case.case_type, case.restricted)
            for case in cases_of(organisation).order_by("year", "sequence")
        ]

    assert shape(office_a) == shape(org_b)


def test_progress_and_summary_are_printed(office_a):
    output = generate(count=12, batch=5, verbosity=1)
    assert "Erzeuge 12 Fälle für PL" in output
    assert "10/12" in output
    assert "12 Fälle in" in output
    assert AuditEntry.objects.filter(action="case.generated", organisation=office_a).count() == 1


def test_unknown_organisation_is_refused(office_a):
    with pytest.raises(CommandError, match=r"Unbekannte Organisation „XX“.*PL"):
        generate("XX")
    assert not cases_of(office_a).exists()


def test_organisation_without_case_workers_is_refused(network):
    with pytest.raises(CommandError, match="keine aktiven Berater"):
        generate("ADA")


@pytest.mark.parametrize("option", [{"count": 0}, {"batch": 0}])
def test_nonsense_sizes_are_refused(office_a, option):
    with pytest.raises(CommandError):
        generate(**{"count": 5, **option})
