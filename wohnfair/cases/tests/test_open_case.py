import threading
from datetime import date

import pytest
from django.db import connection

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import services
from wohnfair.cases.models import Case, CaseCounter


def test_case_gets_a_readable_number_per_organisation_and_year(
    make_case, org_a, org_b, counsellor_a, counsellor_b
):
    first = make_case(org_a, by=counsellor_a)
    second = make_case(org_a, by=counsellor_a)
    other = make_case(org_b, by=counsellor_b)
    next_year = make_case(org_a, by=counsellor_a, first_contact=date(2027, 1, 4))
    assert [first.number, second.number, other.number, next_year.number] == [
        "PL-2026-0001",
        "PL-2026-0002",
        "BO-2026-0001",
        "PL-2027-0001",
    ]


def test_opening_writes_person_incident_consents_and_audit(case_a, counsellor_a):
    person = case_a.persons.get()
    assert person.name == "Aylin Demir"
    assert case_a.incidents.get().merkmale.get().code == "ethnic_origin"
    assert sorted(case_a.consents.values_list("purpose", flat=True)) == [
        "counselling",
        "statistics",
    ]
    assert list(case_a.counsellors.all()) == [counsellor_a]
    entry = AuditEntry.objects.get(action="case.opened")
    assert entry.object_id == str(case_a.pk)
    assert "Aylin" not in str(entry.details)


@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_never_share_a_number(vocabularies, org_a, counsellor_a, make_case):
    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    barrier = threading.Barrier(4)
    errors = []

    def open_one():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            make_case(org_a, by=counsellor_a)
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(Case.objects.unscoped("test").values_list("number", flat=True))
    assert sorted(numbers) == [f"PL-2026-000{n}" for n in range(1, 5)]
    assert CaseCounter.objects.get().last == 4


def test_a_failure_midway_leaves_nothing_behind(org_a, counsellor_a, monkeypatch):
    from wohnfair.cases.tests.conftest import term

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "record_consent", explode)
    with pytest.raises(RuntimeError):
        services.open_case(
            organisation=org_a,
            opened_by=counsellor_a,
            case_type="beratung",
            first_contact=date(2026, 3, 2),
            channel=term("channel", "walk_in"),
            person=services.PersonData(name="X"),
            consents=["counselling"],
        )
    assert Case.objects.unscoped("test").count() == 0
