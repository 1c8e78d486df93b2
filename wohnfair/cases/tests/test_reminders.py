"""Deadline and review reminders: exactly once per lead time, without personal data."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import close_old_connections, connection, connections

from wohnfair.cases import deadlines
from wohnfair.cases.models import Agreement, Case, CaseStatus, Notification, ReminderSent
from wohnfair.cases.reminders import parse_lead_days, send_due_reminders

BERLIN = ZoneInfo("Europe/Berlin")
CANARY = "Kanarienvogel-4711"
# Incident on Saturday 3 October 2026 -> the period ends on Thursday 3 December 2026.
INCIDENT = date(2026, 10, 3)
DUE = date(2026, 12, 3)


def at(day: int, month: int = 11, hour: int = 8) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BERLIN)


@pytest.fixture
def clock(time_machine):
    def _move(when: datetime) -> datetime:
        time_machine.move_to(when, tick=False)
        return when

    _move(at(1))
    return _move


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """One run of the job; e-mails go out after the commit, as in production."""

    def _run(when: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(when)

    return _run


@pytest.fixture
def due_case(clock, make_case, org_a, counsellor_a):
    case = make_case(
        org_a,
        by=counsellor_a,
        name=f"Frau {CANARY}",
        description=f"Der Makler sagte zu {CANARY} ...",
        incident_date=INCIDENT,
    )
    assert case.deadlines.get().due_on == DUE
    return case


def test_lead_days_are_read_leniently():
    assert parse_lead_days("14,7,2") == [14, 7, 2]
    assert parse_lead_days(" 2; 7 ,14,7, x, -1, 9999") == [14, 7, 2]
    assert parse_lead_days("") == []
    assert parse_lead_days("0") == [0]


@pytest.mark.django_db
def test_each_lead_time_is_reminded_exactly_once(remind, due_case, clock, counsellor_a):
    assert remind(clock(at(18))) == 0  # 15 days left: nothing yet
    assert remind(clock(at(19))) == 1  # 14 days left
    assert remind(clock(at(19, hour=9))) == 0  # the next hourly run
    assert remind(clock(at(20))) == 0
    assert remind(clock(at(26))) == 1  # 7 days left
    assert remind(clock(at(26, hour=23))) == 0
    assert remind(clock(at(1, month=12))) == 1  # 2 days left
    assert remind(clock(at(3, month=12))) == 0
    assert sorted(ReminderSent.objects.values_list("lead_days", flat=True)) == [2, 7, 14]
    messages = list(Notification.objects.filter(user=counsellor_a).order_by("created_at", "pk"))
    assert [m.case for m in messages] == [due_case] * 3
    assert "noch 14 Tage" in messages[0].message
    assert "noch 2 Tage" in messages[2].message
    assert len(mail.outbox) == 3
    assert all(message.to == [counsellor_a.email] for message in mail.outbox)


@pytest.mark.django_db
def test_lead_times_that_fell_due_together_are_claimed_in_one_message(
    remind, due_case, clock, counsellor_a
):
    # The job did not run for a while (or the case was entered late): 14 and 7 are both due.
    assert remind(clock(at(27))) == 2
    assert remind(clock(at(27, hour=9))) == 0
    assert Notification.objects.filter(user=counsellor_a).count() == 1
    assert len(mail.outbox) == 1
    assert "noch 6 Tage" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_email_names_case_date_and_link_but_no_person(
    remind, due_case, clock, counsellor_a, settings
):
    settings.SITE_URL = "https://wohnfair.example"
    counsellor_a.display_name = "Berta Beraterin"
    counsellor_a.save()
    remind(clock(at(26)))
    [message] = mail.outbox
    text = message.subject + message.body
    assert due_case.number in message.subject
    assert "03.12.2026" in message.body
    assert "noch 7 Tage" in text
    assert f"https://wohnfair.example/staff/faelle/{due_case.number}/" in message.body
    assert "§ 21 Abs. 5 AGG" in message.body
    for private in (CANARY, "Aylin", "Makler", "aylin@example.org", "Berta", "Beraterin"):
        assert private not in text
    notification = Notification.objects.get()
    assert CANARY not in notification.message


@pytest.mark.django_db
def test_no_reminder_for_a_met_deadline(remind, due_case, clock, counsellor_a):
    clock(at(20))
    deadlines.mark_met(due_case.deadlines.get(), date(2026, 11, 20), by=counsellor_a)
    assert remind(clock(at(26))) == 0
    assert not ReminderSent.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_reminder_for_a_closed_case_or_long_past_deadline(
    remind, due_case, clock, make_case, org_a, counsellor_a
):
    Case.objects.unscoped("test").filter(pk=due_case.pk).update(status=CaseStatus.CLOSED)
    assert remind(clock(at(26))) == 0
    clock(at(26))
    old = make_case(org_a, by=counsellor_a, incident_date=date(2026, 9, 1))  # due 02.11.2026
    assert old.deadlines.get().due_on == date(2026, 11, 2)
    assert remind(clock(at(26))) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_deadline_entered_on_its_last_day_still_reminds(
    remind, clock, make_case, org_a, counsellor_a
):
    clock(at(3, month=12))
    make_case(org_a, by=counsellor_a, incident_date=INCIDENT)
    assert remind(clock(at(3, month=12, hour=9))) == 3
    assert "endet heute" in mail.outbox[0].subject
    assert remind(clock(at(4, month=12))) == 0


@pytest.mark.django_db
def test_all_assigned_counsellors_are_reminded_and_nobody_else(
    remind, clock, make_case, org_a, org_b, counsellor_a, lead_a, lead_b
):
    from wohnfair.accounts.tests.factories import MembershipFactory, UserFactory

    colleague = MembershipFactory(
        organisation=org_a, user=UserFactory(email="kollegin@a.example")
    ).user
    make_case(org_a, by=counsellor_a, incident_date=INCIDENT, counsellors=[counsellor_a, colleague])
    remind(clock(at(26)))
    assert sorted(m.to[0] for m in mail.outbox) == ["beratung@a.example", "kollegin@a.example"]
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        "beratung@a.example",
        "kollegin@a.example",
    }
    assert set(Notification.objects.values_list("organisation", flat=True)) == {org_a.pk}


@pytest.mark.django_db
def test_without_an_active_counsellor_the_leads_are_reminded(
    remind, due_case, clock, counsellor_a, lead_a
):
    counsellor_a.memberships.update(is_active=False)
    remind(clock(at(26)))
    assert [m.to for m in mail.outbox] == [[lead_a.email]]


@pytest.mark.django_db
def test_the_organisations_lead_times_apply(remind, due_case, clock, org_a):
    org_a.reminder_lead_days = "3"
    org_a.save()
    assert remind(clock(at(26))) == 0
    assert remind(clock(at(30))) == 1
    org_a.reminder_lead_days = ""
    org_a.save()
    assert remind(clock(at(2, month=12))) == 0


@pytest.mark.django_db
def test_a_failing_mail_server_keeps_the_claim_and_the_notification(
    remind, due_case, clock, settings, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    assert remind(clock(at(26))) == 2  # 14 and 7 days
    assert Notification.objects.count() == 1
    assert ReminderSent.objects.count() == 2
    assert remind(clock(at(26, hour=9))) == 0


@pytest.mark.django_db
def test_an_agreement_review_is_reminded_once(remind, clock, make_case, org_a, counsellor_a):
    case = make_case(org_a, by=counsellor_a, case_type="konflikt", name=f"Herr {CANARY}")
    agreement = Agreement.objects.create(
        case=case,
        text=f"{CANARY} hält die Ruhezeiten ein.",
        agreed_on=date(2026, 10, 1),
        review_on=date(2026, 11, 26),
    )
    Agreement.objects.create(
        case=case, text="später", agreed_on=date(2026, 10, 1), review_on=date(2026, 12, 26)
    )
    assert remind(clock(at(25))) == 0
    assert remind(clock(at(26))) == 1
    assert remind(clock(at(27))) == 0
    agreement.refresh_from_db()
    assert agreement.review_reminded_at == at(26)
    [message] = mail.outbox
    assert case.number in message.subject
    assert "01.10.2026" in message.body and "26.11.2026" in message.body
    assert CANARY not in message.subject + message.body
    assert Notification.objects.get().case == case


@pytest.mark.django_db
def test_a_reviewed_agreement_is_not_reminded(remind, clock, make_case, org_a, counsellor_a):
    case = make_case(org_a, by=counsellor_a, case_type="konflikt")
    Agreement.objects.create(
        case=case,
        text="x",
        agreed_on=date(2026, 10, 1),
        review_on=date(2026, 11, 20),
        reviewed_on=date(2026, 11, 19),
    )
    assert remind(clock(at(26))) == 0


def run_in_threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_claim_each_lead_time_once(
    vocabularies, clock, make_case, org_a, counsellor_a
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs concurrent writers: SQLite serialises whole transactions; CI runs PostgreSQL"
        )
    cases = [
        make_case(org_a, by=counsellor_a, incident_date=INCIDENT, name=f"P{n}") for n in range(8)
    ]
    when = clock(at(27))  # 14 and 7 days both due
    close_old_connections()
    results, errors = run_in_threads(lambda: send_due_reminders(when), 2)
    assert errors == []
    assert sum(results) == 2 * len(cases)
    assert ReminderSent.objects.count() == 2 * len(cases)
    assert sorted(ReminderSent.objects.values_list("deadline__case", "lead_days")) == sorted(
        (case.pk, lead) for case in cases for lead in (7, 14)
    )
    assert Notification.objects.count() == len(cases)
    assert len(mail.outbox) == len(cases)
    # Both workers again, later in the same slot: nothing new.
    results, errors = run_in_threads(lambda: send_due_reminders(when), 2)
    assert (errors, sum(results)) == ([], 0)
    assert Notification.objects.count() == len(cases)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_an_agreement_once(
    vocabularies, clock, make_case, org_a, counsellor_a
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs concurrent writers: SQLite serialises whole transactions; CI runs PostgreSQL"
        )
    case = make_case(org_a, by=counsellor_a, case_type="konflikt")
    for n in range(6):
        Agreement.objects.create(
            case=case, text=str(n), agreed_on=date(2026, 10, 1), review_on=date(2026, 11, 20)
        )
    when = clock(at(26))
    results, errors = run_in_threads(lambda: send_due_reminders(when), 2)
    assert errors == []
    assert sum(results) == 6
    assert Notification.objects.count() == 6
    assert not Agreement.objects.filter(review_reminded_at__isnull=True).exists()
