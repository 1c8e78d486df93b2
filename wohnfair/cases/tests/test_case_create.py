import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from wohnfair.accounts.tests.factories import OrganisationFactory
from wohnfair.cases.models import Case, District, Respondent
from wohnfair.cases.tests.conftest import term

URL = "/staff/faelle/neu/"


def cases_of(org):
    return Case.objects.of_organisation(org)


def test_counsellor_opens_a_case_with_person_incident_and_consents(
    login, counsellor_a, org_a, create_data
):
    response = login(counsellor_a).post(URL, create_data())
    case = cases_of(org_a).get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.number == "PL-2026-0001"
    assert case.persons.get().name == "Mehmet Yılmaz"
    incident = case.incidents.get()
    assert sorted(incident.merkmale.values_list("code", flat=True)) == ["ethnic_origin", "language"]
    assert sorted(case.consents.values_list("purpose", flat=True)) == ["counselling", "statistics"]
    assert list(case.counsellors.all()) == [counsellor_a]


def test_the_same_form_posted_twice_stores_one_case(login, counsellor_a, org_a, create_data):
    client = login(counsellor_a)
    first = client.post(URL, create_data())
    second = client.post(URL, create_data())
    assert cases_of(org_a).count() == 1
    assert second.status_code == 302
    assert second.url == first.url


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_stores_one_case(vocabularies, counsellor_a, org_a, create_data):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    data = create_data()
    barrier = threading.Barrier(3)
    statuses = []

    def submit():
        from django.db import connection as thread_connection

        client = Client()
        client.force_login(counsellor_a)
        barrier.wait()
        statuses.append(client.post(URL, data).status_code)
        thread_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302, 302]
    assert cases_of(org_a).count() == 1


def test_extra_fields_cannot_set_organisation_status_or_number(
    login, counsellor_a, org_a, org_b, create_data
):
    login(counsellor_a).post(
        URL,
        create_data(
            **{
                "case-organisation": org_b.pk,
                "case-status": "closed",
                "case-number": "X-1",
                "organisation": org_b.pk,
            }
        ),
    )
    case = cases_of(org_a).get()
    assert case.status == "open"
    assert case.number == "PL-2026-0001"
    assert not cases_of(org_b).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"person-name": ""}, "Dieses Feld ist zwingend erforderlich"),
        ({"incident-merkmale": None}, "Dieses Feld ist zwingend erforderlich"),
        ({"case-first_contact": str(timezone.localdate() + timedelta(days=1))}, "in der Zukunft"),
        ({"incident-date": str(timezone.localdate() + timedelta(days=3))}, "in der Zukunft"),
        ({"incident-date_end": "2026-01-01"}, "Das Ende liegt vor dem Beginn"),
        ({"incident-lebensbereich": "99999"}, "keine gültige Auswahl"),
        ({"case-first_contact": "31.02.2026"}, "gültiges Datum"),
        ({"person-email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"person-phone": "<script>alert(1)</script>"}, "nur Ziffern"),
        ({"consent-purposes": ["counselling", "everything"]}, "keine gültige Auswahl"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(
    login, counsellor_a, org_a, create_data, changes, message
):
    response = login(counsellor_a).post(URL, create_data(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert not cases_of(org_a).exists()
    assert not Respondent.objects.of_organisation(org_a).exists()


def test_a_retired_term_cannot_be_chosen_for_new_cases(login, counsellor_a, org_a, create_data):
    retired = term("merkmal", "other")
    retired.is_active = False
    retired.save()
    response = login(counsellor_a).post(URL, create_data(**{"incident-merkmale": [retired.pk]}))
    assert response.status_code == 400
    assert "keine gültige Auswahl" in response.text
    assert not cases_of(org_a).exists()


def test_foreign_district_and_respondent_ids_are_refused(login, counsellor_a, org_a, create_data):
    other = OrganisationFactory(code="XX")
    foreign_district = District.objects.create(organisation=other, name="Fremd")
    foreign_respondent = Respondent.objects.create(
        organisation=other, kind=term("verursachende", "housing_company"), name="Fremd AG"
    )
    for field, value in [
        ("incident-district", foreign_district.pk),
        ("incident-respondent", foreign_respondent.pk),
    ]:
        response = login(counsellor_a).post(URL, create_data(**{field: value}))
        assert response.status_code == 400
        assert "keine gültige Auswahl" in response.text
    assert not cases_of(org_a).exists()


def test_markup_is_stored_as_text_and_shown_escaped(login, counsellor_a, org_a, create_data):
    client = login(counsellor_a)
    client.post(URL, create_data(**{"incident-description": "<script>alert('x')</script>"}))
    page = client.get(cases_of(org_a).get().get_absolute_url())
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text


def test_new_respondent_with_a_similar_name_is_offered_before_creating(
    login, counsellor_a, org_a, create_data
):
    Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "housing_company"), name="Wohnbau Nord AG"
    )
    data = create_data(
        **{
            "respondent-new_respondent_name": "Wohnbau Nord",
            "respondent-new_respondent_kind": term("verursachende", "housing_company").pk,
        }
    )
    client = login(counsellor_a)
    offered = client.post(URL, data)
    assert offered.status_code == 400
    assert "Ähnliche Verursachende gibt es schon" in offered.text
    assert "Wohnbau Nord AG" in offered.text
    assert not cases_of(org_a).exists()

    confirmed = client.post(URL, {**data, "respondent-confirm_new_respondent": "on"})
    assert confirmed.status_code == 302
    assert Respondent.objects.of_organisation(org_a).count() == 2
    assert cases_of(org_a).get().incidents.get().respondent.name == "Wohnbau Nord"


def test_choosing_an_existing_respondent_creates_none(login, counsellor_a, org_a, create_data):
    existing = Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "private_landlord"), name="Herr K."
    )
    login(counsellor_a).post(URL, create_data(**{"incident-respondent": existing.pk}))
    assert Respondent.objects.of_organisation(org_a).count() == 1
    assert cases_of(org_a).get().incidents.get().respondent == existing


def test_a_missing_or_forged_form_token_stores_nothing(login, counsellor_a, org_a, create_data):
    response = login(counsellor_a).post(URL, create_data(form_token="x"))
    assert response.status_code == 400
    assert "Formular ist ungültig" in response.text
    assert not cases_of(org_a).exists()


@pytest.mark.parametrize("role_user", ["editor_a", "network_analyst"])
def test_roles_without_case_work_may_not_open_cases(login, request, role_user, create_data):
    user = request.getfixturevalue(role_user)
    assert login(user).post(URL, create_data()).status_code == 403
