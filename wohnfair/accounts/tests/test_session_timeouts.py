import time_machine

from wohnfair.accounts.tests.factories import PASSWORD


def login_at(client, user, moment):
    with time_machine.travel(moment, tick=False):
        client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
        assert client.get("/staff/").status_code == 200


def test_idle_session_ends_after_30_minutes(client, lead_a):
    login_at(client, lead_a, "2026-11-26 09:00 +0100")
    with time_machine.travel("2026-11-26 09:29 +0100", tick=False):
        assert client.get("/staff/").status_code == 200
    with time_machine.travel("2026-11-26 10:00 +0100", tick=False):
        response = client.get("/staff/")
    assert response.status_code == 302
    assert "/konto/login/" in response.url


def test_active_session_ends_after_ten_hours_at_the_latest(client, lead_a):
    login_at(client, lead_a, "2026-11-26 08:00 +0100")
    for hour in range(8, 18):
        for minute in (0, 20, 40):
            with time_machine.travel(f"2026-11-26 {hour:02d}:{minute:02d} +0100", tick=False):
                assert client.get("/staff/").status_code == 200
    with time_machine.travel("2026-11-26 18:05 +0100", tick=False):
        assert client.get("/staff/").status_code == 302
