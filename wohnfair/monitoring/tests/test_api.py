"""The read-only statistics API: authentication, errors as JSON, scoping, suppression."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from wohnfair.monitoring import api_query
from wohnfair.monitoring.aggregation import DIMENSIONS, GRANULARITIES
from wohnfair.monitoring.api_schema import schema
from wohnfair.monitoring.models import ApiToken, StatisticsPolicy
from wohnfair.monitoring.tests.pool_helpers import add_cases, recoverable_cells
from wohnfair.monitoring.tokens import create_token

URL = "/api/v1/statistics/"
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def member_cases(network, org_a, org_b, lead_a, lead_b):
    add_cases(org_a, lead_a, 12, merkmal="ethnic_origin")
    add_cases(org_a, lead_a, 2, merkmal="age")
    add_cases(org_b, lead_b, 7, merkmal="ethnic_origin")
    add_cases(org_b, lead_b, 4, merkmal="religion", consent="none")
    # Withheld to protect "age" (the smallest other figure of the column).
    add_cases(org_b, lead_b, 6, merkmal="language")
    return network


def token_for(user):
    return create_token(user.memberships.get(), name="Test").token


def bearer(client, token, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def row(body, dimension, code):
    return next(r for r in body["dimensions"][dimension]["rows"] if r["code"] == code)


# --- authentication ------------------------------------------------------------------------


def test_without_authentication_the_answer_is_401_json(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "Bearer" in response["WWW-Authenticate"]


@pytest.mark.parametrize("state", ["wrong", "expired", "revoked", "not bearer", "left org"])
def test_a_bad_token_gets_401(client, lead_a, state):
    token = token_for(lead_a)
    record = ApiToken.objects.of_organisation(lead_a.memberships.get().organisation).get()
    header = f"Bearer {token}"
    if state == "wrong":
        header = f"Bearer {token[:-2]}xx"
    elif state == "expired":
        record.expires_at = timezone.now() - timedelta(seconds=1)
        record.save()
    elif state == "revoked":
        record.revoked_at = timezone.now()
        record.save()
    elif state == "not bearer":
        header = f"Basic {token}"
    elif state == "left org":
        lead_a.memberships.update(is_active=False)
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_valid_token_reads_and_is_marked_as_used(client, lead_a, org_a):
    add_cases(org_a, lead_a, 2, merkmal="age")
    token = token_for(lead_a)
    response = bearer(client, token, dimension="merkmal", **YEAR)
    assert response.status_code == 200
    assert row(response.json(), "merkmal", "age")["total"]["count"] == 2
    record = ApiToken.objects.of_organisation(org_a).get()
    assert record.last_used_at is not None
    assert record.token_hash != token and token not in record.prefix + "…"


def test_the_session_of_staff_works_too(login, counsellor_a):
    response = login(counsellor_a).get(URL, {"dimension": "case_type", **YEAR})
    assert response.status_code == 200
    assert response.json()["scope"] == "organisation"


def test_an_editor_is_not_allowed(login, editor_a):
    response = login(editor_a).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


# --- bad input -----------------------------------------------------------------------------

BAD = {
    "unknown dimension": ({"dimension": "horoscope"}, "unknown_dimension", "dimension"),
    "one of several unknown": ({"dimension": "merkmal,x"}, "unknown_dimension", "dimension"),
    "unknown case type": ({"case_type": "lawsuit"}, "unknown_value", "case_type"),
    "unknown status": ({"status": "archived"}, "unknown_value", "status"),
    "unknown granularity": ({"granularity": "week"}, "unknown_granularity", "granularity"),
    "end before start": ({"start": "2025-05-01", "end": "2025-04-30"}, "invalid_period", "end"),
    "over 20 years": ({"start": "2000-01-01", "end": "2025-01-01"}, "invalid_period", "end"),
    "bad date": ({"start": "1.1.2025"}, "invalid_date", "start"),
    "unknown parameter": ({"dimensions": "merkmal"}, "unknown_parameter", "dimensions"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_gets_400_with_a_json_error(login, counsellor_a, name):
    params, code, field = BAD[name]
    response = login(counsellor_a).get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


def test_nothing_under_api_answers_with_html(login, counsellor_a):
    client = login(counsellor_a)
    missing = client.get("/api/v1/nichts/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    posted = client.post(URL)
    assert posted.status_code == 405 and posted.json()["error"]["code"] == "method_not_allowed"


# --- scoping -------------------------------------------------------------------------------


def test_office_staff_get_exact_counts_of_their_own_organisation(login, counsellor_a, member_cases):
    body = login(counsellor_a).get(URL, {"dimension": "merkmal", **YEAR}).json()
    assert body["organisation"]["code"] == "PL" and body["pooled"] is False
    assert row(body, "merkmal", "ethnic_origin")["total"]["count"] == 12
    assert row(body, "merkmal", "age")["total"] == {"count": 2, "suppressed": False, "display": "2"}


@pytest.mark.parametrize("code", ["BO", "ADA", "bo"])
def test_office_staff_cannot_ask_for_another_organisation(login, counsellor_a, member_cases, code):
    response = login(counsellor_a).get(URL, {"organisation": code})
    assert response.status_code == 403
    assert response.json()["error"]["field"] == "organisation"


def test_network_role_gets_pooled_suppressed_figures_like_the_view(
    client, network_analyst, member_cases
):
    body = bearer(client, token_for(network_analyst), dimension="merkmal", **YEAR).json()
    assert body["scope"] == "network" and body["pooled"] is True and body["min_cell"] == 5
    assert row(body, "merkmal", "ethnic_origin")["total"]["count"] == 19
    assert row(body, "merkmal", "age")["total"] == {
        "count": None,
        "suppressed": True,
        "display": "<5",
    }
    assert row(body, "merkmal", "language")["total"]["display"] == "×"
    # Cases without consent are not there.
    assert row(body, "merkmal", "religion")["total"]["count"] == 0


def test_no_suppressed_api_cell_can_be_recovered(client, network_analyst, member_cases):
    body = bearer(client, token_for(network_analyst), granularity="quarter", **YEAR).json()
    for dimension, table in body["dimensions"].items():
        matrix = [[c["count"] for c in r["cells"]] + [r["total"]["count"]] for r in table["rows"]]
        matrix.append([c["count"] for c in table["column_totals"]] + [table["mentions"]["count"]])
        assert recoverable_cells(matrix) == [], dimension


def test_network_role_asks_for_a_member_only_when_it_allows(
    client, network_analyst, member_cases, org_a
):
    token = token_for(network_analyst)
    refused = bearer(client, token, organisation="PL", **YEAR)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_permitted"
    StatisticsPolicy.objects.create(organisation=org_a, show_in_network_columns=True)
    allowed = bearer(client, token, organisation="PL", dimension="merkmal", **YEAR).json()
    assert allowed["scope"] == "member"
    ethnic = row(allowed, "merkmal", "ethnic_origin")["total"]
    assert ethnic["count"] in (12, None)
    assert row(allowed, "merkmal", "age")["total"]["count"] is None
    unknown = bearer(client, token, organisation="XX", **YEAR)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "organisation"


def test_districts_are_not_pooled(client, network_analyst, member_cases):
    response = bearer(client, token_for(network_analyst), dimension="district")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "dimension_not_pooled"


# --- schema --------------------------------------------------------------------------------


def test_the_schema_is_openapi_json_and_public(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"] == "3.1.0"
    assert "/statistics/" in body["paths"]


def test_every_documented_parameter_is_implemented_and_vice_versa():
    documented = {p["name"]: p for p in schema()["paths"]["/statistics/"]["get"]["parameters"]}
    assert set(documented) == set(api_query.PARAMETERS)
    assert documented["dimension"]["schema"]["items"]["enum"] == list(DIMENSIONS)
    assert documented["granularity"]["schema"]["enum"] == list(GRANULARITIES)
    from wohnfair.cases.models import CaseStatus, CaseType

    assert documented["case_type"]["schema"]["items"]["enum"] == list(CaseType.values)
    assert documented["status"]["schema"]["items"]["enum"] == list(CaseStatus.values)


@pytest.mark.parametrize("name", api_query.PARAMETERS)
def test_every_documented_enum_value_is_accepted(login, counsellor_a, name):
    parameter = next(
        p for p in schema()["paths"]["/statistics/"]["get"]["parameters"] if p["name"] == name
    )
    spec = parameter["schema"]
    values = spec.get("enum") or spec.get("items", {}).get("enum") or []
    if spec.get("format") == "date":
        values = [f"{date.today().year}-06-30"]
    if name == "organisation":
        values = ["PL"]
    client = login(counsellor_a)
    for value in values:
        response = client.get(URL, {name: value})
        assert response.status_code == 200, (name, value, response.content)


# --- token page ----------------------------------------------------------------------------


def test_the_token_is_shown_once_and_only_its_hash_is_stored(login, lead_a, org_a):
    client = login(lead_a)
    response = client.post("/staff/statistik/api-schluessel/", {"name": "Bericht", "days": "30"})
    assert response.status_code == 200
    token = response.context["new_token"].token
    assert token in response.content.decode()
    record = ApiToken.objects.of_organisation(org_a).get()
    assert record.token_hash != token and len(record.token_hash) == 64
    assert token not in client.get("/staff/statistik/api-schluessel/").content.decode()


def test_a_bad_token_form_is_refused(login, lead_a, org_a):
    response = login(lead_a).post("/staff/statistik/api-schluessel/", {"name": "", "days": "999"})
    assert response.status_code == 400
    assert not ApiToken.objects.of_organisation(org_a).exists()


def test_revoking_a_token_and_another_org_gets_404(login, lead_a, lead_b, org_a, client):
    token = token_for(lead_a)
    record = ApiToken.objects.of_organisation(org_a).get()
    url = f"/staff/statistik/api-schluessel/{record.pk}/widerrufen/"
    assert login(lead_b).post(url).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    assert login(lead_a).post(url).status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert bearer(client, token).status_code == 401
