from wohnfair.cases import services
from wohnfair.cases.models import Respondent
from wohnfair.cases.tests.conftest import term


def respondent(org, name, kind="housing_company"):
    return Respondent.objects.create(organisation=org, kind=term("verursachende", kind), name=name)


def test_similar_names_are_found_regardless_of_case_accents_and_suffixes(org_a, org_b):
    respondent(org_a, "Wohnbau Nord AG")
    respondent(org_a, "Müller Immobilien GmbH", "agent")
    respondent(org_a, "Ganz Anders KG")
    respondent(org_b, "Wohnbau Nord AG")  # another organisation's record
    names = lambda query: [r.name for r in services.similar_respondents(org_a, query)]  # noqa: E731
    assert names("wohnbau nord") == ["Wohnbau Nord AG"]
    assert names("muller immobilien") == ["Müller Immobilien GmbH"]
    assert names("x") == []
    assert names("Völlig Neu") == []


def test_creating_a_respondent_with_a_similar_name_asks_first(login, counsellor_a, org_a):
    respondent(org_a, "Wohnbau Nord AG")
    client = login(counsellor_a)
    data = {"kind": term("verursachende", "housing_company").pk, "name": "Wohnbau Nord"}
    first = client.post("/staff/verursachende/neu/", data)
    assert first.status_code == 400
    assert "Ähnliche Verursachende gibt es schon" in first.text
    assert Respondent.objects.of_organisation(org_a).count() == 1
    second = client.post("/staff/verursachende/neu/", {**data, "confirm_new_respondent": "1"})
    assert second.status_code == 302
    assert Respondent.objects.of_organisation(org_a).count() == 2


def test_bad_respondent_input_is_refused(login, counsellor_a, org_a):
    response = login(counsellor_a).post(
        "/staff/verursachende/neu/", {"kind": "999", "name": "", "flats_count": "-3"}
    )
    assert response.status_code == 400
    assert "zwingend erforderlich" in response.text
    assert not Respondent.objects.of_organisation(org_a).exists()


def test_respondent_page_lists_the_cases_involving_it(
    login, lead_a, counsellor_a, org_a, make_case
):
    landlord = respondent(org_a, "Vermieter V.", "private_landlord")
    involved = make_case(org_a, by=counsellor_a)
    other = make_case(org_a, by=counsellor_a)
    incident = involved.incidents.get()
    incident.respondent = landlord
    incident.save()
    page = login(lead_a).get(f"/staff/verursachende/{landlord.pk}/").text
    assert involved.number in page
    assert other.number not in page


def test_search_while_typing_returns_similar_names(login, counsellor_a, org_a):
    respondent(org_a, "Wohnbau Nord AG")
    response = login(counsellor_a).get(
        "/staff/verursachende/suche/", {"respondent-new_respondent_name": "Wohnbau"}
    )
    assert "Wohnbau Nord AG" in response.text


def test_respondent_list_shows_only_the_own_organisation(login, counsellor_a, org_a, org_b):
    respondent(org_a, "Eigene GmbH")
    respondent(org_b, "Fremde GmbH")
    page = login(counsellor_a).get("/staff/verursachende/").text
    assert "Eigene GmbH" in page
    assert "Fremde GmbH" not in page
