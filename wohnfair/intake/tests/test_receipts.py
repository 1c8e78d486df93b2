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
    digest = hashlib.scrypt(
        b"0123456789012345", salt=b"salz-fuer-tests", n=2**11, r=8, p=1, dklen=32
    ).hex()
    expected = f"scrypt$11$8$1${digest}"
    assert receipts.hash_code("0123456789012345") == expected
    assert receipts.hash_code("0123456789012345") == expected
    assert receipts.hash_code("0123456789012346") != expected
    settings.WOHNFAIR_RECEIPT_SALT = "anderes-salz"
    assert receipts.hash_code("0123456789012345") != expected


def test_the_hash_stays_slow_enough():
    """At least 2 MiB of memory per guess (see the reasoning in receipts.py)."""
    assert receipts.CURRENT.memory >= 2 * 2**20
    assert receipts.CURRENT.r >= 8
    assert receipts.SCHEMES[0] == receipts.CURRENT


def legacy_hash(code: str, salt: str = "wohnfair-receipts") -> str:
    """How receipt hashes were stored before they named their parameters."""
    return hashlib.scrypt(code.encode(), salt=salt.encode(), n=2**14, r=8, p=1).hex()


def test_hashes_with_the_former_parameters_still_verify(settings):
    settings.WOHNFAIR_RECEIPT_SALT = "salz-fuer-tests"
    old = legacy_hash("0123456789012345", "salz-fuer-tests")
    assert len(old) == 128 and "$" not in old
    assert receipts.scheme_of(old) == receipts.LEGACY
    assert receipts.verify("0123456789012345", old)
    assert not receipts.verify("0123456789012346", old)
    assert old in receipts.lookup_hashes("0123456789012345")
    assert receipts.hash_code("0123456789012345") in receipts.lookup_hashes("0123456789012345")
    assert receipts.digest_part(old) == old


@pytest.mark.parametrize(
    "stored", ["", "scrypt$10$8$1$abcd", "md5$0123", "0" * 64, "scrypt$11$8$1$" + "0" * 64]
)
def test_unknown_or_wrong_stored_hashes_never_verify(stored):
    assert not receipts.verify("0123456789012345", stored)


def test_a_report_stored_with_the_former_hash_is_found_by_its_code(submitted, client):
    report, _code = submitted()
    code = "4444333322221111"
    all_reports().filter(pk=report.pk).update(receipt_hash=legacy_hash(code))
    assert services.find_report_by_receipt(code) == report
    assert services.find_report_by_receipt("4444333322221112") is None
    page = client.post("/melden/status/", {"receipt": "4444 3333 2222 1111"})
    assert report.reference in page.text
    # the follow-up page keeps working with the access token it handed out
    access = re.search(r'name="access" value="([^"]+)"', page.text).group(1)
    assert services.report_for_access(access) == report


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
