"""Enquiries are deleted after their retention period; the job is idempotent."""

from datetime import timedelta

from django.utils import timezone

from wohnfair.audit.models import AuditEntry
from wohnfair.enquiries import services, tasks
from wohnfair.enquiries.models import EnquiryStatus
from wohnfair.enquiries.tests.conftest import all_enquiries, make_enquiry


def test_closed_spam_and_stale_enquiries_go_recent_ones_stay(org_a, org_b):
    now = timezone.now()
    old_done = make_enquiry(org_a, status=EnquiryStatus.DONE, closed_at=now - timedelta(days=400))
    new_done = make_enquiry(org_a, status=EnquiryStatus.DONE, closed_at=now - timedelta(days=30))
    old_spam = make_enquiry(org_b, status=EnquiryStatus.SPAM, closed_at=now - timedelta(days=31))
    open_one = make_enquiry(org_a)
    stale = make_enquiry(org_a)
    all_enquiries().filter(pk=stale.pk).update(updated_at=now - timedelta(days=800))
    assert services.delete_expired_enquiries(now) == 3
    left = set(all_enquiries().values_list("pk", flat=True))
    assert left == {new_done.pk, open_one.pk}
    assert old_done.pk not in left and old_spam.pk not in left
    assert AuditEntry.objects.filter(action="enquiry.deleted_by_retention").count() == 3
    assert services.delete_expired_enquiries(now) == 0


def test_the_periodic_task_runs_the_deletion(org_a):
    make_enquiry(org_a, status=EnquiryStatus.DONE, closed_at=timezone.now() - timedelta(days=366))
    assert tasks.delete_expired_enquiries.call() == 1
    assert all_enquiries().count() == 0
