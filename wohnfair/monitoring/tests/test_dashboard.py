"""The statistics dashboard and its CSV/XLSX exports."""

import csv
import io
from datetime import date
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.urls import reverse

from wohnfair.audit.models import AuditEntry
from wohnfair.lib.tabular import to_csv, to_xlsx
from wohnfair.monitoring.tests.statistics_data import CaseSpec, IncidentSpec, World

pytestmark = pytest.mark.django_db

URL = "/staff/statistik/"


@pytest.fixture
def world(org_a, org_b, counsellor_a, counsellor_b):
    world = World([org_a, org_b], [counsellor_a, counsellor_b])
    racism = IncidentSpec(0, merkmale=frozenset({0}))
    for day in range(1, 4):
        world.build_case(CaseSpec(0, date(2025, 3, day), incidents=(racism,)))
    world.build_case(CaseSpec(0, date(2025, 7, 1), "kurz", incidents=(racism,)))
    world.build_case(CaseSpec(0, date(2024, 7, 1), incidents=(racism,)))  # other year
    for day in range(1, 8):  # office B: never in A's figures
        world.build_case(
            CaseSpec(1, date(2025, 3, day), incidents=(IncidentSpec(0, merkmale=frozenset({1})),))
        )
    return world


def parse_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_url_name_is_the_staff_statistics_page():
    assert reverse("monitoring:dashboard") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_editor_and_network_analyst_may_not_see_the_dashboard(login, editor_a, network_analyst):
    assert login(editor_a).get(URL).status_code in (403, 404)
    assert login(network_analyst).get(URL).status_code in (403, 404)


def test_counsellor_sees_counts_of_own_office_with_cases_and_mentions(login, counsellor_a, world):
    response = login(counsellor_a).get(URL, {"jahr": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    tables = {view.table.dimension.code: view for view in response.context["tables"]}
    merkmal = tables["merkmal"].table
    ethnic = world.terms["merkmal"][0].code
    assert {row.code: row.total for row in merkmal.rows if row.total} == {ethnic: 4}
    assert merkmal.cases == 4
    assert response.context["cases"] == 4
    assert "zählt unter jedem seiner Werte einmal" in page
    assert "4 Fälle, 4 Nennungen" in page
    assert 'role="img"' in page and "<title id=" in page
    assert '<th scope="col">' in page and "<caption" in page


def test_figures_link_to_the_filtered_case_list(login, counsellor_a, world):
    response = login(counsellor_a).get(URL, {"jahr": 2025, "einteilung": "quarter"})
    view = next(v for v in response.context["tables"] if v.table.dimension.code == "merkmal")
    ethnic = world.terms["merkmal"][0].code
    row = next(r for r in view.rows if r.code == ethnic)
    link = urlsplit(row.cells[0].href)
    assert link.path == reverse("cases:list")
    assert parse_qs(link.query) == {
        "von": ["2025-01-01"],
        "bis": ["2025-03-31"],
        "alle": ["on"],
        "merkmal": [ethnic],
    }
    assert row.cells[1].href == ""  # a zero leads nowhere
    # The case list really shows those three cases.
    listed = login(counsellor_a).get(row.cells[0].href)
    assert len(listed.context["cases"]) == 3
    outcome = next(v for v in response.context["tables"] if v.table.dimension.code == "outcome")
    assert all(r.total.href == "" for r in outcome.rows)


def test_filters_by_case_type_and_status(login, lead_a, world):
    response = login(lead_a).get(URL, {"jahr": 2025, "fallart": ["kurz"]})
    assert response.context["cases"] == 1
    response = login(lead_a).get(URL, {"jahr": 2025, "status": ["closed"]})
    assert response.context["cases"] == 0


def test_other_office_sees_only_its_own_figures(login, counsellor_b, world):
    response = login(counsellor_b).get(URL, {"jahr": 2025})
    assert response.context["cases"] == 7
    merkmal = next(v for v in response.context["tables"] if v.table.dimension.code == "merkmal")
    assert {row.code for row in merkmal.table.rows if row.total} == {world.terms["merkmal"][1].code}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"von": "2025-05-01", "bis": "2025-01-01"}, "Das Ende des Zeitraums liegt vor dem Beginn"),
        ({"von": "2000-01-01", "bis": "2024-01-01"}, "höchstens 20 Jahre"),
        ({"von": "gestern", "bis": "2025-01-01"}, "gültiges Datum"),
        ({"von": "2025-01-01"}, "Beginn und Ende"),
        ({"einteilung": "woche"}, "Auswahl"),
        ({"fallart": ["privat"]}, "Auswahl"),
        ({"jahr": "zwanzig"}, "ganze Zahl"),
    ],
)
def test_bad_filters_get_a_german_message_and_no_figures(
    login, counsellor_a, world, params, message
):
    response = login(counsellor_a).get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["tables"] == []


