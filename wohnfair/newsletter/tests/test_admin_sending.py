"""Editors send a newsletter from the CMS: confirm page, task enqueued, progress page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_tasks_db.models import DBTaskResult

from wohnfair.newsletter.models import Sending
from wohnfair.newsletter.tests.conftest import make_subscriber


@pytest.fixture
def cms_editor(editor_a, newsletter_page):
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name="Redaktion Newsletter")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=newsletter_page.get_parent(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    editor_a.groups.add(group)
    return editor_a


def test_confirm_then_progress(
    login, cms_editor, newsletter_page, django_capture_on_commit_callbacks
):
    make_subscriber("leser@example.org")
    client = login(cms_editor, mfa=True)
    url = f"/cms/newsletter/{newsletter_page.pk}/versenden/"
    page = client.get(url)
    assert page.status_code == 200
    assert "1 bestätigte Adresse" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"/cms/newsletter/{newsletter_page.pk}/versand/"
    assert Sending.objects.get().total == 1
    assert DBTaskResult.objects.filter(task_path__endswith="send_newsletter").count() == 1
    progress = client.get(response.url)
    assert progress.status_code == 200
    assert 'http-equiv="refresh"' in progress.text
    assert "data-total>1<" in progress.text and "data-sent>0<" in progress.text
    # Posting again starts nothing new.
    client.post(url)
    assert (
        Sending.objects.count() == 1
        and DBTaskResult.objects.filter(task_path__endswith="send_newsletter").count() == 1
    )


def test_the_edit_page_offers_the_send_action(login, cms_editor, newsletter_page):
    page = login(cms_editor, mfa=True).get(f"/cms/pages/{newsletter_page.pk}/edit/")
    assert page.status_code == 200
    assert f"/cms/newsletter/{newsletter_page.pk}/versenden/" in page.text


def test_without_publish_permission_there_is_no_sending(login, editor_a, newsletter_page):
    group = Group.objects.create(name="nur CMS")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor_a.groups.add(group)
    response = login(editor_a, mfa=True).post(f"/cms/newsletter/{newsletter_page.pk}/versenden/")
    assert response.status_code in (302, 403)
    assert Sending.objects.count() == 0


def test_anonymous_cannot_reach_the_cms_views(client, newsletter_page):
    response = client.get(f"/cms/newsletter/{newsletter_page.pk}/versenden/")
    assert response.status_code == 302
    assert Sending.objects.count() == 0
