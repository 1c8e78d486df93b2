"""Spam protection without third parties: honeypot, signed fill time, proof of work,
rate limits per keyed address hash and overall (429)."""

import base64
import json
import re
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from wohnfair.intake import spam
from wohnfair.intake.tests.conftest import URL, all_reports, valid_data


def refused(response, message):
    assert response.status_code == 200
    assert message in response.text, response.text[-3000:]
    assert all_reports().count() == 0


def test_a_filled_honeypot_is_refused(post_report):
    refused(post_report(valid_data(website="http://spam.example")), "Bitte leer lassen")


def test_a_form_sent_too_fast_is_refused(post_report):
    response = post_report(valid_data(form_started=spam.started_token(time.time() - 1)))
    refused(response, "Das ging sehr schnell.")


def test_after_the_minimum_time_the_same_form_goes_through(post_report):
    assert (
        post_report(valid_data(form_started=spam.started_token(time.time() - 4))).status_code == 302
    )


@pytest.mark.parametrize(
    "started",
    [
        None,
        "",
        "kaputt",
        spam.started_token(time.time() - spam.MAX_FORM_AGE - 60),
        # a genuine-looking token signed with another key
        "eyJ0IjoxNzAwMDAwMDAwfQ:1rXyZa:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_missing_forged_or_stale_start_time_is_refused(post_report, started):
    refused(post_report(valid_data(form_started=started)), "Das Formular ist abgelaufen")


def test_a_refused_form_comes_back_with_a_fresh_start_time_when_the_old_one_was_bad(post_report):
    response = post_report(valid_data(form_started="kaputt"))
    token = re.search(r'name="form_started" value="([^"]+)"', response.text).group(1)
    assert spam.started_at(token) is not None


def test_the_challenge_endpoint_answers_json_that_is_never_cached(client):
    response = client.get("/melden/pow/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
    assert challenge["algorithm"] == "SHA-256"
    assert "?expires=" in challenge["salt"]
    assert client.post("/melden/pow/").status_code == 405
    assert client.get("/en/melden/pow/").status_code == 200


def test_a_solved_challenge_is_accepted_and_marks_the_report_verified(post_report, client):
    answer = spam.solve(client.get("/melden/pow/").json())
    assert post_report(valid_data(pow=answer)).status_code == 302
    assert all_reports().get().proof_of_work_verified


def _answer(**changes):
    challenge = spam.new_challenge()
    data = json.loads(base64.b64decode(spam.solve(challenge)))
    data.update(changes)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "answer",
    [
        lambda: _answer(number=-1),
        lambda: _answer(signature="0" * 64),
        lambda: _answer(challenge="0" * 64),
        lambda: _answer(algorithm="SHA-1"),
        lambda: _answer(number="12"),
        lambda: "kein base64 !!",
        lambda: base64.b64encode(b"[1, 2]").decode(),
        lambda: "A" * 3000,
    ],
)
def test_a_bad_proof_of_work_is_refused(post_report, answer):
    refused(
        post_report(valid_data(pow=answer())),
        "Die Prüfung gegen automatisch gesendete Meldungen ist fehlgeschlagen",
    )


def test_a_wrong_number_is_refused(post_report):
    challenge = spam.new_challenge()
    data = json.loads(base64.b64decode(spam.solve(challenge)))
    data["number"] = (data["number"] + 1) % (challenge["maxnumber"] + 1)
    answer = base64.b64encode(json.dumps(data).encode()).decode()
    refused(post_report(valid_data(pow=answer)), "fehlgeschlagen oder abgelaufen")


def test_an_expired_challenge_is_refused(post_report, time_machine):
    answer = spam.solve(spam.new_challenge())
    time_machine.move_to(time.time() + spam.POW_LIFETIME + 5)
    data = valid_data(pow=answer, form_started=spam.started_token(time.time() - 60))
    refused(post_report(data), "fehlgeschlagen oder abgelaufen")


def test_a_used_challenge_cannot_be_used_again(post_report):
    answer = spam.solve(spam.new_challenge())
    assert post_report(valid_data(pow=answer)).status_code == 302
    second = post_report(valid_data(pow=answer))  # another form, same answer
    assert second.status_code == 200
    assert "wurde schon verwendet" in second.text
    assert all_reports().count() == 1


def test_without_javascript_the_report_is_stored_unverified_under_a_tight_limit(
    post_report, settings
):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"unverified": (2, 100, 3600)}
    for _ in range(2):
        assert post_report(valid_data(pow=None)).status_code == 302
    assert not any(report.proof_of_work_verified for report in all_reports())
    kept = valid_data(pow=None, description="Mein Text bleibt stehen")
    response = post_report(kept)
    assert response.status_code == 429
    assert "Mein Text bleibt stehen" in response.text
    assert kept["submission_token"] in response.text
    assert all_reports().count() == 2
    # with a proof of work it still goes through
    assert post_report(valid_data()).status_code == 302


def test_submissions_are_limited_per_address(post_report, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"submit": (3, 1000, 600)}
    for _ in range(3):
        assert post_report(valid_data(), REMOTE_ADDR="198.51.100.1").status_code == 302
    response = post_report(valid_data(), url="/en/melden/", REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert '<html lang="en"' in response.text
    assert "Too many reports are arriving right now" in response.text
    assert post_report(valid_data(), REMOTE_ADDR="198.51.100.2").status_code == 302
    assert all_reports().count() == 4


def test_submissions_are_limited_overall(post_report, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"submit": (100, 3, 600)}
    for number in range(3):
        assert post_report(valid_data(), REMOTE_ADDR=f"198.51.100.{number}").status_code == 302
    assert post_report(valid_data(), REMOTE_ADDR="198.51.100.99").status_code == 429


def test_challenges_are_limited(client, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"pow": (2, 100, 600)}
    assert client.get("/melden/pow/").status_code == 200
    assert client.get("/melden/pow/").status_code == 200
    response = client.get("/melden/pow/")
    assert response.status_code == 429
    assert response.json() == {"error": "too_many_requests"}


def test_the_limit_key_is_a_keyed_hash_of_the_address(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    key = spam.address_key(request)
    assert "203.0.113.5" not in key
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == spam.address_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.5"))
    assert key != spam.address_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.6"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0000000000000000000"
    assert key != spam.address_key(request)


def test_the_counters_expire_after_a_short_time(settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"receipt": (1, 100, 60)}
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    assert spam.allow(request, "receipt")
    assert not spam.allow(request, "receipt")
    window = int(time.time() // 60)
    key = f"intake:rl:receipt:{window}:{spam.address_key(request)}"
    assert cache.get(key) == 2
    assert cache._base_set.__self__ is not None  # the configured (shared) cache is used
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM wohnfair_cache WHERE cache_key LIKE %s", [f"%{key}"])
        [(expires,)] = cursor.fetchall()
    if isinstance(expires, str):
        from datetime import datetime

        expires = datetime.fromisoformat(expires)
    assert expires.timestamp() - time.time() <= 65


def test_behind_a_proxy_the_forwarded_address_is_used(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    two = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert spam.address_key(one) != spam.address_key(two)
    assert spam.client_address(one) == "203.0.113.7"


def test_the_form_page_has_no_inline_script_and_loads_pow_js(client):
    page = client.get(URL).text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)
    assert '<script src="/static/intake/pow.js" defer></script>' in page
    script = client.get("/static/intake/pow.js")
    assert script.status_code == 200
    assert b"sha256Hex" in b"".join(script.streaming_content)  # consuming it closes it
    assert 'data-pow-url="/melden/pow/"' in page


def test_a_used_challenge_stays_used_when_the_caches_fill_up(db, settings):
    """Django culls a full database cache by deleting arbitrary keys; the one-time
    cache is sized and pruned so that a used proof of work is never forgotten."""
    from django.core.cache import cache, caches

    from wohnfair.intake import spam

    assert spam.claim_challenge("c" * 64)
    for number in range(400):  # more than Django's default cull limit of 300
        cache.set(f"zz:filler:{number}", number)
        caches["onetime"].set(f"zz:filler:{number}", number)
    assert not spam.claim_challenge("c" * 64)


def test_pruning_removes_only_expired_cache_rows(db):
    import time

    from django.core.cache import caches

    from wohnfair.jobs.tasks import prune_expired_cache_entries

    onetime = caches["onetime"]
    onetime.set("short", 1, timeout=1)
    onetime.set("long", 1, timeout=600)
    time.sleep(1.1)
    removed = prune_expired_cache_entries.call()
    assert removed >= 1
    assert onetime.get("long") == 1
