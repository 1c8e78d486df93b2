import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from wohnfair.audit.models import AuditEntry, AuditLogIsAppendOnly
from wohnfair.audit.services import log_action


@pytest.fixture
def entry(lead_a, org_a):
    return log_action(lead_a, org_a, "member.invited", role="counsellor")


def test_log_action_records_who_what_where(entry, lead_a, org_a):
    stored = AuditEntry.objects.get()
    assert (stored.actor, stored.organisation, stored.action) == (lead_a, org_a, "member.invited")
    assert stored.details == {"role": "counsellor"}


def test_an_entry_cannot_be_changed(entry):
    entry.action = "something.else"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    assert AuditEntry.objects.get().action == "member.invited"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_the_database_refuses_updates_too(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x'")
    assert AuditEntry.objects.get().action == "member.invited"


def test_admin_offers_no_change_or_delete(login, django_user_model, entry):
    root = django_user_model.objects.create_superuser("root@example.org", "x" * 16)
    client = login(root)
    change = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.text
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_lead_sees_only_the_own_organisations_log(login, lead_a, lead_b, org_a, org_b):
    log_action(lead_a, org_a, "case.viewed")
    log_action(lead_b, org_b, "secret.viewed")
    response = login(lead_a).get("/staff/protokoll/")
    assert "case.viewed" in response.text
    assert "secret.viewed" not in response.text
