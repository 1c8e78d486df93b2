import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from wohnfair.accounts import services
from wohnfair.accounts.models import Invitation, Membership, Role, User

NEW_PASSWORD = "ein sehr gutes neues passwort"


def invite(client, email="neu@example.org", role=Role.COUNSELLOR):
    return client.post("/staff/team/einladen/", {"email": email, "role": role})


def link_from_mail():
    assert len(mail.outbox) == 1
    return re.search(r"http://\S+/einladung/(\S+)/", mail.outbox[0].body).group(1)


def test_lead_invites_and_the_link_arrives_by_mail(
    login, lead_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(login(lead_a))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "neu@example.org"
    token = link_from_mail()
    assert invitation.token_hash != token  # only the hash is stored
    assert token not in str(Invitation.objects.values_list())


def test_invited_person_sets_password_and_becomes_member(
    login, lead_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(login(lead_a), role=Role.EDITOR)
    token = link_from_mail()
    client.logout()
    form = client.get(f"/einladung/{token}/")
    assert "Planerladen Dortmund" in form.text
    response = client.post(
        f"/einladung/{token}/",
        {"display_name": "Neue Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="neu@example.org")
    assert membership.role == Role.EDITOR
    assert membership.organisation == lead_a.memberships.get().organisation
    assert User.objects.get(email="neu@example.org").check_password(NEW_PASSWORD)


def test_a_used_invitation_cannot_be_used_again(client, lead_a, org_a):
    issued = services.invite_member(
        organisation=org_a, email="neu@example.org", role=Role.COUNSELLOR, invited_by=lead_a
    )
    data = {"display_name": "A", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(issued.path, data).status_code == 302
    second = client.post(issued.path, {**data, "display_name": "B"})
    assert second.status_code == 410
    assert "bereits verwendet" in second.text
    assert User.objects.get(email="neu@example.org").display_name == "A"
    with pytest.raises(services.InvitationError):
        services.accept_invitation(issued.token, password=NEW_PASSWORD)


def test_an_expired_invitation_explains_itself_and_creates_nothing(client, lead_a, org_a):
    issued = services.invite_member(
        organisation=org_a, email="neu@example.org", role=Role.COUNSELLOR, invited_by=lead_a
    )
    with time_machine.travel(issued.invitation.created_at + timedelta(days=7, minutes=1)):
        response = client.post(
            issued.path,
            {"display_name": "A", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 410
    assert "abgelaufen" in response.text
    assert not User.objects.filter(email="neu@example.org").exists()


def test_invitation_is_still_valid_on_day_six(client, lead_a, org_a):
    issued = services.invite_member(
        organisation=org_a, email="neu@example.org", role=Role.COUNSELLOR, invited_by=lead_a
    )
    with time_machine.travel(issued.invitation.created_at + timedelta(days=6, hours=23)):
        assert client.get(issued.path).status_code == 200


def test_unknown_token_gets_a_clear_answer(client, db):
    response = client.get("/einladung/erfunden/")
    assert response.status_code == 410
    assert "ungültig" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "A", "password1": "kurz", "password2": "kurz"}, "zu kurz"),
        (
            {"display_name": "A", "password1": "password1234", "password2": "password1234"},
            "zu üblich",
        ),
        (
            {"display_name": "A", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
            "stimmen nicht überein",
        ),
        ({"display_name": "A", "password1": "x" * 129, "password2": "x" * 129}, "höchstens 128"),
        (
            {"display_name": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            "zwingend erforderlich",
        ),
    ],
)
def test_bad_password_is_refused_with_message_and_invitation_stays_usable(
    client, lead_a, org_a, data, message
):
    issued = services.invite_member(
        organisation=org_a, email="neu@example.org", role=Role.COUNSELLOR, invited_by=lead_a
    )
    response = client.post(issued.path, data)
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.filter(email="neu@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_password_without_digits_or_capitals_is_fine(client, lead_a, org_a):
    issued = services.invite_member(
        organisation=org_a, email="neu@example.org", role=Role.COUNSELLOR, invited_by=lead_a
    )
    data = {
        "display_name": "A",
        "password1": "nur kleine worte hier",
        "password2": "nur kleine worte hier",
    }
    assert client.post(issued.path, data).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "kein-at-zeichen", "role": Role.COUNSELLOR}, "gültige E-Mail-Adresse"),
        ({"email": "x@example.org", "role": "superuser"}, "keine gültige Auswahl"),
        ({"email": "x@example.org", "role": Role.ADMINISTRATOR}, "keine gültige Auswahl"),
        ({"email": "", "role": Role.COUNSELLOR}, "zwingend erforderlich"),
    ],
)
def test_bad_invitation_input_is_refused(login, lead_a, data, message):
    response = login(lead_a).post("/staff/team/einladen/", data)
    assert response.status_code == 400
    assert message in response.text
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(login, lead_a, counsellor_a):
    response = invite(login(lead_a), email=counsellor_a.email)
    assert response.status_code == 400
    assert "bereits Mitglied" in response.text


def test_existing_user_of_another_org_joins_after_login(client, lead_a, org_a, counsellor_b):
    issued = services.invite_member(
        organisation=org_a, email=counsellor_b.email, role=Role.COUNSELLOR, invited_by=lead_a
    )
    response = client.get(issued.path)
    assert response.status_code == 302
    assert "/konto/login/" in response.url
    client.force_login(counsellor_b)
    assert client.post(issued.path).status_code == 302
    assert counsellor_b.memberships.count() == 2


def test_counsellor_cannot_invite(login, counsellor_a):
    assert invite(login(counsellor_a)).status_code == 403
    assert not Invitation.objects.exists()
