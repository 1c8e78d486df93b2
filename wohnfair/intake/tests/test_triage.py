"""Triage of one report: reading it, assigning, answering, marking, forwarding, catchment.

Bad input gets a clear German message and changes nothing; every action is audited
with codes only, never with the text of a report or a message.
"""

import pytest
from django.urls import reverse

from wohnfair.accounts.models import Role
from wohnfair.accounts.tests.factories import OrganisationFactory
from wohnfair.audit.models import AuditEntry
from wohnfair.intake import triage
from wohnfair.intake.models import CatchmentArea, Report, ReportMessage, ReportStatus
from wohnfair.intake.tests.staff_helpers import make_report, member, reporter_message

SECRET_TEXT = "Hausverwaltung Krause sagte: keine Ausländer"


@pytest.fixture
def report_a(org_a):
    return make_report(
        org_a,
        description=SECRET_TEXT,
        contact_name="Aylin Demir",
        contact_email="aylin@example.org",
        contact_phone="0231 555 0101",
        respondent_name="Hausverwaltung Krause",
        situations=["no_answer", "viewing_refused"],
        grounds=["ethnic_origin", "language"],
    )


@pytest.fixture
def network_admin(network):
    return member(network, Role.ADMINISTRATOR, "admin@netzwerk.example")


@pytest.fixture
def org_outside(db):
    return OrganisationFactory(name="Fachstelle Köln", code="KO")


def url(name, report, *args):
    return reverse(f"intake:{name}", args=[report.reference, *args])


def fresh(report):
    return Report.objects.unscoped("test").get(pk=report.pk)


def audit(action):
    return list(AuditEntry.objects.filter(action=action))


def assert_no_content_in_audit():
    for entry in AuditEntry.objects.all():
        text = str(entry.details)
        assert "Krause" not in text and "Aylin" not in text and "Antwort" not in text


# Reading -------------------------------------------------------------------------------


def test_the_detail_shows_the_decrypted_report_and_is_audited(login, counsellor_a, report_a):
    response = login(counsellor_a).get(url("detail", report_a))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        SECRET_TEXT,
        "Aylin Demir",
        "aylin@example.org",
        "0231 555 0101",
        "Eine Besichtigung wurde mir verweigert",
        "ethnische Herkunft",
        "Sprache",
        "44145 Dortmund, Nordstadt",
    ):
        assert text in page
    entry = audit("report.viewed")[0]
    assert entry.object_id == str(report_a.pk)
    assert entry.actor == counsellor_a
    assert_no_content_in_audit()


