"""Spam protection without third parties: honeypot, signed fill time, proof of work,
rate limits per keyed address hash and overall (429)."""

import base64
import json
import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wohnfair.intake import spam, state
from wohnfair.intake.models import RateCounter, UsedChallenge
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
    # fixed ids: the stale token's text changes with the clock (pytest-xdist compares ids)
    ids=["missing", "empty", "garbage", "stale", "foreign-key"],
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


def test_the_counters_expire_after_a_short_time(settings, time_machine):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"receipt": (1, 100, 60)}
    time_machine.move_to(timezone.now().replace(second=10), tick=False)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    assert spam.allow(request, "receipt")
    assert not spam.allow(request, "receipt")
    window = spam.current_window("receipt")
    own = spam.counter_key("receipt", window, spam.address_key(request))
    everyone = spam.counter_key("receipt", window, "all")
    assert state.counted(own) == 2
    assert state.counted(everyone) == 1  # the refused attempt used up nobody else's allowance
    expires = RateCounter.objects.get(key=own).expires
    assert 0 < expires.timestamp() - time.time() <= 65
    # The first attempt of the next window deletes the expired counters.
    time_machine.move_to(timezone.now() + timedelta(seconds=60))
    assert spam.allow(request, "receipt")
    assert not RateCounter.objects.filter(key__in=[own, everyone]).exists()
    assert state.counted(spam.counter_key("receipt", window + 1, "all")) == 1


def test_counting_an_attempt_is_one_statement_on_postgresql(db, settings):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    spam.allow(request, "submit")  # the window's first attempt also prunes
    with CaptureQueriesContext(connection) as queries:
        assert spam.allow(request, "submit")
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)


@pytest.mark.django_db(transaction=True)
def test_counters_are_atomic_under_concurrent_increments():
    """Real threads, each with its own database connection, count at the same time:
    no increment is lost and every one of them sees a different count."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory test database locks)")
    threads, each = 8, 25
    barrier = threading.Barrier(threads)
    expires = timezone.now() + timedelta(minutes=5)
    seen: list[tuple[int, int | None]] = []
    errors: list[BaseException] = []

    def work():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(each):
                seen.append(state.count_attempt("test:1:own", "test:1:all", expires, 10**6))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    total = threads * each
    assert state.counted("test:1:own") == total
    assert state.counted("test:1:all") == total
    assert sorted(own for own, _all in seen) == list(range(1, total + 1))
    assert sorted(everyone for _own, everyone in seen) == list(range(1, total + 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_over_the_limit_are_refused_exactly(settings):
    """With a limit of 10 per address, 40 simultaneous attempts from one address let
    exactly 10 through (a read-modify-write counter would let more through)."""
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory test database locks)")
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"pow": (10, 1000, 600)}
    barrier = threading.Barrier(8)
    answers: list[bool] = []

    def work():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9")
            answers.extend(spam.allow(request, "pow") for _ in range(5))
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(answers) == 40
    assert answers.count(True) == 10


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
    """Django culls a full database cache by deleting arbitrary keys; used proofs of
    work are kept in their own table, where only their expiry removes them."""
    from django.core.cache import cache, caches

    assert spam.claim_challenge("c" * 64)
    for number in range(400):  # more than Django's default cull limit of 300
        cache.set(f"zz:filler:{number}", number)
        caches["onetime"].set(f"zz:filler:{number}", number)
        spam.claim_challenge(f"{number:064d}")
    assert not spam.claim_challenge("c" * 64)
    assert spam.challenge_used("c" * 64)


def test_a_used_challenge_is_forgotten_only_after_it_expired(db, time_machine):
    assert spam.claim_challenge("d" * 64)
    state.prune()
    assert spam.challenge_used("d" * 64)
    time_machine.move_to(timezone.now() + timedelta(seconds=spam.POW_LIFETIME + 30))
    state.prune()
    assert spam.challenge_used("d" * 64)  # still within the lifetime plus a margin
    time_machine.move_to(timezone.now() + timedelta(seconds=60))
    assert state.prune() == 1
    assert not UsedChallenge.objects.exists()


def test_the_claim_of_a_challenge_is_undone_with_its_transaction(db):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        assert spam.claim_challenge("e" * 64)
        raise RuntimeError
    assert not spam.challenge_used("e" * 64)
    assert spam.claim_challenge("e" * 64)


@pytest.mark.django_db(transaction=True)
def test_one_of_several_concurrent_claims_of_a_challenge_wins():
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory test database locks)")
    barrier = threading.Barrier(6)
    results: list[bool] = []

    def work():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(spam.claim_challenge("f" * 64))
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [False] * 5 + [True]


def test_the_scheduled_task_prunes_the_portal_state(db, time_machine):
    from wohnfair.intake.tasks import prune_portal_state

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9")
    assert spam.allow(request, "pow")
    spam.claim_challenge("a" * 64)
    assert RateCounter.objects.count() == 2
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert prune_portal_state.call() == 3
    assert not RateCounter.objects.exists() and not UsedChallenge.objects.exists()


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


def test_rate_counters_skip_the_write_ahead_log_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL table property")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpersistence FROM pg_class WHERE relname = ANY(%s)",
            [[RateCounter._meta.db_table, UsedChallenge._meta.db_table]],
        )
        persistence = dict(cursor.fetchall())
    assert persistence == {RateCounter._meta.db_table: "u", UsedChallenge._meta.db_table: "p"}
