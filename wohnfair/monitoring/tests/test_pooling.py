"""The statistics exchange: export, validation, all-or-nothing import, round trip."""

import copy
import json
from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from wohnfair.accounts.models import Organisation, Role
from wohnfair.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from wohnfair.audit.models import AuditEntry
from wohnfair.monitoring.aggregation import Filters, Period
from wohnfair.monitoring.models import PoolCount, PoolImport
from wohnfair.monitoring.network_figures import (
    exchange_document,
    exchange_vocabularies,
    network_figures,
)
from wohnfair.monitoring.pooling import MAX_BYTES, PoolingError, import_exchange, parse_exchange
from wohnfair.monitoring.tests.pool_helpers import add_cases

YEAR_2025 = Filters(Period(date(2025, 1, 1), date(2025, 12, 31)))


@pytest.fixture
def remote_network(db):
    """A network in another installation: none of its members' cases are here."""
    return OrganisationFactory(
        name="advd Bundesverband", code="ADVD", kind=Organisation.Kind.NETWORK
    )


@pytest.fixture
def remote_analyst(remote_network):
    return MembershipFactory(
        organisation=remote_network,
        role=Role.NETWORK_ANALYST,
        user=UserFactory(email="analyse@advd.example"),
    ).user


@pytest.fixture
def figures_a(org_a, lead_a):
    add_cases(org_a, lead_a, 12, merkmal="ethnic_origin")
    add_cases(org_a, lead_a, 3, merkmal="age")
    add_cases(org_a, lead_a, 6, merkmal="religion", consent="none")
    add_cases(org_a, lead_a, 2, merkmal="disability", consent="anonymised")
    return org_a


def document_of(organisation, filters=YEAR_2025):
    return exchange_document(organisation, filters)


def cell(document, dimension, code, bucket=""):
    return next(
        c
        for c in document["dimensions"][dimension]["cells"]
        if c["code"] == code and c["bucket"] == bucket
    )


def test_export_counts_only_consented_or_anonymised_cases_and_suppresses(figures_a):
    document = document_of(figures_a)
    assert document["schema"] == "wohnfair-statistics" and document["version"] == 1
    assert document["organisation"] == {"code": "PL", "name": "Planerladen Dortmund"}
    assert document["min_cell"] == 5
    assert cell(document, "merkmal", "ethnic_origin")["count"] == 12
    # 6 cases without consent are not there at all.
    assert cell(document, "merkmal", "religion")["count"] == 0
    # 3 consented and 2 anonymised: both below k.
    assert cell(document, "merkmal", "age") == {
        "code": "age",
        "bucket": "",
        "count": None,
        "suppressed": True,
    }
    assert cell(document, "merkmal", "disability")["suppressed"] is True
    assert "district" not in document["dimensions"]
    # Every cell between 1 and k-1 is withheld, anywhere in the file.
    for dimension in document["dimensions"].values():
        for entry in dimension["cells"] + dimension["totals"]["rows"]:
            assert entry["count"] is None or entry["count"] == 0 or entry["count"] >= 5


def test_export_parses_back_with_the_same_cells(figures_a):
    document = document_of(figures_a)
    parsed = parse_exchange(json.dumps(document), exchange_vocabularies())
    assert parsed.organisation_code == "PL"
    assert parsed.start == date(2025, 1, 1)
    exported = {
        (dim, c["code"], c["bucket"]): c["count"]
        for dim, content in document["dimensions"].items()
        for c in content["cells"]
    }
    imported = {
        (dim, c.code, c.bucket): c.count
        for dim, content in parsed.dimensions.items()
        for c in content.cells
    }
    assert exported == imported


def test_round_trip_export_import_network_view_shows_the_same_figures(
    figures_a, remote_network, remote_analyst, login
):
    document = document_of(figures_a, Filters(YEAR_2025.period, "quarter"))
    record = import_exchange(
        remote_network,
        parse_exchange(json.dumps(document), exchange_vocabularies()),
        by=remote_analyst,
    )
    assert record.source_code == "PL" and record.granularity == "quarter"
    figures = network_figures(remote_network, Filters(YEAR_2025.period, "quarter"))
    for dimension, content in document["dimensions"].items():
        table = figures.tables[dimension]
        shown = {
            (row.code, bucket): (c.value, c.suppressed)
            for row in table.rows
            for bucket, c in row.cells.items()
        }
        for c in content["cells"]:
            assert shown[(c["code"], c["bucket"])] == (c["count"], c["count"] is None)
        rows = {row.code: (row.total.value, row.total.suppressed) for row in table.rows}
        for t in content["totals"]["rows"]:
            assert rows[t["code"]] == (t["count"], t["count"] is None)
        assert table.total.value == content["totals"]["all"]
        assert table.cases.value == content["cases"]
    # The same figures in the page, and the import is named there.
    page = login(remote_analyst).get(
        reverse("monitoring:network") + "?von=2025-01-01&bis=2025-12-31"
    )
    assert page.status_code == 200
    assert "Planerladen Dortmund" in page.content.decode()


