import pytest

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import MembershipFactory, UserFactory
from wohnfair.cases import services
from wohnfair.cases.models import Case, Respondent, Term, Vocabulary
from wohnfair.cases.tests.conftest import term

URL = "/staff/faelle/"


@pytest.fixture
def colleague_a(org_a):
    return MembershipFactory(
        organisation=org_a, role=Role.COUNSELLOR, user=UserFactory(email="kollegin@a.example")
    ).user


def test_counsellor_sees_own_cases_by_default_and_all_on_request(
    login, org_a, counsellor_a, colleague_a, make_case
):
    mine = make_case(org_a, by=counsellor_a)
    theirs = make_case(org_a, by=colleague_a, name="Olga Petrenko")
    client = login(counsellor_a)
    default = client.get(URL).text
    assert mine.number in default
    assert theirs.number not in default
    everything = client.get(URL, {"alle": "on"}).text
    assert theirs.number in everything


def test_lead_sees_all_cases_of_the_organisation(
    login, org_a, lead_a, counsellor_a, colleague_a, make_case
):
    first = make_case(org_a, by=counsellor_a)
    second = make_case(org_a, by=colleague_a)
    page = login(lead_a).get(URL).text
    assert first.number in page
    assert second.number in page


def test_cases_of_another_organisation_never_appear(
    login, org_a, org_b, lead_a, counsellor_b, make_case
):
    foreign = make_case(org_b, by=counsellor_b, name="Fremde Person")
    page = login(lead_a).get(URL, {"q": "Fremde"}).text
    assert foreign.number not in page
    assert "Fremde Person" not in page


def test_restricted_case_is_hidden_from_unassigned_counsellors(
    login, org_a, lead_a, counsellor_a, make_case
):
    hidden = make_case(org_a, by=lead_a, restricted=True, counsellors=[lead_a])
    assert hidden.number not in login(counsellor_a).get(URL, {"alle": "on"}).text
    assert hidden.number in login(lead_a).get(URL).text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Demir"}, {"first"}),
        ({"q": "demir"}, {"first"}),
        ({"q": "Petrenko"}, {"second"}),
        ({"q": "PL-2026-0002"}, {"second"}),
        ({"q": "Wohnbau"}, {"second"}),
        ({"status": "closed"}, {"second"}),
        ({"typ": "konflikt"}, {"second"}),
        ({"merkmal": "religion"}, {"second"}),
        ({"lebensbereich": "neighbourhood"}, {"second"}),
        ({"von": "2026-03-01", "bis": "2026-03-03"}, {"first"}),
        ({"merkmal": "ethnic_origin"}, {"first"}),
    ],
)
def test_filters_and_search_find_the_right_cases(
    login, org_a, lead_a, counsellor_a, make_case, params, expected
):
    first = make_case(org_a, by=counsellor_a, name="Aylin Demir")
    second = make_case(
        org_a,
        by=counsellor_a,
        name="Olga Petrenko",
        case_type="konflikt",
        first_contact=first.first_contact.replace(month=5),
    )
    incident = second.incidents.get()
    incident.merkmale.set([term("merkmal", "religion")])
    incident.lebensbereich = term("lebensbereich", "neighbourhood")
    incident.respondent = Respondent.objects.create(
        organisation=org_a, kind=term("verursachende", "housing_company"), name="Wohnbau Nord AG"
    )
    incident.save()
    services.close_case(
        second,
        closing_reason=term("closing_reason", "resolved"),
        outcome=None,
        closed_on=second.first_contact,
        by=lead_a,
    )
    page = login(lead_a).get(URL, params).text
    found = {name for name, case in [("first", first), ("second", second)] if case.number in page}
    assert found == expected


@pytest.mark.parametrize(
    "params",
    [
        {"von": "gestern"},
        {"merkmal": "erfunden"},
        {"berater": "abc"},
        {"seite": "-5"},
        {"seite": "x" * 500},
        {"status": "'; DROP TABLE"},
        {"von": "2026-05-01", "bis": "2026-01-01"},
    ],
)
def test_bad_filter_values_answer_normally_with_a_message(
    login, org_a, lead_a, counsellor_a, make_case, params
):
    case = make_case(org_a, by=counsellor_a)
    response = login(lead_a).get(URL, params)
    assert response.status_code == 200
    assert "Einige Filter sind ungültig" in response.text or params.get("seite")
    assert case.number in response.text


def test_list_is_paginated_without_counting(login, org_a, lead_a, counsellor_a, make_case):
    for _ in range(27):
        make_case(org_a, by=counsellor_a)
    client = login(lead_a)
    first = client.get(URL)
    second = client.get(URL, {"seite": 2})
    assert "Nächste Seite" in first.text
    assert first.text.count('href="/staff/faelle/PL-') == 25
    assert second.text.count('href="/staff/faelle/PL-') == 2
    assert "Nächste Seite" not in second.text


def test_lead_assigns_several_cases_at_once(
    login, org_a, lead_a, counsellor_a, colleague_a, make_case
):
    cases = [make_case(org_a, by=counsellor_a) for _ in range(3)]
    response = login(lead_a).post(
        URL + "zuweisen/",
        {"numbers": [cases[0].number, cases[1].number], "counsellors": [colleague_a.pk]},
    )
    assert response.status_code == 302
    assigned = [list(case.counsellors.all()) for case in cases]
    assert assigned == [[colleague_a], [colleague_a], [counsellor_a]]


def test_bulk_assignment_ignores_foreign_cases_and_users(
    login, org_a, org_b, lead_a, counsellor_a, counsellor_b, make_case
):
    own = make_case(org_a, by=counsellor_a)
    foreign = make_case(org_b, by=counsellor_b)
    response = login(lead_a).post(
        URL + "zuweisen/",
        {"numbers": [own.number, foreign.number], "counsellors": [counsellor_b.pk]},
    )
    assert response.status_code == 302
    assert list(own.counsellors.all()) == [counsellor_a]
    assert list(foreign.counsellors.all()) == [counsellor_b]


def test_counsellor_may_not_bulk_assign(login, org_a, counsellor_a, make_case):
    case = make_case(org_a, by=counsellor_a)
    assert (
        login(counsellor_a)
        .post(URL + "zuweisen/", {"numbers": [case.number], "counsellors": [counsellor_a.pk]})
        .status_code
        == 403
    )


def test_unscoped_case_queries_fail_loudly(org_a, counsellor_a, make_case):
    from wohnfair.lib.scoping import UnscopedQueryError

    make_case(org_a, by=counsellor_a)
    with pytest.raises(UnscopedQueryError):
        list(Case.objects.all())
    with pytest.raises(UnscopedQueryError):
        Case.objects.filter(number__startswith="PL").count()
    with pytest.raises(UnscopedQueryError):
        Respondent.objects.exists()
    assert Case.objects.of_organisation(org_a).count() == 1


def test_the_further_filters_are_folded_away_until_one_is_used(login, org_a, lead_a):
    client = login(lead_a)
    folded = client.get(URL).text
    assert '<details class="filter-more">' in folded
    assert 'name="ergebnis"' in folded and 'name="intervention"' in folded
    outcome = Term.objects.of(Vocabulary.OUTCOME).first()
    opened = client.get(URL, {"ergebnis": outcome.code}).text
    assert '<details class="filter-more" open>' in opened
    refused = client.get(URL, {"ergebnis": "no-such-outcome"}).text
    assert "Einige Filter sind ungültig" in refused
    assert '<details class="filter-more" open>' in refused
