"""Who gets into the Wagtail admin (/cms/): editors and leads, not counsellors."""

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import GroupApprovalTask

from wohnfair.accounts.models import Membership, Role
from wohnfair.website.cms_access import EDITORS_GROUP, LEADS_GROUP


def test_editor_and_lead_get_into_the_cms(login, editor_a, lead_a):
    assert login(editor_a).get("/cms/").status_code == 200
    assert login(lead_a).get("/cms/").status_code == 200


def test_counsellor_and_anonymous_do_not(login, client, counsellor_a):
    anonymous = client.get("/cms/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/konto/login/")
    response = login(counsellor_a).get("/cms/")
    assert response.status_code in (302, 403)
    assert not counsellor_a.has_perm("wagtailadmin.access_admin")


def test_editors_submit_for_moderation_and_leads_publish(editor_a, lead_a):
    editors = Group.objects.get(name=EDITORS_GROUP)
    leads = Group.objects.get(name=LEADS_GROUP)
    assert editors in editor_a.groups.all() and leads not in editor_a.groups.all()
    assert leads in lead_a.groups.all()
    editor_codenames = set(editors.page_permissions.values_list("permission__codename", flat=True))
    lead_codenames = set(leads.page_permissions.values_list("permission__codename", flat=True))
    assert "publish_page" not in editor_codenames and "change_page" in editor_codenames
    assert "publish_page" in lead_codenames
    assert all(leads in task.groups.all() for task in GroupApprovalTask.objects.all())


def test_losing_the_role_or_membership_closes_the_cms(login, editor_a):
    membership = Membership.objects.get(user=editor_a)
    membership.role = Role.COUNSELLOR
    membership.save()
    editor_a.refresh_from_db()
    assert not editor_a.groups.filter(name=EDITORS_GROUP).exists()
    membership.role = Role.EDITOR
    membership.save()
    assert editor_a.groups.filter(name=EDITORS_GROUP).exists()
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.save()
    assert not editor_a.groups.filter(name=EDITORS_GROUP).exists()
    assert login(editor_a).get("/cms/").status_code == 302


def test_a_deactivated_user_leaves_the_cms_groups(editor_a):
    editor_a.is_active = False
    editor_a.save()
    assert not editor_a.groups.filter(name=EDITORS_GROUP).exists()


def test_wagtail_login_forms_send_to_the_staff_login(client, db):
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fcms%2Fpages%2F"
    response = client.get("/_util/login/?next=https://evil.example/")
    assert response["Location"] == "/konto/login/"
    assert client.post("/cms/login/", {"username": "x", "password": "y"}).status_code == 302


def test_the_cms_needs_the_second_factor_in_production(login, editor_a, settings):
    settings.WOHNFAIR_REQUIRE_MFA = True
    response = login(editor_a).get("/cms/")
    assert response.status_code == 302
    assert "/konto/2fa/" in response["Location"]
    assert login(editor_a, mfa=True).get("/cms/").status_code == 200


def test_only_the_cms_gets_the_looser_content_security_policy(login, editor_a, client, db):
    cms = login(editor_a).get("/cms/")
    assert "'unsafe-inline'" in cms["Content-Security-Policy"]
    assert cms["X-Frame-Options"] == "SAMEORIGIN"
    public = client.get("/konto/login/")
    assert "unsafe-inline" not in public["Content-Security-Policy"]
