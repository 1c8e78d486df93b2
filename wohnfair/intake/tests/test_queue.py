"""The intake queue at /staff/meldungen/: who sees which reports, in which order, filtered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wohnfair.accounts.models import Role
from wohnfair.intake import triage
from wohnfair.intake.models import Report, ReportStatus
from wohnfair.intake.tests.staff_helpers import make_report, member, reporter_message

QUEUE = reverse("intake:queue")


@pytest.fixture
def network_admin(network):
    return member(network, Role.ADMINISTRATOR, "admin@netzwerk.example")


def age(report, days):
    Report.objects.unscoped("test").filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def references(response):
    return [row["report"].reference for row in response.context["rows"]]


def test_anonymous_visitors_are_sent_to_login(anonymous):
    response = anonymous.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")


@pytest.mark.parametrize("persona", ["editor_a", "network_analyst"])
def test_roles_without_reports_are_refused(login, request, persona):
    assert login(request.getfixturevalue(persona)).get(QUEUE).status_code == 403


def test_counsellors_see_only_their_organisations_reports(login, counsellor_a, org_a, org_b):
    own = make_report(org_a)
    foreign = make_report(org_b)
    queued = make_report(None)
    response = login(counsellor_a).get(QUEUE)
    assert response.status_code == 200
    assert own.reference in response.content.decode()
    assert foreign.reference not in response.content.decode()
    assert queued.reference not in response.content.decode()


def test_new_reports_come_first_then_the_newest(login, lead_a, org_a):
    old_new = make_report(org_a)
    age(old_new, 5)
    working = make_report(org_a, status=ReportStatus.IN_PROGRESS)
    fresh = make_report(org_a)
    assert references(login(lead_a).get(QUEUE)) == [
        fresh.reference,
        old_new.reference,
        working.reference,
    ]


def test_open_reports_by_default_and_every_status_by_filter(login, lead_a, org_a):
    new = make_report(org_a)
    spam = make_report(org_a, status=ReportStatus.SPAM)
    closed = make_report(org_a, status=ReportStatus.CLOSED)
    client = login(lead_a)
    assert references(client.get(QUEUE)) == [new.reference]
    assert references(client.get(QUEUE, {"status": "spam"})) == [spam.reference]
    assert set(references(client.get(QUEUE, {"status": "alle"}))) == {
        new.reference,
        spam.reference,
        closed.reference,
    }


def test_the_queue_counts_reports_per_status(login, lead_a, org_a, org_b):
    make_report(org_a)
    make_report(org_a)
    make_report(org_a, status=ReportStatus.SPAM)
    make_report(org_b)
    response = login(lead_a).get(QUEUE)
    counts = {link["value"]: link["count"] for link in response.context["status_links"]}
    assert counts[ReportStatus.RECEIVED] == 2
    assert counts[ReportStatus.SPAM] == 1
    assert response.context["new_count"] == 2
    assert "2 neue Meldungen" in response.content.decode()


def test_filter_by_language(login, counsellor_a, org_a):
    turkish = make_report(org_a, language="tr")
    make_report(org_a, language="de")
    assert references(login(counsellor_a).get(QUEUE, {"sprache": "tr"})) == [turkish.reference]


def test_an_invalid_filter_is_reported_and_ignored(login, counsellor_a, org_a):
    report = make_report(org_a)
    response = login(counsellor_a).get(QUEUE, {"status": "<script>", "sprache": "xx"})
    assert response.status_code == 400
    assert "Einige Filter sind ungültig" in response.content.decode()
    assert "<script>" not in response.content.decode()
    assert references(response) == [report.reference]


def test_unread_reporter_messages_are_counted(login, counsellor_a, org_a):
    report = make_report(org_a)
    reporter_message(report)
    reporter_message(report)
    response = login(counsellor_a).get(QUEUE)
    assert response.context["rows"][0]["report"].unread == 2
    assert "2 neue Nachrichten" in response.content.decode()


def test_a_network_administrator_sees_the_network_queue_and_the_members(
    login, network_admin, org_a, org_b
):
    queued = make_report(None)
    at_a = make_report(org_a)
    client = login(network_admin)
    assert set(references(client.get(QUEUE))) == {queued.reference, at_a.reference}
    assert references(client.get(QUEUE, {"organisation": "netz"})) == [queued.reference]
    assert references(client.get(QUEUE, {"organisation": str(org_a.pk)})) == [at_a.reference]
    assert "Netzwerk-Warteschlange" in client.get(QUEUE).content.decode()


def test_new_report_count_for_the_navigation(counsellor_a, org_a, org_b):
    make_report(org_a)
    make_report(org_a, status=ReportStatus.IN_PROGRESS)
    make_report(org_b)
    membership = counsellor_a.memberships.get()
    assert triage.new_report_count(counsellor_a, membership) == 1


def test_the_queue_pages(login, counsellor_a, org_a):
    for _ in range(27):
        make_report(org_a)
    client = login(counsellor_a)
    assert len(client.get(QUEUE).context["rows"]) == 25
    assert len(client.get(QUEUE, {"seite": 2}).context["rows"]) == 2
