"""Milestones: list, create, edit, delete (audited), public flag, demo history."""

from datetime import date

import pytest

from wohnfair.audit.models import AuditEntry
from wohnfair.monitoring.models import Milestone

MILESTONES = "/staff/statistik/meilensteine/"


def test_editor_creates_a_public_milestone_that_the_website_can_read(login, editor_a, org_a, org_b):
    response = login(editor_a).post(
        MILESTONES + "neu/",
        {"date": "2009-01-01", "title": "Integrationsagentur", "text": "", "is_public": "on"},
    )
    assert response.status_code == 302
    Milestone.objects.create(organisation=org_a, date=date(2020, 1, 1), title="Intern")
    Milestone.objects.create(
        organisation=org_b, date=date(2020, 1, 1), title="Andere Stelle", is_public=True
    )
    public = Milestone.objects.of_organisation(org_a).filter(is_public=True)
    assert [m.title for m in public] == ["Integrationsagentur"]
    assert AuditEntry.objects.filter(action="milestone.created", object_id=str(public[0].pk))


def test_list_shows_own_milestones_only(login, lead_a, org_a, org_b):
    Milestone.objects.create(organisation=org_a, date=date(1997, 1, 1), title="Projektstart")
    Milestone.objects.create(organisation=org_b, date=date(1998, 1, 1), title="Fremder Meilenstein")
    page = login(lead_a).get(MILESTONES)
    assert page.status_code == 200
    assert "Projektstart" in page.text and "Fremder Meilenstein" not in page.text


def test_lead_edits_and_deletes_with_audit(login, lead_a, org_a):
    milestone = Milestone.objects.create(organisation=org_a, date=date(1997, 1, 1), title="Alt")
    client = login(lead_a)
    response = client.post(
        f"{MILESTONES}{milestone.pk}/", {"date": "1997-02-01", "title": "Neu", "text": "Mehr."}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.date, milestone.is_public) == (
        "Neu",
        date(1997, 2, 1),
        False,
    )
    assert client.get(f"{MILESTONES}{milestone.pk}/loeschen/").status_code == 200
    assert client.post(f"{MILESTONES}{milestone.pk}/loeschen/").status_code == 302
    assert not Milestone.objects.of_organisation(org_a).exists()
    actions = set(
        AuditEntry.objects.filter(object_id=str(milestone.pk)).values_list("action", flat=True)
    )
    assert {"milestone.updated", "milestone.deleted"} <= actions


def test_bad_date_gets_a_message_and_nothing_is_stored(login, lead_a, org_a):
    response = login(lead_a).post(MILESTONES + "neu/", {"date": "31.02.2020", "title": "X"})
    assert response.status_code == 400
    assert 'id="id_date_error"' in response.text
    assert not Milestone.objects.of_organisation(org_a).exists()


def test_markup_in_a_milestone_is_shown_as_text(login, lead_a, org_a):
    Milestone.objects.create(organisation=org_a, date=date(2001, 1, 1), title="<b>fett</b>")
    assert "&lt;b&gt;fett&lt;/b&gt;" in login(lead_a).get(MILESTONES).text


@pytest.mark.parametrize("suffix", ["", "loeschen/"])
def test_other_organisation_gets_404(login, lead_b, org_a, suffix):
    milestone = Milestone.objects.create(organisation=org_a, date=date(1997, 1, 1), title="A")
    client = login(lead_b)
    assert client.get(f"{MILESTONES}{milestone.pk}/{suffix}").status_code == 404
    assert client.post(f"{MILESTONES}{milestone.pk}/{suffix}", {"title": "B"}).status_code == 404
    assert Milestone.objects.of_organisation(org_a).filter(title="A").exists()


def test_counsellor_has_no_milestone_pages(login, counsellor_a, org_a):
    milestone = Milestone.objects.create(organisation=org_a, date=date(1997, 1, 1), title="A")
    client = login(counsellor_a)
    assert client.get(MILESTONES).status_code == 403
    assert client.post(f"{MILESTONES}{milestone.pk}/loeschen/").status_code == 404


def test_anonymous_is_sent_to_login(db, anonymous):
    response = anonymous.get(MILESTONES)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_demo_history_goals_and_annual_report_are_loaded_once(org_a, lead_a, settings, tmp_path):
    from django.utils import timezone

    from wohnfair.monitoring.demo import GOALS, MILESTONES, build_demo_monitoring
    from wohnfair.monitoring.models import Goal, ReportState, StatisticsReport

    settings.MEDIA_ROOT = tmp_path / "media"
    build_demo_monitoring()
    build_demo_monitoring()
    milestones = Milestone.objects.of_organisation(org_a).order_by("date")
    assert milestones.count() == len(MILESTONES)
    assert milestones[0].date == date(1997, 1, 1)
    year = timezone.localdate().year
    assert Goal.objects.of_organisation(org_a).filter(year=year).count() == len(GOALS)
    report = StatisticsReport.objects.of_organisation(org_a).get()
    assert report.period_start == date(year - 1, 1, 1)
    assert report.state == ReportState.DONE and report.file_name
