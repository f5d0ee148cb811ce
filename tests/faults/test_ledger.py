"""Regression (found by the fault suite): an e-mail sent just before the database connection died lost
its ledger row with the transaction, and the retry sent it a second time."""

import psycopg2
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_sent_message_whose_ledger_commit_is_lost_is_recorded_not_resent(teams_seed, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    from konflik import channels, reminders
    from konflik.models import Delivery
    from teams import reminder_kinds as kinds
    from teams.models import Meeting
    from teams.tests.factories import MemberFactory, TeamFactory

    make_user("sek-a", "regency_secretariat", "61.71")
    team = TeamFactory(region_id="61.71")
    member = MemberFactory(team=team, email="anggota@ledger.test")
    now = timezone.now()
    meeting = Meeting.objects.create(
        team=team,
        title="Rapat",
        start=now + timezone.timedelta(hours=3),
        end=now + timezone.timedelta(hours=4),
    )
    meeting.invitations.create(member=member)
    reminder = reminders.schedule(kind=kinds.MEETING_REMINDER, obj=meeting, due_at=now)
    reminders.claim_due()

    original = channels.EmailChannel.send
    killed = []

    def send_then_lose_the_connection(self, **kwargs):
        original(self, **kwargs)
        if not killed:  # the message is out; now the database connection dies before the commit
            pid = connection.connection.get_backend_pid()
            params = connection.get_connection_params()
            other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
            other.autocommit = True
            other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
            other.close()
            killed.append(pid)

    monkeypatch.setattr(channels.EmailChannel, "send", send_then_lose_the_connection)
    reminders.deliver(reminder.pk)
    assert killed
    assert Delivery.objects.filter(reminder=reminder, channel="email").count() == 1
    reminders.deliver(reminder.pk)  # a retry (or a re-queued copy) sends nothing more
    assert [m.to for m in mail.outbox] == [["anggota@ledger.test"]]
