"""Receipt codes: 16 random digits, shown once in groups of four, stored as a slow hash."""

import hashlib
import hmac
import re

import pytest
from django.db import connection

from wohnfair.intake import receipts, services
from wohnfair.intake.tests.conftest import all_reports


def test_a_new_code_has_sixteen_random_digits_from_secrets(monkeypatch):
    codes = {receipts.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"\d{16}", code) for code in codes)
    calls = []

    def fake_choice(sequence):
        calls.append(sequence)
        return "7"

    monkeypatch.setattr(receipts.secrets, "choice", fake_choice)
    assert receipts.new_code() == "7" * 16
    assert len(calls) == 16


def test_code_is_shown_in_groups_of_four():
    assert receipts.groups("0123456789012345") == ["0123", "4567", "8901", "2345"]
    assert receipts.format_code("0123456789012345") == "0123 4567 8901 2345"


@pytest.mark.parametrize(
    "typed",
    [
        "0123456789012345",
        "0123 4567 8901 2345",
        " 0123-4567-8901-2345 ",
        "0123.4567.8901.2345",
        "٠١٢٣ ٤٥٦٧ ٨٩٠١ ٢٣٤٥",  # Arabic-Indic digits
        "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵",  # Persian digits
    ],
)
def test_typed_codes_are_normalised(typed):
    assert receipts.normalise(typed) == "0123456789012345"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123",
        "0123 4567 8901 234",
        "0123 4567 8901 23456",
        "abcd efgh ijkl mnop",
        None,
        1234,
        "0" * 100,
    ],
)
def test_malformed_codes_are_none(typed):
    assert receipts.normalise(typed) is None


def test_hash_is_scrypt_with_the_configured_salt_and_deterministic(settings):
    settings.WOHNFAIR_RECEIPT_SALT = "salz-fuer-tests"
    expected = hashlib.scrypt(b"0123456789012345", salt=b"salz-fuer-tests", n=2**14, r=8, p=1).hex()
    assert receipts.hash_code("0123456789012345") == expected
    assert receipts.hash_code("0123456789012345") == expected
    assert receipts.hash_code("0123456789012346") != expected
    settings.WOHNFAIR_RECEIPT_SALT = "anderes-salz"
    assert receipts.hash_code("0123456789012345") != expected


def test_verify_compares_in_constant_time(monkeypatch):
    stored = receipts.hash_code("1111222233334444")
    compared = []
    real = hmac.compare_digest

    def spy(left, right):
        compared.append((left, right))
        return real(left, right)

    monkeypatch.setattr(receipts.hmac, "compare_digest", spy)
    assert receipts.verify("1111222233334444", stored)
    assert not receipts.verify("1111222233334445", stored)
    assert len(compared) == 2


def test_only_the_hash_is_stored_and_the_code_is_shown_once(submitted, client):
    report, code = submitted()
    assert re.fullmatch(r"\d{16}", code)
    assert report.receipt_hash == receipts.hash_code(code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_report")
        rows = str(cursor.fetchall())
        cursor.execute("SELECT * FROM audit_auditentry")
        rows += str(cursor.fetchall())
    assert code not in rows
    assert receipts.format_code(code) not in rows


def test_the_confirmation_link_shows_the_code_only_once(post_report, client):
    from wohnfair.intake.tests.conftest import valid_data

    response = post_report(valid_data())
    first = client.get(response.url)
    assert first.status_code == 200
    assert "data-receipt-code" in first.text
    assert "no-store" in first["Cache-Control"]
    second = client.get(response.url)
    assert "data-receipt-code" not in second.text
    assert "Der Code wurde schon angezeigt" in second.text
    report = all_reports().get()
    assert report.reference in second.text


def test_a_forged_confirmation_link_shows_nothing(client, db):
    response = client.get("/melden/bestaetigung/?t=eyJrIjoiYWJjIn0:forged:signature")
    assert response.status_code == 404
    assert "nicht mehr gültig" in response.text


def test_confirmation_shows_groups_of_four_and_a_printable_receipt(post_report, client):
    from wohnfair.intake.tests.conftest import receipt_from, valid_data

    response = post_report(valid_data(contact_name="Aylin Canary-Person", consent_counselling="on"))
    page = client.get(response.url).text
    code = receipt_from(page)
    groups = re.search(r"data-receipt-code>(.*?)</p>", page, re.S).group(1)
    assert re.findall(r"<span>(\d{4})</span>", groups) == receipts.groups(code)
    report = all_reports().get()
    assert "Eingangsbestätigung" in page
    assert report.reference in page
    assert "Aylin" not in page  # no personal data on the receipt
    assert "Nach meinem Namen" not in page  # nor the report's content


def test_code_lookup_uses_the_hash(submitted):
    report, code = submitted()
    assert services.find_report_by_receipt(code) == report
    assert services.find_report_by_receipt(receipts.format_code(code)) == report
    other = str((int(code) + 1) % 10**16).zfill(16)
    assert services.find_report_by_receipt(other) is None
    assert services.find_report_by_receipt("kein Code") is None
