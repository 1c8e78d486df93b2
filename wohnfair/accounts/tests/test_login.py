from django.urls import reverse

from wohnfair.accounts.tests.factories import PASSWORD

LOGIN = "/konto/login/"


def post_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_member_logs_in_with_email_and_lands_in_workspace(client, lead_a):
    response = post_login(client, "LEITUNG@a.example", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("staff:dashboard")
    page = client.get(response.url)
    assert "Planerladen Dortmund" in page.text
    assert "Leitung" in page.text


def test_wrong_password_gets_a_clear_german_message(client, lead_a):
    response = post_login(client, "leitung@a.example", "falsches-passwort-123")
    assert response.status_code == 200
    assert "Die E-Mail-Adresse oder das Passwort ist nicht korrekt" in response.text
    assert "_auth_user_id" not in client.session


def test_session_id_rotates_at_login(client, lead_a):
    client.get(LOGIN)
    client.session["probe"] = 1
    before = client.cookies.get("sessionid")
    post_login(client, "leitung@a.example", PASSWORD)
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after


def test_logout_kills_the_session(client, lead_a):
    post_login(client, "leitung@a.example", PASSWORD)
    session_key = client.session.session_key
    response = client.post("/konto/logout/")
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/staff/").status_code == 302


def test_logout_needs_post(client, lead_a):
    post_login(client, "leitung@a.example", PASSWORD)
    client.get("/konto/logout/")
    assert client.get("/staff/").status_code == 200


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, lead_a):
    for _ in range(5):
        post_login(client, "leitung@a.example", "falsches-passwort-123")
    response = post_login(client, "leitung@a.example", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Zu viele gescheiterte Anmeldeversuche" in response.text


def test_too_many_login_requests_from_one_address_answer_429(client, lead_a):
    statuses = [
        post_login(client, f"nobody{n}@example.org", "falsches-passwort-123").status_code
        for n in range(35)
    ]
    assert 429 in statuses
    assert statuses[0] == 200


def test_admin_has_no_own_login_form_and_sends_to_the_throttled_login(client, lead_a):
    response = client.post("/admin/login/", {"username": "leitung@a.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_superuser("root@example.org", PASSWORD)
    for _ in range(5):
        post_login(client, "root@example.org", "falsches-passwort-123")
    post_login(client, "root@example.org", PASSWORD)
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_signup_is_closed(client, db):
    response = client.post(
        "/konto/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    from wohnfair.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()
    assert response.status_code == 200