def test_csv_export_honours_the_filters_and_is_audited(login, counsellor_a, world):
    client = login(counsellor_a)
    response = client.get(
        reverse("monitoring:export_csv"),
        {"dimension": "merkmal", "von": "2025-01-01", "bis": "2025-12-31", "einteilung": "quarter"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = parse_csv(response)
    assert rows[0][2:] == [
        "1. Quartal 2025",
        "2. Quartal 2025",
        "3. Quartal 2025",
        "4. Quartal 2025",
        "Summe",
    ]
    ethnic = world.terms["merkmal"][0].code
    row = next(r for r in rows if r[0] == ethnic)
    assert row[2:] == ["3", "0", "1", "0", "4"]
    assert rows[-1][1] == "Fälle (jeder Fall einmal)" and rows[-1][-1] == "4"
    entry = AuditEntry.objects.filter(action="statistics.exported").get()
    assert entry.actor == counsellor_a and entry.details["dimension"] == "merkmal"

    narrower = client.get(
        reverse("monitoring:export_csv"),
        {"dimension": "merkmal", "jahr": "2025", "fallart": ["kurz"]},
    )
    assert next(r for r in parse_csv(narrower) if r[0] == ethnic)[2:] == ["1"]


def test_xlsx_export_honours_the_filters(login, counsellor_a, world):
    response = login(counsellor_a).get(
        reverse("monitoring:export_xlsx"), {"dimension": "case_type", "jahr": "2024"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert values["beratung"] == 1
    assert values["kurz"] == 0


def test_exports_never_contain_the_other_office(login, counsellor_b, world):
    response = login(counsellor_b).get(
        reverse("monitoring:export_csv"), {"dimension": "merkmal", "jahr": "2025"}
    )
    rows = parse_csv(response)
    ethnic = world.terms["merkmal"][0].code
    assert next(r for r in rows if r[0] == ethnic)[-1] == "0"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dimension": "hautfarbe"}, "Unbekannte oder fehlende Dimension"),
        ({}, "Unbekannte oder fehlende Dimension"),
        ({"dimension": "merkmal", "von": "2025-02-01", "bis": "2025-01-01"}, "vor dem Beginn"),
    ],
)
def test_bad_export_requests_get_400_with_a_message(login, counsellor_a, params, message):
    response = login(counsellor_a).get(reverse("monitoring:export_csv"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="statistics.exported").exists()


def test_anonymous_export_is_sent_to_login(client):
    response = client.get(reverse("monitoring:export_csv"), {"dimension": "merkmal"})
    assert response.status_code == 302


def test_csv_cells_cannot_become_formulas():
    content = to_csv(["=HYPERLINK(1)"], [["+1", "-2", "@x", "ok", 5, None]]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows == [["'=HYPERLINK(1)"], ["'+1", "'-2", "'@x", "ok", "5", ""]]


def test_xlsx_cells_are_text_not_formulas():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx("T", ["a"], [["=1+1", 3]]))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"
    assert sheet["B2"].value == 3
