"""The generic reminder engine, exercised with a kind defined here about a Region."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from konflik import reminders
from konflik.models import Delivery, Notification, Region, Reminder


class RegionNews(reminders.ReminderKind):
    key = "tests.region_news"

    def recipients(self, reminder, obj):
        from konflik.models import User

        return [reminders.Recipient(user=u) for u in User.objects.filter(region_id=obj.code)] + [
            reminders.Recipient(name="Tamu", email="tamu@example.test")
        ]

    def is_relevant(self, reminder, obj):
        return not obj.name.startswith("BATAL")

    def render(self, reminder, obj, recipient):
        return reminders.Message(subject=f"Kabar {obj.name}", text="Isi", html="<p>Isi</p>", url="/wilayah/")


reminders.register(RegionNews())


@pytest.fixture
def region(db):
    return Region.objects.get(code="61.71")


def test_schedule_dedupe_key_once_per_cause(region):
    first = reminders.schedule(kind=RegionNews.key, obj=region, due_at=timezone.now(), dedupe_key="sebab-1")
    again = reminders.schedule(kind=RegionNews.key, obj=region, due_at=timezone.now(), dedupe_key="sebab-1")
    assert first is not None and again is None
    assert Reminder.objects.count() == 1
    assert first.region_id == "61.71"


def test_unknown_kind_is_refused(region):
    with pytest.raises(ValueError):
        reminders.schedule(kind="nope", obj=region, due_at=timezone.now())


def test_claim_only_due_rows_once(region):
    now = timezone.now()
    due = reminders.schedule(kind=RegionNews.key, obj=region, due_at=now - timedelta(minutes=1))
    reminders.schedule(kind=RegionNews.key, obj=region, due_at=now + timedelta(hours=1))
    assert reminders.claim_due(now=now) == [due.pk]
    assert reminders.claim_due(now=now) == []  # a second dispatcher finds nothing left


def test_deliver_is_idempotent_and_reaches_every_channel(region, sec_a):
    reminder = reminders.schedule(kind=RegionNews.key, obj=region, due_at=timezone.now())
    assert reminders.deliver(reminder.pk) == 3  # sec_a by email and in-app, the guest by email
    assert reminders.deliver(reminder.pk) == 0
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.CLAIMED)  # a redelivered task
    assert reminders.deliver(reminder.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["sek-a@example.test", "tamu@example.test"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert Notification.objects.filter(user=sec_a).count() == 1
    assert Delivery.objects.count() == 3
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT


def test_nothing_sent_when_no_longer_relevant(region, sec_a):
    reminder = reminders.schedule(kind=RegionNews.key, obj=region, due_at=timezone.now())
    Region.objects.filter(pk=region.pk).update(name="BATAL")
    assert reminders.deliver(reminder.pk) == 0
    assert mail.outbox == [] and not Notification.objects.exists()
    assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.CANCELLED


def test_cancel_pending_leaves_claimed_rows(region):
    now = timezone.now()
    claimed = reminders.schedule(kind=RegionNews.key, obj=region, due_at=now - timedelta(minutes=1))
    reminders.claim_due(now=now)
    pending = reminders.schedule(kind=RegionNews.key, obj=region, due_at=now + timedelta(days=1))
    assert reminders.cancel_pending(obj=region) == 1
    assert Reminder.objects.get(pk=pending.pk).status == Reminder.Status.CANCELLED
    assert Reminder.objects.get(pk=claimed.pk).status == Reminder.Status.CLAIMED


def test_sweeper_requeues_stale_claims(region, settings, sec_a):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from konflik.celery import app

    app.conf.task_always_eager = True
    try:
        now = timezone.now()
        reminder = reminders.schedule(kind=RegionNews.key, obj=region, due_at=now - timedelta(hours=1))
        reminders.claim_due(now=now - timedelta(minutes=30))  # claimed, then the message was lost
        assert reminders.sweep_stale(now=now) == [reminder.pk]
        assert Reminder.objects.get(pk=reminder.pk).status == Reminder.Status.SENT
        assert len(mail.outbox) == 2
    finally:
        app.conf.task_always_eager = False


def test_notifications_api_and_bell(api, web, sec_a, sec_b):
    mine = Notification.objects.create(user=sec_a, title="Rapat besok", url="/wilayah/")
    Notification.objects.create(user=sec_b, title="Milik orang lain")
    client = api(sec_a)
    body = client.get("/api/notifications/").json()
    assert [n["title"] for n in body["results"]] == ["Rapat besok"]
    assert client.get(f"/api/notifications/{mine.pk + 1}/").status_code == 404
    assert client.post(f"/api/notifications/{mine.pk}/read/").json()["read_at"] is not None
    assert client.get("/api/notifications/?unread=true").json()["count"] == 0
    Notification.objects.create(user=sec_a, title="Lagi")
    page = web(sec_a).get("/notifikasi/").content.decode()
    assert 'data-unread="1"' in page and "Lagi" in page and "Milik orang lain" not in page


def test_leadership_may_mark_own_notification_read(api, leadership):
    n = Notification.objects.create(user=leadership, title="Laporan")
    assert api(leadership).post("/api/notifications/read-all/").json() == {"marked": 1}
    n.refresh_from_db()
    assert n.read_at is not None