def test_markup_in_a_report_is_shown_as_text(login, counsellor_a, org_a):
    report = make_report(org_a, description="<script>alert(1)</script>")
    page = login(counsellor_a).get(url("detail", report)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_viewing_marks_reporter_messages_read_and_shows_internal_notes(
    login, counsellor_a, report_a
):
    message = reporter_message(report_a, "Ich habe noch einen Screenshot.")
    triage.reply(report_a, "Nur für uns: Vermieter bekannt", by=counsellor_a, internal=True)
    response = login(counsellor_a).get(url("detail", report_a))
    page = response.content.decode()
    assert "Ich habe noch einen Screenshot." in page
    assert "Nur für uns: Vermieter bekannt" in page
    assert "interne Notiz" in page
    assert message.pk in response.context["unread_ids"]
    message.refresh_from_db()
    assert message.read_at is not None


# Assigning -----------------------------------------------------------------------------


def test_assigning_a_counsellor_of_the_organisation(login, lead_a, counsellor_a, report_a):
    response = login(lead_a).post(url("assign", report_a), {"assignee": counsellor_a.pk})
    assert response.status_code == 302
    report = fresh(report_a)
    assert report.assigned_to == counsellor_a
    assert report.status == ReportStatus.IN_PROGRESS
    assert audit("report.assigned")[0].details == {"assignee": counsellor_a.pk}


def test_a_foreign_counsellor_cannot_be_assigned(login, lead_a, counsellor_b, report_a):
    response = login(lead_a).post(url("assign", report_a), {"assignee": counsellor_b.pk})
    assert response.status_code == 400
    assert "arbeitet nicht als Berater*in oder Leitung in Ihrer Organisation" in (
        response.content.decode()
    )
    report = fresh(report_a)
    assert report.assigned_to is None
    assert report.status == ReportStatus.RECEIVED
    assert not audit("report.assigned")


def test_the_service_refuses_a_foreign_counsellor_too(lead_a, counsellor_b, report_a):
    with pytest.raises(triage.TriageError):
        triage.assign_report(report_a, counsellor_b, by=lead_a)
    assert fresh(report_a).assigned_to is None


def test_the_assign_choices_are_only_the_organisations_counsellors(
    login, lead_a, counsellor_a, counsellor_b, editor_a, report_a
):
    form = login(lead_a).get(url("detail", report_a)).context["assign_form"]
    choices = set(form.fields["assignee"].queryset)
    assert counsellor_a in choices and lead_a in choices
    assert counsellor_b not in choices and editor_a not in choices


# Answering -----------------------------------------------------------------------------


def test_an_answer_is_stored_and_a_mail_without_content_goes_out_after_commit(
    login, counsellor_a, report_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(counsellor_a).post(
            url("reply", report_a), {"kind": "answer", "answer-text": "Antwort: wir rufen an."}
        )
    assert response.status_code == 302
    message = ReportMessage.objects.get(report=report_a)
    assert message.body == "Antwort: wir rufen an."
    assert not message.internal
    assert message.author == counsellor_a
    assert fresh(report_a).status == ReportStatus.IN_PROGRESS
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aylin@example.org"]
    assert "neue Nachricht" in mail.body and "Code" in mail.body
    assert "/melden/status/" in mail.body
    for secret in ("wir rufen an", report_a.reference, "Krause", "Aylin"):
        assert secret not in mail.body and secret not in mail.subject
    assert audit("report.answered")[0].details == {"message": message.pk}
    assert_no_content_in_audit()


def test_the_mail_is_in_the_reporters_language(
    counsellor_a, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    report = make_report(org_a, language="en", contact_email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        triage.reply(report, "Hello", by=counsellor_a)
    assert "/en/melden/status/" in mailoutbox[0].body


def test_no_mail_without_an_address_and_none_for_internal_notes(
    login, counsellor_a, org_a, report_a, mailoutbox, django_capture_on_commit_callbacks
):
    anonymous_report = make_report(org_a)
    client = login(counsellor_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("reply", anonymous_report), {"kind": "answer", "answer-text": "Hallo"})
        client.post(url("reply", report_a), {"kind": "note", "note-text": "intern"})
    assert mailoutbox == []
    note = ReportMessage.objects.get(report=report_a)
    assert note.internal
    assert fresh(report_a).status == ReportStatus.RECEIVED
    assert audit("report.note_added")


def test_an_empty_answer_is_refused(login, counsellor_a, report_a, mailoutbox):
    response = login(counsellor_a).post(
        url("reply", report_a), {"kind": "answer", "answer-text": "   "}
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie eine Nachricht." in response.content.decode()
    assert not ReportMessage.objects.filter(report=report_a).exists()
    assert fresh(report_a).status == ReportStatus.RECEIVED


def test_an_overlong_answer_is_refused(counsellor_a, report_a):
    with pytest.raises(triage.TriageError):
        triage.reply(report_a, "x" * (triage.MAX_MESSAGE_LENGTH + 1), by=counsellor_a)
    assert not ReportMessage.objects.filter(report=report_a).exists()


# Spam, duplicates, status ----------------------------------------------------------------


def test_marking_as_spam(login, counsellor_a, report_a):
    response = login(counsellor_a).post(url("set_status", report_a), {"status": "spam"})
    assert response.status_code == 302
    assert fresh(report_a).status == ReportStatus.SPAM
    assert fresh(report_a).public_status == ReportStatus.CLOSED
    assert audit("report.status_changed")[0].details == {"old": "received", "new": "spam"}


def test_marking_as_duplicate_of_a_report_of_the_same_organisation(
    login, counsellor_a, org_a, report_a
):
    original = make_report(org_a)
    response = login(counsellor_a).post(
        url("set_status", report_a), {"status": "duplicate", "duplicate_of": original.reference}
    )
    assert response.status_code == 302
    report = fresh(report_a)
    assert report.status == ReportStatus.DUPLICATE
    assert report.duplicate_of == original


def test_a_duplicate_of_a_foreign_reference_is_refused(login, counsellor_a, org_b, report_a):
    foreign = make_report(org_b)
    response = login(counsellor_a).post(
        url("set_status", report_a), {"status": "duplicate", "duplicate_of": foreign.reference}
    )
    assert response.status_code == 400
    assert "gibt es in Ihrer Organisation nicht" in response.content.decode()
    report = fresh(report_a)
    assert report.status == ReportStatus.RECEIVED
    assert report.duplicate_of is None


def test_a_duplicate_needs_a_reference(login, counsellor_a, report_a):
    response = login(counsellor_a).post(url("set_status", report_a), {"status": "duplicate"})
    assert response.status_code == 400
    assert "Aktenzeichen der ursprünglichen Meldung" in response.content.decode()
    assert fresh(report_a).status == ReportStatus.RECEIVED


def test_a_report_cannot_duplicate_itself(counsellor_a, report_a):
    with pytest.raises(triage.TriageError):
        triage.mark_duplicate(report_a, report_a, by=counsellor_a)


def test_spam_can_be_undone_and_closed_reports_reopened(counsellor_a, report_a):
    triage.mark_spam(report_a, by=counsellor_a)
    triage.set_status(report_a, ReportStatus.RECEIVED, by=counsellor_a)
    triage.set_status(report_a, ReportStatus.CLOSED, by=counsellor_a)
    triage.set_status(report_a, ReportStatus.IN_PROGRESS, by=counsellor_a)
    assert fresh(report_a).status == ReportStatus.IN_PROGRESS


def test_an_impossible_status_change_is_refused(login, counsellor_a, report_a):
    triage.set_status(report_a, ReportStatus.CLOSED, by=counsellor_a)
    response = login(counsellor_a).post(url("set_status", report_a), {"status": "spam"})
    assert response.status_code == 400
    assert "Dieser Statuswechsel ist nicht möglich." in response.content.decode()
    assert fresh(report_a).status == ReportStatus.CLOSED


# Forwarding ----------------------------------------------------------------------------


def test_forwarding_moves_the_report_to_the_other_organisation(
    login, lead_a, counsellor_a, counsellor_b, org_b, network, report_a
):
    triage.assign_report(report_a, counsellor_a, by=lead_a)
    message = reporter_message(report_a)
    client = login(counsellor_a)
    client.get(url("detail", report_a))  # reads the message
    response = client.post(url("forward", report_a), {"organisation": org_b.pk})
    assert response.status_code == 302
    assert response.url == reverse("intake:queue")
    report = fresh(report_a)
    assert report.organisation == org_b
    assert report.assigned_to is None
    assert report.status == ReportStatus.RECEIVED
    message.refresh_from_db()
    assert message.read_at is None  # new for the receiving office
    assert client.get(url("detail", report_a)).status_code == 404
    assert login(counsellor_b).get(url("detail", report_a)).status_code == 200
    assert audit("report.forwarded")[0].organisation_id == report_a.organisation_id
    assert audit("report.forwarded_in")[0].organisation == org_b


def test_forwarding_outside_the_network_is_refused(
    login, counsellor_a, network, org_outside, report_a
):
    response = login(counsellor_a).post(url("forward", report_a), {"organisation": org_outside.pk})
    assert response.status_code == 400
    assert "nur andere Organisationen Ihres Netzwerks" in response.content.decode()
    assert fresh(report_a).organisation_id == report_a.organisation_id


def test_the_service_refuses_forwarding_outside_the_network(
    counsellor_a, network, org_outside, report_a
):
    with pytest.raises(triage.TriageError):
        triage.forward(report_a, org_outside, by=counsellor_a)
    with pytest.raises(triage.TriageError):
        triage.forward(report_a, report_a.organisation, by=counsellor_a)


def test_forward_choices_are_the_other_members_of_the_network(
    login, counsellor_a, org_a, org_b, network, org_outside, report_a
):
    form = login(counsellor_a).get(url("detail", report_a)).context["forward_form"]
    assert list(form.fields["organisation"].queryset) == [org_b]


def test_a_network_administrator_assigns_a_queued_report_to_a_member(
    login, network_admin, counsellor_b, org_b, network
):
    queued = make_report(None)
    client = login(network_admin)
    assert client.get(url("detail", queued)).status_code == 200
    response = client.post(url("forward", queued), {"organisation": org_b.pk})
    assert response.status_code == 302
    assert fresh(queued).organisation == org_b
    assert login(counsellor_b).get(url("detail", queued)).status_code == 200
    assert audit("report.forwarded")[0].organisation == network


def test_a_network_administrator_may_mark_queued_spam_but_not_touch_member_reports(
    login, network_admin, network, report_a, org_b
):
    queued = make_report(None)
    client = login(network_admin)
    assert client.post(url("set_status", queued), {"status": "spam"}).status_code == 302
    assert fresh(queued).status == ReportStatus.SPAM
    response = client.post(url("forward", report_a), {"organisation": org_b.pk})
    assert response.status_code == 400
    assert fresh(report_a).organisation_id == report_a.organisation_id
    for name in ("assign", "reply", "open_case"):
        assert client.post(url(name, queued)).status_code == 404


# Files ---------------------------------------------------------------------------------


def test_a_missing_file_answers_404(login, counsellor_a, report_a):
    assert login(counsellor_a).get(url("download_file", report_a, 999)).status_code == 404


# Catchment -----------------------------------------------------------------------------

CATCHMENT = reverse("intake:catchment")


def test_a_lead_adds_and_removes_catchment_areas(login, lead_a, org_a):
    client = login(lead_a)
    assert client.post(CATCHMENT, {"action": "add", "postcode_prefix": "441"}).status_code == 302
    assert client.post(CATCHMENT, {"action": "add", "district": "Nordstadt"}).status_code == 302
    areas = CatchmentArea.objects.filter(organisation=org_a)
    assert {(a.postcode_prefix, a.district) for a in areas} == {("441", ""), ("", "Nordstadt")}
    page = client.get(CATCHMENT).content.decode()
    assert "441" in page and "Nordstadt" in page
    area = areas.get(postcode_prefix="441")
    assert client.post(CATCHMENT, {"action": "remove", "pk": area.pk}).status_code == 302
    assert not CatchmentArea.objects.filter(pk=area.pk).exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "catchment.added",
        "catchment.added",
        "catchment.removed",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postcode_prefix": "44a"}, "Bitte nur eine bis fünf Ziffern eingeben."),
        ({"postcode_prefix": "441234"}, "Bitte nur eine bis fünf Ziffern eingeben."),
        ({}, "Bitte geben Sie eine Postleitzahl oder einen Stadtteil an."),
        ({"postcode_prefix": "44137"}, "Dieses Gebiet ist bereits eingetragen."),
    ],
)
def test_bad_catchment_input_is_refused(login, lead_a, org_a, data, message):
    CatchmentArea.objects.create(organisation=org_a, postcode_prefix="44137")
    response = login(lead_a).post(CATCHMENT, {"action": "add", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CatchmentArea.objects.count() == 1


def test_another_organisations_area_cannot_be_removed(login, lead_a, org_b):
    foreign = CatchmentArea.objects.create(organisation=org_b, postcode_prefix="447")
    response = login(lead_a).post(CATCHMENT, {"action": "remove", "pk": foreign.pk})
    assert response.status_code == 404
    assert CatchmentArea.objects.filter(pk=foreign.pk).exists()


def test_only_leads_manage_the_catchment(login, counsellor_a, anonymous):
    assert login(counsellor_a).get(CATCHMENT).status_code == 403
    anonymous.logout()
    response = anonymous.get(CATCHMENT)
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
