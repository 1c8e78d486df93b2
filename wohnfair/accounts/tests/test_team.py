import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from wohnfair.accounts.models import Membership, Role
from wohnfair.accounts.tests.factories import PASSWORD
from wohnfair.audit.models import AuditEntry


def membership_of(user):
    return Membership.objects.get(user=user)


def object_urls(pk):
    return [
        ("get", f"/staff/team/{pk}/"),
        ("post", f"/staff/team/{pk}/"),
        ("post", f"/staff/team/{pk}/deaktivieren/"),
        ("post", f"/staff/team/{pk}/aktivieren/"),
    ]


def test_lead_sees_the_team_of_the_own_organisation_only(login, lead_a, counsellor_a, counsellor_b):
    response = login(lead_a).get("/staff/team/")
    assert response.status_code == 200
    assert counsellor_a.email in response.text
    assert counsellor_b.email not in response.text
    assert AuditEntry.objects.filter(action="team.viewed", actor=lead_a).count() == 1


@pytest.mark.parametrize("index", range(4))
def test_lead_of_other_organisation_gets_404_on_every_member_url(
    login, lead_b, counsellor_a, index
):
    method, url = object_urls(membership_of(counsellor_a).pk)[index]
    response = getattr(login(lead_b), method)(url, {"role": Role.LEAD})
    assert response.status_code == 404
    assert membership_of(counsellor_a).role == Role.COUNSELLOR
    assert membership_of(counsellor_a).is_active


@pytest.mark.parametrize("url", ["/staff/", "/staff/team/", "/staff/team/1/", "/staff/protokoll/"])
def test_anonymous_is_sent_to_login(anonymous, url, db):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/?next=")


@pytest.mark.parametrize("url", ["/staff/team/", "/staff/protokoll/"])
def test_counsellor_may_not_manage_the_team(login, counsellor_a, url):
    assert login(counsellor_a).get(url).status_code == 403


def test_user_without_membership_is_refused(login, django_user_model):
    loner = django_user_model.objects.create_user("allein@example.org", PASSWORD)
    response = login(loner).get("/staff/")
    assert response.status_code == 403
    assert "keiner Organisation" in response.text


def test_lead_changes_a_role_and_it_is_audited(login, lead_a, counsellor_a):
    membership = membership_of(counsellor_a)
    response = login(lead_a).post(f"/staff/team/{membership.pk}/", {"role": Role.LEAD})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.LEAD
    entry = AuditEntry.objects.get(action="member.role_changed")
    assert entry.details == {"old": "counsellor", "new": "lead"}


def test_bad_role_is_refused_and_nothing_changes(login, lead_a, counsellor_a):
    membership = membership_of(counsellor_a)
    response = login(lead_a).post(f"/staff/team/{membership.pk}/", {"role": "god"})
    assert response.status_code == 400
    assert "keine gültige Auswahl" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.COUNSELLOR


def test_extra_fields_do_not_change_organisation_or_status(login, lead_a, counsellor_a, org_b):
    membership = membership_of(counsellor_a)
    login(lead_a).post(
        f"/staff/team/{membership.pk}/",
        {"role": Role.EDITOR, "organisation": org_b.pk, "is_active": "", "user": 999},
    )
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert membership.organisation_id != org_b.pk
    assert membership.is_active
    assert membership.user == counsellor_a


def test_lead_cannot_change_own_role_or_deactivate_self(login, lead_a):
    own = membership_of(lead_a)
    client = login(lead_a)
    client.post(f"/staff/team/{own.pk}/", {"role": Role.COUNSELLOR})
    client.post(f"/staff/team/{own.pk}/deaktivieren/")
    own.refresh_from_db()
    assert own.role == Role.LEAD
    assert own.is_active


def test_deactivation_ends_all_sessions_of_the_member(login, lead_a, counsellor_a):
    member_browser = Client()
    member_browser.post("/konto/login/", {"login": counsellor_a.email, "password": PASSWORD})
    assert member_browser.get("/staff/").status_code == 200
    membership = membership_of(counsellor_a)

    response = login(lead_a).post(f"/staff/team/{membership.pk}/deaktivieren/")

    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert member_browser.get("/staff/").status_code == 302
    assert not Session.objects.filter(
        session_key=member_browser.cookies["sessionid"].value
    ).exists()
    assert AuditEntry.objects.filter(action="member.deactivated").count() == 1


def test_deactivated_member_cannot_log_in_to_the_organisation(login, lead_a, counsellor_a):
    membership = membership_of(counsellor_a)
    login(lead_a).post(f"/staff/team/{membership.pk}/deaktivieren/")
    member_browser = Client()
    member_browser.post("/konto/login/", {"login": counsellor_a.email, "password": PASSWORD})
    assert member_browser.get("/staff/").status_code == 403


def test_reactivation_restores_access(login, lead_a, counsellor_a):
    membership = membership_of(counsellor_a)
    client = login(lead_a)
    client.post(f"/staff/team/{membership.pk}/deaktivieren/")
    client.post(f"/staff/team/{membership.pk}/aktivieren/")
    membership.refresh_from_db()
    assert membership.is_active


def test_deactivate_needs_post(login, lead_a, counsellor_a):
    membership = membership_of(counsellor_a)
    assert login(lead_a).get(f"/staff/team/{membership.pk}/deaktivieren/").status_code == 405
    membership.refresh_from_db()
    assert membership.is_active
