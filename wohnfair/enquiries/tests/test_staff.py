"""The staff inbox: list and filters, one enquiry (audited), assign, status, spam,
opening a mediation case."""

import pytest
from django.core import mail

from wohnfair.audit.models import AuditEntry
from wohnfair.cases.models import Case, CaseType
from wohnfair.enquiries.models import Enquiry, EnquiryStatus
from wohnfair.enquiries.tests.conftest import all_enquiries, make_enquiry

INBOX = "/staff/anfragen/"


def detail(enquiry, suffix=""):
    return f"/staff/anfragen/{enquiry.pk}/{suffix}"


def test_the_inbox_lists_open_enquiries_of_the_organisation_only(login, counsellor_a, org_a, org_b):
    mine = make_enquiry(org_a, "mediation")
    done = make_enquiry(org_a, status=EnquiryStatus.DONE)
    foreign = make_enquiry(org_b)
    page = login(counsellor_a).get(INBOX)
    assert page.status_code == 200
    assert detail(mine) in page.text
    assert detail(done) not in page.text
    assert detail(foreign) not in page.text
    assert "Aylin" not in page.text  # no personal data in the list


def test_filters_by_kind_and_status(login, counsellor_a, org_a):
    contact = make_enquiry(org_a, "contact")
    support = make_enquiry(org_a, "support")
    spam = make_enquiry(org_a, "support", status=EnquiryStatus.SPAM)
    client = login(counsellor_a)
    page = client.get(INBOX, {"kind": "support"})
    assert detail(support) in page.text and detail(contact) not in page.text
    page = client.get(INBOX, {"status": "spam"})
    assert detail(spam) in page.text and detail(support) not in page.text
    page = client.get(INBOX, {"status": "all"})
    assert all(detail(e) in page.text for e in (contact, support, spam))


def test_a_bad_filter_is_ignored_with_a_message(login, counsellor_a, org_a):
    make_enquiry(org_a)
    page = login(counsellor_a).get(INBOX, {"kind": "nonsense"})
    assert page.status_code == 400
    assert "Einige Filter sind ungültig" in page.text


def test_viewing_an_enquiry_is_audited(login, counsellor_a, org_a):
    enquiry = make_enquiry(org_a, "mediation", parties="Familie Yilmaz")
    page = login(counsellor_a).get(detail(enquiry))
    assert page.status_code == 200
    assert "Familie Yilmaz" in page.text
    entry = AuditEntry.objects.get(action="enquiry.viewed")
    assert (entry.actor, entry.object_id) == (counsellor_a, str(enquiry.pk))
    assert "Yilmaz" not in str(entry.details)


def test_assigning_a_counsellor_puts_it_in_progress(login, lead_a, counsellor_a, org_a):
    enquiry = make_enquiry(org_a)
    response = login(lead_a).post(detail(enquiry, "zuweisen/"), {"assignee": counsellor_a.pk})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.assigned_to, enquiry.status) == (counsellor_a, EnquiryStatus.IN_PROGRESS)
    assert AuditEntry.objects.filter(action="enquiry.assigned").count() == 1


def test_a_counsellor_of_another_organisation_cannot_be_assigned(
    login, lead_a, counsellor_b, org_a
):
    enquiry = make_enquiry(org_a)
    response = login(lead_a).post(detail(enquiry, "zuweisen/"), {"assignee": counsellor_b.pk})
    assert response.status_code == 400
    enquiry.refresh_from_db()
    assert enquiry.assigned_to is None


def test_status_done_and_spam(login, counsellor_a, org_a):
    enquiry = make_enquiry(org_a)
    client = login(counsellor_a)
    assert client.post(detail(enquiry, "status/"), {"status": "done"}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.DONE and enquiry.closed_at is not None
    assert client.post(detail(enquiry, "status/"), {"status": "spam"}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.SPAM


@pytest.mark.parametrize("status", ["new", "deleted", ""])
def test_a_bad_status_changes_nothing(login, counsellor_a, org_a, status):
    enquiry = make_enquiry(org_a, status=EnquiryStatus.IN_PROGRESS)
    response = login(counsellor_a).post(detail(enquiry, "status/"), {"status": status})
    assert response.status_code == 400
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.IN_PROGRESS


def test_a_mediation_request_becomes_a_mediation_case(login, counsellor_a, org_a):
    enquiry = make_enquiry(org_a, "mediation", phone="0231 5555")
    response = login(counsellor_a).post(detail(enquiry, "fall-eroeffnen/"))
    assert response.status_code == 302
    case = Case.objects.of_organisation(org_a).get()
    assert case.case_type == CaseType.MEDIATION
    assert response.url == case.get_absolute_url()
    person = case.persons.get()
    assert (person.name, person.email, person.phone) == (
        "Aylin Demir",
        "aylin@example.org",
        "0231 5555",
    )
    enquiry.refresh_from_db()
    assert (enquiry.case, enquiry.status) == (case, EnquiryStatus.IN_PROGRESS)
    again = login(counsellor_a).post(detail(enquiry, "fall-eroeffnen/"))
    assert again.status_code == 400
    assert "schon ein Fall" in again.text
    assert Case.objects.of_organisation(org_a).count() == 1


def test_no_case_from_a_contact_enquiry(login, counsellor_a, org_a):
    enquiry = make_enquiry(org_a, "contact")
    response = login(counsellor_a).post(detail(enquiry, "fall-eroeffnen/"))
    assert response.status_code == 400
    assert Case.objects.of_organisation(org_a).count() == 0
    assert "Konfliktfall eröffnen" not in login(counsellor_a).get(detail(enquiry)).text


def test_the_mediation_page_offers_the_case_button(login, counsellor_a, org_a):
    enquiry = make_enquiry(org_a, "mediation")
    assert "Konfliktfall eröffnen" in login(counsellor_a).get(detail(enquiry)).text


def test_extra_fields_change_nothing_else(login, counsellor_a, org_a, org_b):
    enquiry = make_enquiry(org_a)
    login(counsellor_a).post(
        detail(enquiry, "status/"), {"status": "done", "organisation": org_b.pk, "message": "x"}
    )
    enquiry = Enquiry.objects.of_organisation(org_a).get(pk=enquiry.pk)
    assert enquiry.message == "Bitte um Rückruf."
    assert all_enquiries().filter(organisation=org_b).count() == 0
    assert mail.outbox == []