def test_a_coarser_view_adds_up_imported_quarters(figures_a, remote_network, remote_analyst):
    document = document_of(figures_a, Filters(YEAR_2025.period, "quarter"))
    import_exchange(
        remote_network,
        parse_exchange(json.dumps(document), exchange_vocabularies()),
        by=remote_analyst,
    )
    figures = network_figures(remote_network, YEAR_2025)
    row = next(r for r in figures.tables["merkmal"].rows if r.code == "ethnic_origin")
    assert row.cells[""].value == 12


def test_a_finer_view_leaves_a_coarse_import_out_and_says_why(
    figures_a, remote_network, remote_analyst
):
    import_exchange(
        remote_network,
        parse_exchange(json.dumps(document_of(figures_a)), exchange_vocabularies()),
        by=remote_analyst,
    )
    figures = network_figures(remote_network, Filters(YEAR_2025.period, "month"))
    assert figures.imports == []
    assert "gröber" in figures.skipped_imports[0][1]


# --- bad files -----------------------------------------------------------------------------


def _valid():
    return {
        "schema": "wohnfair-statistics",
        "version": 1,
        "organisation": {"code": "DO", "name": "Beratung Dortmund-Nord"},
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
        "granularity": "year",
        "min_cell": 5,
        "dimensions": {
            "merkmal": {
                "cases": 17,
                "cells": [
                    {"code": "ethnic_origin", "bucket": "2025", "count": 12},
                    {"code": "age", "bucket": "2025", "count": None, "suppressed": True},
                    {"code": "religion", "bucket": "2025", "count": None, "suppressed": True},
                ],
            }
        },
    }


def _changed(path, value):
    document = copy.deepcopy(_valid())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(document)


