"""The engine change made for the teams app: a recipient can be limited to some channels (the
organising secretariat is told in-app only, even when its account has an e-mail address)."""

from django.core import mail
from django.utils import timezone

from konflik import reminders
from konflik.models import Delivery, Notification, Region


class InAppOnly(reminders.ReminderKind):
    key = "tests.teams_in_app_only"

    def recipients(self, reminder, obj):
        from konflik.models import User

        return [
            reminders.Recipient(user=u, channels=("in_app",)) for u in User.objects.filter(region_id=obj.code)
        ]

    def render(self, reminder, obj, recipient):
        return reminders.Message(subject="Kabar", text="Isi")


reminders.register(InAppOnly())


def test_recipient_channels_limit_delivery(db, sec_a):
    reminder = reminders.schedule(
        kind=InAppOnly.key, obj=Region.objects.get(code="61.71"), due_at=timezone.now()
    )
    assert reminders.deliver(reminder.pk) == 1
    assert mail.outbox == []
    assert Notification.objects.filter(user=sec_a).count() == 1
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["in_app"]
