"""Delivery of the teams reminders: who gets what, on which channel, exactly once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from konflik import reminders
from konflik.models import Delivery, Notification, Reminder
from teams import reminder_kinds as kinds
from teams import services
from teams.models import Meeting
from teams.tests.factories import FollowUpFactory, InstitutionFactory, MemberFactory, TeamFactory


def _schedule(actor, team, *, start, **extra):
    return services.meeting_schedule(
        actor=actor,
        team=team,
        title="Rapat koordinasi pengamanan Natal",
        kind=Meeting.Kind.LIMITED,
        start=start,
        end=start + timedelta(hours=2),
        place="Aula Kesbangpol",
        online_link="https://rapat.example.test/abc",
        agenda="1. Pembukaan\n2. Situasi terkini",
        **extra,
    )


def _due_reminders(meeting, kind):
    return list(Reminder.objects.filter(kind=kind, object_id=str(meeting.pk)).order_by("due_at"))


@pytest.fixture
def province_meeting(province_sec, sec_a, sec_b, team_prov, team_a, team_b, member_a, institution_a):
    """The province schedules a meeting inviting two regency teams, a member and an institution."""
    named = MemberFactory(team=team_prov, name="Kepala Kesbangpol (contoh)", email="kaban@example.test")
    MemberFactory(team=team_a, name="Anggota A", user=member_a, email="")  # in-app only
    MemberFactory(team=team_a, name="Tanpa kontak", email="")  # no contact: skipped
    MemberFactory(team=team_b, name="Anggota B", email="anggota-b@example.test")
    MemberFactory(
        team=team_a, institution=institution_a, name="Kapolresta (contoh)", email="polres@example.test"
    )
    return _schedule(
        province_sec,
        team_prov,
        start=timezone.now() + timedelta(days=3),
        invited_members=[named],
        invited_teams=[team_a, team_b],
        invited_institutions=[institution_a],
    )


def test_meeting_reminder_reaches_invitees_and_secretariats(
    province_meeting, province_sec, sec_a, sec_b, member_a
):
    reminder = _due_reminders(province_meeting, kinds.MEETING_REMINDER)[0]
    reminders.deliver(reminder.pk)
    to = sorted(m.to[0] for m in mail.outbox)
    # invitees with an e-mail address (their own, or their account's); secretariats in-app only
    assert to == [
        "anggota-a@example.test",
        "anggota-b@example.test",
        "kaban@example.test",
        "polres@example.test",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("Pengingat rapat: Rapat koordinasi pengamanan Natal")
    assert "WIB" in message.subject and "Aula Kesbangpol" in message.body
    assert message.alternatives[0][1] == "text/html"
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in (content if isinstance(content, bytes) else content.encode())
    in_app = set(Notification.objects.values_list("user__username", flat=True))
    assert in_app == {"sekprov", "sek-a", "sek-b", "anggota-a"}
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT


def test_send_task_twice_delivers_once(province_meeting):
    reminder = _due_reminders(province_meeting, kinds.MEETING_REMINDER)[0]
    first = reminders.deliver(reminder.pk)
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.CLAIMED)  # redelivered message
    assert reminders.deliver(reminder.pk) == 0
    assert first == Delivery.objects.count() == len(mail.outbox) + Notification.objects.count()


def test_nothing_for_a_cancelled_meeting_even_if_claimed_before(province_meeting, province_sec):
    reminder = _due_reminders(province_meeting, kinds.MEETING_REMINDER)[0]
    reminders.claim_due(now=reminder.due_at)  # the dispatcher got it just before the cancel
    services.meeting_cancel(actor=province_sec, meeting=province_meeting)
    assert reminders.deliver(reminder.pk) == 0
    assert mail.outbox == [] and not Notification.objects.exists()
    cancel_notice = _due_reminders(province_meeting, kinds.MEETING_CANCELLED)[0]
    reminders.deliver(cancel_notice.pk)
    assert mail.outbox and all(m.subject.startswith("Rapat dibatalkan") for m in mail.outbox)
    content = mail.outbox[0].attachments[0][1]
    assert "METHOD:CANCEL" in (content.decode() if isinstance(content, bytes) else content)


def test_nothing_for_a_reminder_planned_before_a_reschedule(province_meeting, province_sec):
    reminder = _due_reminders(province_meeting, kinds.MEETING_REMINDER)[0]
    reminders.claim_due(now=reminder.due_at)
    start = province_meeting.start + timedelta(days=1)
    services.meeting_update(
        actor=province_sec, meeting=province_meeting, start=start, end=start + timedelta(hours=1)
    )
    assert reminders.deliver(reminder.pk) == 0


def test_invitation_notice_is_sent_at_once(province_meeting, sec_b):
    notice = _due_reminders(province_meeting, kinds.MEETING_INVITATION)[0]
    reminders.deliver(notice.pk)
    assert Notification.objects.filter(user=sec_b, title__startswith="Undangan rapat").exists()


def test_followup_reminders_and_nothing_once_done(sec_a, team_a):
    owner = MemberFactory(team=team_a, name="Camat (contoh)", email="camat@example.test")
    item = FollowUpFactory(meeting__team=team_a, owner=owner)
    due = reminders.schedule(kind=kinds.FOLLOWUP_DUE, obj=item, due_at=timezone.now())
    late = reminders.schedule(kind=kinds.FOLLOWUP_OVERDUE, obj=item, due_at=timezone.now())
    reminders.deliver(due.pk)
    assert [m.to[0] for m in mail.outbox] == ["camat@example.test"]
    assert mail.outbox[0].subject.startswith("Tindak lanjut jatuh tempo")
    assert Notification.objects.filter(user=sec_a).count() == 1
    services.followup_complete(actor=sec_a, follow_up=item)
    assert reminders.deliver(late.pk) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_each_reminder_once(teams_seed, eager_celery):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks with SKIP LOCKED); set DATABASE_URL")
    from konflik.models import User

    sec = User.objects.create(
        username="sek-x", role="regency_secretariat", region_id="61.71", email="s@x.test"
    )
    team = TeamFactory(region_id="61.71")
    institution = InstitutionFactory(region_id="61.71")
    for i in range(6):
        MemberFactory(team=team, institution=institution, email=f"m{i}@example.test")
    now = timezone.now()
    meetings = [
        Meeting.objects.create(
            team=team, title=f"R{i}", start=now + timedelta(days=1), end=now + timedelta(days=1, hours=1)
        )
        for i in range(40)
    ]
    for meeting in meetings:
        meeting.invitations.create(institution=institution)
        for minutes in (1, 2, 3):
            reminders.schedule(
                kind=kinds.MEETING_REMINDER, obj=meeting, due_at=now - timedelta(minutes=minutes)
            )
    barrier = threading.Barrier(2)
    claimed = [[], []]

    def dispatcher(slot):
        try:
            barrier.wait()
            while ids := reminders.dispatch_due(limit=7):
                claimed[slot].extend(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(slot,)) for slot in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 120
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 120
    # 6 member e-mails per reminder, and the secretariat in-app
    assert len(mail.outbox) == 120 * 6
    assert len({(m.extra_headers["Message-ID"]) for m in mail.outbox}) == 120 * 6
    assert Notification.objects.filter(user=sec).count() == 120
    assert Delivery.objects.count() == 120 * 7