BAD_FILES = {
    "unknown code": (
        _changed(("dimensions", "merkmal", "cells", 0, "code"), "zodiac_sign"),
        "unbekannter Code „zodiac_sign“",
    ),
    "unknown dimension": (
        json.dumps({**_valid(), "dimensions": {"horoscope": {"cells": []}}}),
        "Unbekannte Dimension „horoscope“",
    ),
    "wrong version": (_changed(("version",), 2), "Schema-Version 2 wird nicht unterstützt"),
    "wrong schema": (_changed(("schema",), "other"), "kein Wohnfair-Statistikaustausch"),
    "negative count": (
        _changed(("dimensions", "merkmal", "cells", 0, "count"), -12),
        "negative Zahlen sind nicht erlaubt",
    ),
    "negative cases": (_changed(("dimensions", "merkmal", "cases"), -1), "nicht negative"),
    "unsuppressed small count": (
        _changed(("dimensions", "merkmal", "cells", 0, "count"), 3),
        "hätte unterdrückt sein müssen",
    ),
    "count as text": (
        _changed(("dimensions", "merkmal", "cells", 0, "count"), "12"),
        "keine ganze Zahl",
    ),
    "missing count": (
        _changed(("dimensions", "merkmal", "cells", 1, "suppressed"), False),
        "Zahl fehlt",
    ),
    "malformed json": ('{"schema": "wohnfair-statistics", ', "kein gültiges JSON"),
    "not an object": ("[1, 2, 3]", "kein JSON-Objekt"),
    "end before start": (
        _changed(("period", "end"), "2024-01-01"),
        "Ende des Zeitraums liegt vor dem Beginn",
    ),
    "more than 20 years": (
        _changed(("period", "end"), "2045-12-31"),
        "höchstens 20 Jahre",
    ),
    "bad date": (_changed(("period", "start"), "01.01.2025"), "kein gültiges Datum"),
    "bucket outside the period": (
        _changed(("dimensions", "merkmal", "cells", 0, "bucket"), "2019"),
        "passt nicht zu Auflösung und Zeitraum",
    ),
    "bucket of another granularity": (
        _changed(("dimensions", "merkmal", "cells", 0, "bucket"), "2025-Q1"),
        "passt nicht zu Auflösung und Zeitraum",
    ),
    "duplicated cell": (
        _changed(("dimensions", "merkmal", "cells", 2, "code"), "age"),
        "kommt doppelt vor",
    ),
    "bad organisation code": (_changed(("organisation", "code"), "D O!"), "Kürzel"),
    "unknown granularity": (_changed(("granularity",), "week"), "Unbekannte Auflösung"),
    "min_cell below 2": (_changed(("min_cell",), 1), "min_cell"),
    "oversized": (" " * (MAX_BYTES + 1), "zu groß"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_imported(
    name, remote_network, remote_analyst
):
    raw, message = BAD_FILES[name]
    with pytest.raises(PoolingError) as error:
        exchange = parse_exchange(raw, exchange_vocabularies())
        import_exchange(remote_network, exchange, by=remote_analyst)
    assert message in str(error.value)
    assert PoolImport.objects.of_organisation(remote_network).count() == 0
    assert PoolCount.objects.count() == 0


def test_the_same_period_twice_is_refused_and_the_first_import_stays(
    remote_network, remote_analyst
):
    exchange = parse_exchange(json.dumps(_valid()), exchange_vocabularies())
    import_exchange(remote_network, exchange, by=remote_analyst)
    cells = PoolCount.objects.count()
    with pytest.raises(PoolingError, match="bereits importiert"):
        import_exchange(remote_network, exchange, by=remote_analyst)
    overlapping = json.loads(_changed(("period", "start"), "2025-06-01"))
    overlapping["dimensions"]["merkmal"]["cells"] = []
    with pytest.raises(PoolingError, match="überschneidet"):
        import_exchange(
            remote_network,
            parse_exchange(json.dumps(overlapping), exchange_vocabularies()),
            by=remote_analyst,
        )
    assert PoolImport.objects.of_organisation(remote_network).count() == 1
    assert PoolCount.objects.count() == cells


def test_the_database_refuses_a_second_import_of_one_period_under_a_race(
    remote_network, remote_analyst
):
    import_exchange(
        remote_network,
        parse_exchange(json.dumps(_valid()), exchange_vocabularies()),
        by=remote_analyst,
    )
    with pytest.raises(IntegrityError):
        PoolImport.objects.create(
            organisation=remote_network,
            source_code="DO",
            source_name="x",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            schema_version=1,
            min_cell=5,
            imported_by=remote_analyst,
        )


def test_a_member_of_this_installation_cannot_be_imported_twice_over(
    network, network_analyst, figures_a
):
    exchange = parse_exchange(json.dumps(document_of(figures_a)), exchange_vocabularies())
    with pytest.raises(PoolingError, match="bereits direkt gezählt"):
        import_exchange(network, exchange, by=network_analyst)


def test_an_office_cannot_import(org_a, lead_a):
    exchange = parse_exchange(json.dumps(_valid()), exchange_vocabularies())
    with pytest.raises(PoolingError, match="Nur ein Netzwerk"):
        import_exchange(org_a, exchange, by=lead_a)


# --- the page ------------------------------------------------------------------------------


def _upload(client, content: str, name="export.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("monitoring:pooling"),
        {"file": SimpleUploadedFile(name, content.encode(), content_type="application/json")},
    )


def test_analyst_uploads_previews_and_confirms_an_import(remote_analyst, remote_network, login):
    client = login(remote_analyst)
    preview = _upload(client, json.dumps(_valid()))
    assert preview.status_code == 200
    assert "Vorschau" in preview.content.decode()
    assert PoolImport.objects.of_organisation(remote_network).count() == 0
    payload = preview.context["payload"]
    confirmed = client.post(reverse("monitoring:pooling"), {"payload": payload}, follow=True)
    assert "Importiert: Beratung Dortmund-Nord" in confirmed.content.decode()
    assert PoolImport.objects.of_organisation(remote_network).get().source_code == "DO"
    assert AuditEntry.objects.filter(action="monitoring.pool_imported").count() == 1
    # Confirming the same preview again changes nothing and says why.
    again = client.post(reverse("monitoring:pooling"), {"payload": payload})
    assert again.status_code == 400
    assert "bereits importiert" in again.content.decode()
    assert PoolImport.objects.of_organisation(remote_network).count() == 1


def test_a_bad_upload_shows_the_message_and_imports_nothing(remote_analyst, remote_network, login):
    raw, message = BAD_FILES["unknown code"]
    response = _upload(login(remote_analyst), raw)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PoolImport.objects.of_organisation(remote_network).count() == 0


def test_a_tampered_preview_is_refused(remote_analyst, remote_network, login):
    response = login(remote_analyst).post(reverse("monitoring:pooling"), {"payload": "forged"})
    assert response.status_code == 400
    assert "Vorschau ist abgelaufen oder ungültig" in response.content.decode()
    assert PoolImport.objects.of_organisation(remote_network).count() == 0


def test_office_lead_downloads_the_export_of_their_own_organisation(figures_a, lead_a, login):
    response = login(lead_a).get(
        reverse("monitoring:pooling_export"),
        {"start": "2025-01-01", "end": "2025-12-31", "granularity": "total"},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["organisation"]["code"] == "PL"
    assert cell(document, "merkmal", "ethnic_origin")["count"] == 12
    assert AuditEntry.objects.filter(action="monitoring.pool_exported").count() == 1


def test_an_impossible_export_period_gets_a_message(lead_a, login):
    response = login(lead_a).get(
        reverse("monitoring:pooling_export"),
        {"start": "2025-12-31", "end": "2025-01-01", "granularity": "total"},
    )
    assert response.status_code == 400
    assert "Ende des Zeitraums liegt vor dem Beginn" in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_a", "network_analyst"])
def test_others_cannot_export(persona, request, login):
    response = login(request.getfixturevalue(persona)).get(
        reverse("monitoring:pooling_export"),
        {"start": "2025-01-01", "end": "2025-12-31", "granularity": "total"},
    )
    assert response.status_code == 403


def test_counsellor_cannot_open_the_exchange_page(counsellor_a, login):
    assert login(counsellor_a).get(reverse("monitoring:pooling")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("monitoring:pooling"))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
